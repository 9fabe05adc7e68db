import { parseEntityRef } from '@backstage/catalog-model';
import { GoldenPathContent } from './content';
import { checkWorkspace, passes } from './evidence';
import type { WorkspaceFiles } from './workspace';

/**
 * The values of the `infrastructure` input of `paved:catalog:write`.
 *
 * @internal
 */
export const INFRASTRUCTURE_KINDS = ['terraform', 'none'] as const;

/**
 * A value of the `infrastructure` input.
 *
 * @internal
 */
export type InfrastructureKind = (typeof INFRASTRUCTURE_KINDS)[number];

/**
 * The directory of the Terraform module, relative to the service directory.
 *
 * @internal
 */
export const INFRASTRUCTURE_DIR = 'infra';

/**
 * The first line of every `.tf` file the action writes. It tells the
 * action's own files apart from the user's: only files without it count as
 * infrastructure the repository already has.
 */
const MARKER = '# Written by paved:catalog:write';

const CHECK_ID = 'as-code.infrastructure';

/**
 * The service whose footprint the Terraform module declares, from its
 * catalog entity.
 *
 * @internal
 */
export type ServiceFootprint = {
  /** `metadata.name` of the Component. */
  name: string;
  /** `metadata.namespace` of the Component, for short owner and system refs. */
  entityNamespace: string;
  /** `spec.owner` of the Component, an entity ref (short forms allowed). */
  owner: string;
  /** `spec.system` of the Component, when it has one. */
  system?: string;
};

/**
 * What {@link planInfrastructure} decided.
 *
 * - `terraform`: the Terraform module in `infra/` is planned.
 * - `existing`: the repository already defines its infrastructure as code
 *   (the message says with what); nothing is planned.
 *
 * @internal
 */
export type InfrastructurePlan =
  | { infrastructure: 'terraform'; directory: string }
  | { infrastructure: 'existing'; message: string };

/** A Kubernetes object name (DNS label) from an entity name. */
function toDnsLabel(value: string): string {
  return (
    value
      .toLowerCase()
      .replace(/[^a-z0-9-]+/g, '-')
      .slice(0, 63)
      .replace(/^-+|-+$/g, '') || 'service'
  );
}

/** A Kubernetes label value from a name: letters, digits, `-`, `_`, `.`, alphanumeric at both ends. */
function toLabelValue(value: string): string {
  return value
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .slice(0, 63)
    .replace(/^[^A-Za-z0-9]+|[^A-Za-z0-9]+$/g, '');
}

/** A quoted HCL string; `${` and `%{` are escaped so that nothing is interpolated. */
function hclString(value: string): string {
  return `"${value
    .replace(/\\/g, '\\\\')
    .replace(/"/g, '\\"')
    .replace(/\n/g, '\\n')
    .replace(/\$\{/g, () => '$${')
    .replace(/%\{/g, '%%{')}"`;
}

function refName(ref: string, defaultKind: string, namespace: string) {
  try {
    return parseEntityRef(ref, { defaultKind, defaultNamespace: namespace })
      .name;
  } catch {
    return ref;
  }
}

/*
 * The module (content set as-code/terraform) declares the service's own footprint only: the
 * namespace it runs in (the one paved:deploy:add deploys to by default) and the service account
 * of its pods. A database
 * added by paved:data:add is a Resource entity in catalog-info.yaml whose provisioning is the
 * platform's (it creates the connection Secret the deployment reads); the module does not
 * pretend to provision it. The files are therefore the same whether paved:data:add runs
 * before or after, which keeps every run idempotent in either order.
 */
/**
 * The files of the Terraform module for the service's footprint, by path
 * relative to the service directory: `infra/main.tf` (provider, namespace,
 * service account, labels), `infra/variables.tf` (the service's values),
 * `infra/outputs.tf` and `infra/README.md` (how to apply it).
 *
 * @internal
 */
export function renderTerraformModule(
  footprint: ServiceFootprint,
  content: GoldenPathContent = GoldenPathContent.builtIn(),
): Record<string, string> {
  const ns = footprint.entityNamespace;
  const owner = toLabelValue(refName(footprint.owner, 'group', ns));
  const system = footprint.system
    ? toLabelValue(refName(footprint.system, 'system', ns))
    : '';
  const name = toLabelValue(footprint.name) || toDnsLabel(footprint.name);
  const dnsName = toDnsLabel(footprint.name);
  const values = {
    name,
    dnsName,
    // The variables' defaults, as quoted HCL strings.
    hcl: {
      name: hclString(name),
      dnsName: hclString(dnsName),
      owner: hclString(owner),
      system: hclString(system),
      ownerDescription: hclString(
        `The team that owns the service: the name of its catalog owner (${footprint.owner})`,
      ),
    },
  };
  return Object.fromEntries(
    content
      .set('as-code/terraform')
      .render(values)
      .map(file => [file.path, file.content]),
  );
}

/**
 * Plans the Terraform module of {@link renderTerraformModule} on `files`,
 * unless the repository already defines its infrastructure as code in any
 * form the `as-code.infrastructure` check recognises (Terraform, OpenTofu,
 * Pulumi, CDK, CloudFormation, Crossplane, …). The module's own earlier
 * output (the `.tf` files starting with its marker line) is left out of that
 * evidence, so that a second run decides the same; a `.tf` file the user wrote
 * in `infra/` counts as the repository's own and is never touched.
 *
 * @returns what was decided
 * @internal
 */
export async function planInfrastructure(
  files: WorkspaceFiles,
  footprint: ServiceFootprint,
  content?: GoldenPathContent,
): Promise<InfrastructurePlan> {
  const rendered = renderTerraformModule(footprint, content);
  const own: string[] = [];
  for (const relPath of Object.keys(rendered)) {
    if (relPath.endsWith('.tf')) {
      const existing = await files.read(relPath);
      if (existing?.startsWith(MARKER)) {
        own.push(relPath);
      }
    }
  }
  const evidence = await checkWorkspace(files, { without: own });
  if (passes(evidence, CHECK_ID)) {
    return {
      infrastructure: 'existing',
      message: evidence.get(CHECK_ID)!.message,
    };
  }
  for (const [relPath, text] of Object.entries(rendered)) {
    files.plan(relPath, text, {
      keepReason: `kept the existing ${relPath}`,
    });
  }
  return { infrastructure: 'terraform', directory: INFRASTRUCTURE_DIR };
}
