import type { CheckImplementation } from '../engine/checkTypes';
import type { Evidence, NearMiss } from '../types';
import {
  fail,
  fileEvidence,
  listPaths,
  matchEvidence,
  nearMissFile,
  pass,
  rejectedNote,
  repositoryUnavailable,
  specField,
} from './helpers';
import { COMPOSE_GLOBS } from './kubernetes';
import { findOwnFiles, searchOwnFiles } from './manifests';
import {
  declaredRelations,
  invalidRelationRefs,
  namespaceOf,
  relationEvidence,
  toEntityRef,
} from './relations';

/** The spec fields that say who owns the service, where it is in its life and what it is part of. */
const OWNERSHIP_FIELDS = ['owner', 'lifecycle', 'system'] as const;

/** Kinds that can own an entity. */
const OWNER_KINDS = new Set(['group', 'user']);

/** Infrastructure-as-code tools recognised by the files they always have. */
const IAC_FILES: ReadonlyArray<{ name: string; globs: readonly string[] }> = [
  { name: 'Terraform', globs: ['**/*.tf', '**/*.tf.json'] },
  { name: 'OpenTofu', globs: ['**/*.tofu', '**/*.tofu.json'] },
  { name: 'Terragrunt', globs: ['**/terragrunt.hcl'] },
  { name: 'Pulumi', globs: ['**/Pulumi.yaml', '**/Pulumi.yml'] },
  { name: 'AWS CDK', globs: ['**/cdk.json'] },
  { name: 'CDK for Terraform', globs: ['**/cdktf.json'] },
  { name: 'Bicep', globs: ['**/*.bicep', '**/*.bicepparam'] },
  {
    name: 'ARM template',
    globs: ['**/azuredeploy.json', '**/mainTemplate.json'],
  },
];

const IAC_FILE_GLOBS: readonly string[] = IAC_FILES.flatMap(t => t.globs);

/** Where CloudFormation and SAM templates conventionally live. */
const CLOUDFORMATION_GLOBS: readonly string[] = [
  '**/template.{yaml,yml,json}',
  '**/*.template.{yaml,yml,json}',
  '**/*-template.{yaml,yml,json}',
  '**/*.cfn.{yaml,yml,json}',
  '**/@(cloudformation|cfn|stacks|infra|infrastructure|iac)/**/*.{yaml,yml,json}',
  '**/{stack,cloudformation,cfn,sam}.{yaml,yml,json}',
];
const CLOUDFORMATION_TEMPLATE =
  /^[ \t]*["']?AWSTemplateFormatVersion["']?[ \t]*:|^Transform:[ \t]*["']?AWS::Serverless|"Transform"[ \t]*:[ \t]*"AWS::Serverless/m;

