import { makeValidator } from '@backstage/catalog-model';
import type { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { PAVED_GOLDEN_PATH_RELEASE } from '@paved/plugin-platform-maturity-common';
import { readGoldenPathRelease } from '@paved/plugin-platform-maturity-node';
import type { GoldenPathContent } from '../lib/content';
import {
  CATALOG_INFO_FILE,
  CatalogInfo,
  EntityDocument,
  guessServiceName,
  normalizeEntityRef,
  planCatalogInfo,
  validateEntityName,
} from '../lib/catalogInfo';
import { goldenPathSetup, runGoldenPathStep } from '../lib/goldenPathStep';
import { stampGoldenPath } from '../lib/goldenPathStamp';
import {
  INFRASTRUCTURE_KINDS,
  InfrastructurePlan,
  planInfrastructure,
} from '../lib/infrastructure';
import {
  commonInputSchema,
  filesOutputSchema,
  ownerRefInput,
  serviceNameInputSchema,
  systemRefInput,
} from '../lib/inputs';
import { oneOf } from '../lib/stacks';
import { examples } from './catalogWrite.examples';

/**
 * Options of {@link createCatalogWriteAction}.
 *
 * @public
 */
export interface CatalogWriteActionOptions {
  /**
   * The root config; the action reads `goldenPath.policy.namePattern` for
   * the `name` input. Without it, names must be DNS labels.
   */
  config?: Config;
  /**
   * The content the action renders, as the module loads it at start-up (with the URLs and the
   * contributed content); default the content of `config`.
   *
   * @internal
   */
  content?: GoldenPathContent;
}

/** API definition formats of the catalog's API kind. */
const API_TYPES = ['openapi', 'asyncapi', 'graphql', 'grpc', 'trpc'] as const;

/** Lifecycle, type and tag values: what the catalog's field format policy accepts, lower-case. */
const SIMPLE_VALUE = /^[a-z0-9]+(?:[-_.][a-z0-9]+)*$/;

const validators = makeValidator();

type ApiInput = {
  name: string;
  type?: string;
  description?: string;
  definition?: string;
  definitionPath?: string;
};

type ResourceInput = { name: string; type?: string; description?: string };

/** The RepoUrlPicker's `host?owner=o&repo=r` (also `organization`, `project`, `workspace`). */
function parseRepoUrl(value: string): { host: string; slug: string } {
  const [host, query = ''] = value.split('?', 2);
  const params = new URLSearchParams(query);
  const owner =
    params.get('owner') ??
    params.get('organization') ??
    params.get('workspace') ??
    params.get('project');
  const repo = params.get('repo');
  if (!host || !/^[a-z0-9.-]+(?::\d+)?$/i.test(host) || !owner || !repo) {
    throw new InputError(
      `Invalid input 'repoUrl': '${value}' is not a repository URL such as github.com?owner=acme&repo=orders`,
    );
  }
  return { host: host.toLowerCase(), slug: `${owner}/${repo}` };
}

/** The annotations that locate the source of a repository, by host. */
function repositoryAnnotations(repoUrl: string): Record<string, string> {
  const { host, slug } = parseRepoUrl(repoUrl);
  const annotations: Record<string, string> = {
    'backstage.io/source-location': `url:https://${host}/${slug}/`,
  };
  if (host.includes('github')) {
    annotations['github.com/project-slug'] = slug;
  } else if (host.includes('gitlab')) {
    annotations['gitlab.com/project-slug'] = slug;
  }
  return annotations;
}

function simpleValue(inputName: string, value: string): string {
  if (!SIMPLE_VALUE.test(value) || value.length > 63) {
    throw new InputError(
      `Invalid input '${inputName}': '${value}' must be lower-case letters and digits separated by '-', '_' or '.' (at most 63 characters), such as production`,
    );
  }
  return value;
}

function refList(
  inputName: string,
  values: readonly string[] | undefined,
  defaultKind?: string,
): string[] {
  return (values ?? []).map((value, index) =>
    normalizeEntityRef(`${inputName}[${index}]`, value, { defaultKind }),
  );
}

/** Sets owner, system and (when the kind has one) lifecycle of an extra entity. */
function setOwnership(
  entity: EntityDocument,
  owner: string,
  system: string | undefined,
  lifecycle?: string,
) {
  entity.setRef(['spec', 'owner'], owner, 'group');
  if (system) {
    entity.setRef(['spec', 'system'], system, 'system');
  }
  if (lifecycle) {
    entity.set(['spec', 'lifecycle'], lifecycle, { ifAbsent: true });
  }
}

/**
 * Creates the `paved:catalog:write` action: creates or merges the service's
 * `catalog-info.yaml` — the Component with owner, system, lifecycle, type,
 * description, relations and annotations, plus optional System, API and
 * Resource entities — keeping everything the user wrote (keys, order,
 * comments, other entities). Every entity is validated with
 * `@backstage/catalog-model` before anything is written.
 *
 * Owners are written as full refs: a bare name means a Group
 * (`team-a` → `group:default/team-a`); an existing value that names the same
 * entity in a shorter form is kept as the user wrote it.
 *
 * "All components and their relationships defined as code" includes the
 * service's infrastructure: unless the repository already defines it as code
 * in a form the `as-code.infrastructure` check recognises, the action also
 * writes a Terraform module for the service's footprint in `infra/` (input
 * `infrastructure`, `terraform` by default, or `none`).
 *
 * @public
 */
export function createCatalogWriteAction(
  options: CatalogWriteActionOptions = {},
) {
  const setup = goldenPathSetup(options);
  const release = options.config
    ? readGoldenPathRelease(options.config)
    : PAVED_GOLDEN_PATH_RELEASE;

  return createTemplateAction({
    id: 'paved:catalog:write',
    description:
      "Creates or merges the service's catalog-info.yaml: the Component with owner, system, lifecycle, type, description, relations (dependsOn, providesApis, consumesApis) and annotations, plus optional System, API and Resource entities. Keeps the user's existing keys, order and comments; validates every entity with @backstage/catalog-model before writing. Unless the repository already defines its infrastructure as code, also writes a Terraform module for the service's namespace and service account in infra/.",
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        name: serviceNameInputSchema(
          'The Component name; default the only Component of an existing catalog-info.yaml, else the name in package.json, pyproject.toml or go.mod',
        ),
        owner: z =>
          z
            .string()
            .optional()
            .describe(
              'The owner: an entity ref of a Group or User; a bare name means a Group (team-a → group:default/team-a). Required when the Component has no owner yet',
            ),
        system: z =>
          z
            .string()
            .optional()
            .describe(
              'The system the service is part of: a System entity ref, such as commerce or system:default/commerce',
            ),
        lifecycle: z =>
          z
            .string()
            .optional()
            .describe(
              'spec.lifecycle, such as experimental, production or deprecated; default experimental for a new Component, else kept',
            ),
        type: z =>
          z
            .string()
            .optional()
            .describe(
              'spec.type, such as service or website; default service for a new Component, else kept',
            ),
        title: z => z.string().optional().describe('metadata.title'),
        description: z =>
          z.string().optional().describe('metadata.description'),
        tags: z =>
          z
            .array(z.string())
            .optional()
            .describe('Tags to add to metadata.tags (existing ones are kept)'),
        repoUrl: z =>
          z
            .string()
            .optional()
            .describe(
              'The repository, in the RepoUrlPicker format (github.com?owner=acme&repo=orders): sets backstage.io/source-location and github.com/project-slug or gitlab.com/project-slug',
            ),
        annotations: z =>
          z
            .record(z.string(), z.string())
            .optional()
            .describe('More annotations to set on the Component'),
        dependsOn: z =>
          z
            .array(z.string())
            .optional()
            .describe(
              'Entity refs the service depends on, with their kind (resource:orders-db, component:payments)',
            ),
        providesApis: z =>
          z
            .array(z.string())
            .optional()
            .describe('API entity refs the service provides'),
        consumesApis: z =>
          z
            .array(z.string())
            .optional()
            .describe('API entity refs the service consumes'),
        systemEntity: z =>
          z
            .object({
              description: z.string().optional(),
              domain: z.string().optional(),
            })
            .optional()
            .describe(
              'Also write the System entity named by `system`, owned by `owner` (for a system that is not in the catalog yet)',
            ),
        apis: z =>
          z
            .array(
              z.object({
                name: z.string(),
                type: z.enum(API_TYPES).optional(),
                description: z.string().optional(),
                definition: z.string().optional(),
                definitionPath: z.string().optional(),
              }),
            )
            .optional()
            .describe(
              'API entities the service provides (added to providesApis): name, type (default openapi), and the definition inline or as a path relative to catalog-info.yaml',
            ),
        resources: z =>
          z
            .array(
              z.object({
                name: z.string(),
                type: z.string().optional(),
                description: z.string().optional(),
              }),
            )
            .optional()
            .describe(
              'Resource entities the service depends on (added to dependsOn): name and type (default database)',
            ),
        infrastructure: z =>
          z
            .enum(INFRASTRUCTURE_KINDS)
            .optional()
            .describe(
              "terraform: write a Terraform module for the service's namespace and service account in infra/, unless the repository already defines its infrastructure as code (Terraform, Pulumi, CDK, CloudFormation, Crossplane, ...); none: write no infrastructure. Default terraform",
            ),
        ...commonInputSchema,
      },
      output: {
        entityRef: z =>
          z
            .string()
            .describe(
              'The ref of the Component, such as component:default/orders',
            ),
        entityRefs: z =>
          z
            .array(z.string())
            .describe('The refs of every entity in catalog-info.yaml'),
        catalogInfoPath: z =>
          z
            .string()
            .describe(
              'catalog-info.yaml relative to the workspace, for catalog:register',
            ),
        infrastructure: z =>
          z
            .string()
            .describe(
              'Where the infrastructure is defined: the directory of the Terraform module written (infra), "existing" when the repository already defined it as code, or "none"',
            ),
        ...filesOutputSchema,
      },
    },
    async handler(ctx) {
      await runGoldenPathStep(ctx, setup, async step => {
        const { input, files, content } = step;

        // Validate every input before planning anything.
        const name = step.name();
        const owner = ownerRefInput(input.owner);
        const system = systemRefInput(input.system);
        const lifecycle =
          input.lifecycle !== undefined
            ? simpleValue('lifecycle', input.lifecycle)
            : undefined;
        const type =
          input.type !== undefined
            ? simpleValue('type', input.type)
            : undefined;
        const tags = (input.tags ?? []).map((tag, i) =>
          simpleValue(`tags[${i}]`, tag),
        );
        const annotations = {
          ...(input.repoUrl ? repositoryAnnotations(input.repoUrl) : {}),
          ...input.annotations,
        };
        for (const [key, value] of Object.entries(annotations)) {
          if (!validators.isValidAnnotationKey(key)) {
            throw new InputError(
              `Invalid input 'annotations': '${key}' is not a valid annotation key (an optional DNS prefix and '/', then letters, digits, '-', '_' and '.')`,
            );
          }
          if (!validators.isValidAnnotationValue(value)) {
            throw new InputError(
              `Invalid input 'annotations': the value of '${key}' is not a valid annotation value`,
            );
          }
        }
        const dependsOn = refList('dependsOn', input.dependsOn);
        const providesApis = refList('providesApis', input.providesApis, 'api');
        const consumesApis = refList('consumesApis', input.consumesApis, 'api');
        const domain =
          input.systemEntity?.domain !== undefined
            ? normalizeEntityRef(
                'systemEntity.domain',
                input.systemEntity.domain,
                {
                  defaultKind: 'domain',
                  allowedKinds: ['domain'],
                },
              )
            : undefined;
        if (input.systemEntity && !system) {
          throw new InputError(
            "Input 'system' is required with 'systemEntity': it names the System to write",
          );
        }
        const apis = ((input.apis ?? []) as ApiInput[]).map((api, i) => {
          validateEntityName(`apis[${i}].name`, api.name);
          const apiType = oneOf(
            `apis[${i}].type`,
            api.type ?? 'openapi',
            API_TYPES,
          );
          if (
            (api.definition === undefined) ===
            (api.definitionPath === undefined)
          ) {
            throw new InputError(
              `Invalid input 'apis[${i}]': give either 'definition' (the API definition itself) or 'definitionPath' (a file relative to catalog-info.yaml)`,
            );
          }
          if (api.definitionPath !== undefined) {
            files.resolve(`apis[${i}].definitionPath`, api.definitionPath);
          }
          return { ...api, type: apiType };
        });
        const resources = ((input.resources ?? []) as ResourceInput[]).map(
          (resource, i) => {
            validateEntityName(`resources[${i}].name`, resource.name);
            return {
              ...resource,
              type: simpleValue(
                `resources[${i}].type`,
                resource.type ?? 'database',
              ),
            };
          },
        );
        const infrastructure = oneOf(
          'infrastructure',
          input.infrastructure ?? 'terraform',
          INFRASTRUCTURE_KINDS,
        );
        const fallbackName = name ?? (await guessServiceName(files));

        let componentRef = '';
        const catalog = await planCatalogInfo(
          files,
          (c: CatalogInfo) => {
            const existing = c.entities.filter(
              e => e.kind.toLowerCase() === 'component',
            );
            const component = c.ensureComponent({
              name: name ?? (existing.length > 0 ? undefined : fallbackName),
              owner,
              type,
              lifecycle,
            });
            componentRef = component.ref;
            const componentOwner = owner ?? component.get(['spec', 'owner']);
            if (
              typeof componentOwner !== 'string' ||
              componentOwner === 'unknown'
            ) {
              throw new InputError(
                `Input 'owner' is required: the Component ${component.name} has no owner yet`,
              );
            }
            if (owner) {
              component.setRef(['spec', 'owner'], owner, 'group');
            }
            if (system) {
              component.setRef(['spec', 'system'], system, 'system');
            }
            if (lifecycle) {
              component.set(['spec', 'lifecycle'], lifecycle);
            }
            if (type) {
              component.set(['spec', 'type'], type);
            }
            if (input.title !== undefined) {
              component.set(['metadata', 'title'], input.title);
            }
            if (input.description !== undefined) {
              component.set(['metadata', 'description'], input.description);
            }
            if (tags.length > 0) {
              const present = component.get(['metadata', 'tags']);
              const current = Array.isArray(present) ? present.map(String) : [];
              const missing = tags.filter(t => !current.includes(t));
              if (missing.length > 0) {
                component.set(['metadata', 'tags'], [...current, ...missing]);
              }
            }
            for (const [key, value] of Object.entries(annotations)) {
              component.setAnnotation(key, value);
            }
            stampGoldenPath(component, release);
            const extraOwner = owner ?? componentOwner;
            if (input.systemEntity && system) {
              const { name: systemName, namespace } = splitRef(system);
              const entity = c.upsert('System', systemName, namespace);
              setOwnership(entity, extraOwner, undefined);
              if (input.systemEntity.description !== undefined) {
                entity.set(
                  ['metadata', 'description'],
                  input.systemEntity.description,
                );
              }
              if (domain) {
                entity.setRef(['spec', 'domain'], domain, 'domain');
              }
            }
            const apiLifecycle = String(component.get(['spec', 'lifecycle']));
            for (const api of apis) {
              const entity = c.upsert('API', api.name, component.namespace);
              setOwnership(entity, extraOwner, system, apiLifecycle);
              entity.set(['spec', 'type'], api.type);
              if (api.description !== undefined) {
                entity.set(['metadata', 'description'], api.description);
              }
              entity.set(
                ['spec', 'definition'],
                api.definitionPath !== undefined
                  ? { $text: api.definitionPath }
                  : api.definition,
              );
            }
            for (const resource of resources) {
              const entity = c.upsert(
                'Resource',
                resource.name,
                component.namespace,
              );
              setOwnership(entity, extraOwner, system);
              entity.set(['spec', 'type'], resource.type, { ifAbsent: true });
              if (resource.description !== undefined) {
                entity.set(['metadata', 'description'], resource.description);
              }
            }
            component.addRelations('dependsOn', [
              ...dependsOn,
              ...resources.map(
                r => `resource:${component.namespace}/${r.name}`,
              ),
            ]);
            component.addRelations('providesApis', [
              ...providesApis,
              ...apis.map(a => `api:${component.namespace}/${a.name}`),
            ]);
            component.addRelations('consumesApis', consumesApis);
          },
          { replaceInvalid: input.overwrite ?? false },
        );

        let infra: InfrastructurePlan | undefined;
        if (infrastructure === 'terraform') {
          const component = catalog.entities.find(e => e.ref === componentRef)!;
          const componentSystem = component.get(['spec', 'system']);
          infra = await planInfrastructure(
            files,
            {
              name: component.name,
              entityNamespace: component.namespace,
              owner: String(component.get(['spec', 'owner'])),
              system:
                typeof componentSystem === 'string'
                  ? componentSystem
                  : undefined,
            },
            content,
          );
          if (infra.infrastructure === 'existing') {
            ctx.logger.info(
              `as-code.infrastructure already passes, no Terraform module added: ${infra.message}`,
            );
          }
        }

        return {
          entityRef: componentRef,
          entityRefs: catalog.entities.map(e => e.ref),
          catalogInfoPath: files.relativeToWorkspace(CATALOG_INFO_FILE),
          infrastructure:
            infra?.infrastructure === 'terraform'
              ? files.relativeToWorkspace(infra.directory)
              : infra?.infrastructure ?? 'none',
        };
      });
    },
  });
}

function splitRef(ref: string): { name: string; namespace: string } {
  const [, rest] = ref.split(':', 2);
  const [namespace, name] = rest.split('/', 2);
  return { name, namespace };
}