/** Kubernetes manifests where Crossplane and other cloud-resource operators' objects live. */
const CLOUD_RESOURCE_YAML_GLOBS: readonly string[] = [
  '**/@(crossplane|infra|infrastructure|iac|platform|claims|compositions|k8s|kubernetes|manifests|deploy)/**/*.{yaml,yml}',
  '**/templates/**/*.{yaml,yml}',
  '**/*{claim,composition,xrd}.{yaml,yml}',
];
/** Crossplane compositions, definitions and managed resources, or a claim's connection secret. */
const CROSSPLANE_RESOURCE =
  /^apiVersion:[ \t]*["']?[\w.-]*(?:crossplane\.io|upbound\.io)\/|^[ \t]+writeConnectionSecretToRef:/m;
/** Config Connector, AWS Controllers for Kubernetes and Azure Service Operator resources. */
const CLOUD_OPERATOR_RESOURCE =
  /^apiVersion:[ \t]*["']?[\w.-]*(?:cnrm\.cloud\.google\.com|services\.k8s\.aws|\.azure\.com)\//m;

const IAC_CONTENT: ReadonlyArray<{
  name: string;
  globs: readonly string[];
  pattern: RegExp;
}> = [
  {
    name: 'CloudFormation',
    globs: CLOUDFORMATION_GLOBS,
    pattern: CLOUDFORMATION_TEMPLATE,
  },
  {
    name: 'Crossplane',
    globs: CLOUD_RESOURCE_YAML_GLOBS,
    pattern: CROSSPLANE_RESOURCE,
  },
  {
    name: 'A Kubernetes cloud-resource operator (Config Connector, ACK, Azure Service Operator)',
    globs: CLOUD_RESOURCE_YAML_GLOBS,
    pattern: CLOUD_OPERATOR_RESOURCE,
  },
];

const IAC_READS: readonly string[] = [
  ...CLOUDFORMATION_GLOBS,
  ...CLOUD_RESOURCE_YAML_GLOBS,
];

function fieldEvidence(field: string, value: string): Evidence {
  return { type: 'field', ref: `spec.${field}`, detail: value.slice(0, 160) };
}

/** Ansible playbooks and roles: listed, not read, to say why they do not count. */
const ANSIBLE_GLOBS: readonly string[] = [
  '**/ansible.cfg',
  '**/{playbook,playbooks,site}.{yml,yaml}',
  '**/playbooks/**/*.{yml,yaml}',
  '**/ansible/**/*.{yml,yaml}',
];

/** Checks of the `as-code` capability. */
export const asCodeChecks: CheckImplementation[] = [
  {
    id: 'as-code.ownership',
    capability: 'as-code',
    title: 'Owner, lifecycle and system are declared',
    description:
      'The catalog entry sets spec.owner, spec.lifecycle and spec.system, and the owner is a Group or User that exists in the catalog, so there is always someone to ask.',
    weight: 2,
    evidence: 'entity',
    version: '2',
    evaluate({ entity, catalog }) {
      const values = new Map<string, string>();
      for (const field of OWNERSHIP_FIELDS) {
        const value = specField(entity, field);
        if (typeof value === 'string' && value.trim()) {
          values.set(field, value.trim());
        }
      }
      const evidence = [...values].map(([field, value]) =>
        fieldEvidence(field, value),
      );
      const missing = OWNERSHIP_FIELDS.filter(f => !values.has(f)).map(
        f => `spec.${f}`,
      );
      const problems: string[] = [];
      if (missing.length > 0) {
        problems.push(`The catalog entry does not set ${missing.join(', ')}.`);
      }

      const owner = values.get('owner');
      const ownerRef =
        owner === undefined
          ? undefined
          : toEntityRef(owner, {
              defaultKind: 'group',
              defaultNamespace: namespaceOf(entity),
            });
      const nearMisses: NearMiss[] = [];
      if (owner !== undefined && !ownerRef) {
        problems.push(`The owner '${owner}' is not a valid entity ref.`);
        evidence.splice(
          evidence.findIndex(e => e.ref === 'spec.owner'),
          1,
        );
        nearMisses.push({
          ...fieldEvidence('owner', owner),
          reason: 'is not a valid entity ref',
        });
      } else if (ownerRef && catalog) {
        const found = catalog.getEntity(ownerRef.ref);
        const kind = typeof found?.kind === 'string' ? found.kind : undefined;
        if (!found) {
          problems.push(
            `The owner ${ownerRef.ref} does not exist in the catalog.`,
          );
          nearMisses.push({
            type: 'catalog',
            ref: ownerRef.ref,
            reason: 'does not exist in the catalog',
          });
        } else if (!OWNER_KINDS.has(kind?.toLowerCase() ?? '')) {
          const what = kind ?? 'entity of unknown kind';
          problems.push(
            `The owner ${ownerRef.ref} is a ${what}, not a Group or User.`,
          );
          nearMisses.push({
            type: 'catalog',
            ref: ownerRef.ref,
            detail: kind ?? 'unknown kind',
            reason: `is a ${what}, not a Group or User`,
          });
        } else {
          evidence.push({ type: 'catalog', ref: ownerRef.ref, detail: kind });
        }
      }

      if (problems.length > 0) {
        return fail(problems.join(' '), evidence, nearMisses);
      }
      if (!catalog) {
        return {
          status: 'unknown',
          message: `Owner, lifecycle and system are set, but whether the owner ${ownerRef?.ref} exists could not be checked: no catalog lookup is available.`,
          evidence,
        };
      }
      return pass(
        `Owned by ${ownerRef?.ref}, lifecycle ${values.get(
          'lifecycle',
        )}, part of system ${values.get('system')}.`,
        evidence,
      );
    },
  },
  {
    id: 'as-code.relations',
    capability: 'as-code',
    title: 'Dependencies and APIs are declared',
    description:
      'The catalog entry declares what the service depends on or which APIs it provides or consumes (spec.dependsOn, spec.providesApis, spec.consumesApis, or the same relations in the catalog). Membership of a system counts as supporting evidence only, since the ownership check already requires it.',
    weight: 1,
    evidence: 'entity',
    version: '2',
    evaluate({ entity }) {
      const relations = declaredRelations(entity);
      const declared = relations.filter(r => r.type !== 'partOf');
      const partOf = relations.filter(r => r.type === 'partOf');
      if (declared.length > 0) {
        const byType = (type: string, verb: string): string | undefined => {
          const refs = declared
            .filter(r => r.type === type)
            .map(r => r.targetRef);
          return refs.length > 0 ? `${verb} ${listPaths(refs, 5)}` : undefined;
        };
        const summary = [
          byType('dependsOn', 'depends on'),
          byType('providesApi', 'provides'),
          byType('consumesApi', 'consumes'),
        ].filter(Boolean);
        // Every part of the summary starts with a verb: capitalise its first letter.
        const text = `${summary.join('; ')}.`;
        return pass(
          text.charAt(0).toUpperCase() + text.slice(1),
          [...declared.slice(0, 10), ...partOf.slice(0, 2)].map(
            relationEvidence,
          ),
        );
      }
      const invalid = invalidRelationRefs(entity).filter(
        r => r.field !== 'spec.system',
      );
      return fail(
        [
          partOf.length > 0
            ? `The entity is part of ${partOf
                .map(r => r.targetRef)
                .join(', ')}, but declares no dependencies or APIs.`
            : 'The entity declares no dependencies or APIs.',
          invalid.length > 0
            ? `${invalid
                .map(r => `${r.field} '${r.value}'`)
                .join(
                  ', ',
                )} is not a valid entity ref (dependsOn entries need a kind, such as resource:${
                invalid[0].value
              }).`
            : undefined,
          'Add spec.dependsOn, spec.providesApis or spec.consumesApis to the catalog entry.',
        ]
          .filter(Boolean)
          .join(' '),
        partOf.map(relationEvidence),
        invalid.map(r => ({
          type: 'field',
          ref: r.field,
          detail: r.value,
          reason: `'${r.value}' is not a valid entity ref: a relation needs a kind, such as resource:${r.value}`,
        })),
      );
    },
  },
  {
    id: 'as-code.infrastructure',
    capability: 'as-code',
    title: 'Infrastructure as code',
    description:
      "The service's infrastructure is defined in the repository with Terraform, OpenTofu, Terragrunt, Pulumi, AWS CDK, CDK for Terraform, CloudFormation or SAM, Bicep or ARM templates, or Crossplane and other Kubernetes cloud-resource operators. Ansible playbooks configure servers rather than declare infrastructure, so they do not count.",
    weight: 1,
    evidence: 'entity+repository',
    version: '2',
    reads: IAC_READS,
    evaluate({ repository }) {
      if (!repository) {
        return repositoryUnavailable('infrastructure as code');
      }
      // One lookup of every tool's files first: most repositories have none of them.
      const found = repository.has(IAC_FILE_GLOBS)
        ? IAC_FILES.map(tool => ({
            tool,
            files: findOwnFiles(repository, tool.globs),
          })).filter(f => f.files.length > 0)
        : [];
      if (found.length > 0) {
        return pass(
          `${found.map(f => f.tool.name).join(' and ')} define${
            found.length > 1 ? '' : 's'
          } the infrastructure: ${listPaths(found.flatMap(f => f.files))}.`,
          found.flatMap(f =>
            f.files.slice(0, 5).map(path => fileEvidence(path, f.tool.name)),
          ),
        );
      }
      for (const { name, globs, pattern } of IAC_CONTENT) {
        const match = searchOwnFiles(repository, globs, pattern);
        if (match) {
          return pass(
            `${name} defines the infrastructure (${match.path}: \`${match.text}\`).`,
            [matchEvidence(match)],
          );
        }
      }
      const nearMisses = [
        ...repository
          .find(ANSIBLE_GLOBS)
          .map(path =>
            nearMissFile(
              path,
              'is Ansible: it configures servers, it does not declare infrastructure',
            ),
          ),
        ...repository
          .find(COMPOSE_GLOBS)
          .map(path =>
            nearMissFile(
              path,
              'describes containers for local use, not infrastructure',
            ),
          ),
      ];
      return fail(
        `No infrastructure as code found (looked for Terraform, OpenTofu, Terragrunt, Pulumi, AWS CDK, CDKTF, CloudFormation and SAM templates, Bicep, ARM templates and Crossplane resources).${rejectedNote(
          nearMisses,
        )}`,
        [],
        nearMisses,
      );
    },
  },
];
