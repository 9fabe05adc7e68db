import { parseEntityRef } from '@backstage/catalog-model';
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
 * The module declares the service's own footprint only: the namespace it runs in (the one
 * paved:deploy:add deploys to by default) and the service account of its pods. A database
 * added by paved:data:add is a Resource entity in catalog-info.yaml whose provisioning is the
 * platform's (it creates the connection Secret the deployment reads); the module does not
 * pretend to provision it. The files are therefore the same whether paved:data:add runs
 * before or after, which keeps every run idempotent in either order.
 */
const MAIN_TF = `${MARKER}: the service's own infrastructure, as code.
#
# Scope: the Kubernetes namespace the service runs in and the service account its
# pods run as. Backing services are not provisioned here: a database is declared as
# a Resource in catalog-info.yaml (paved:data:add adds it) and provisioned by the
# platform, which also creates the Secret with its connection URL. See README.md.

terraform {
  required_version = ">= 1.5.0"

  required_providers {
    kubernetes = {
      source  = "hashicorp/kubernetes"
      version = "~> 2.36"
    }
  }
}

# Configured from the environment: KUBE_CONFIG_PATH (and KUBE_CTX for a context
# other than the current one), or the provider's other KUBE_* variables.
provider "kubernetes" {}

locals {
  # The service, its owner and its system, as in catalog-info.yaml.
  labels = merge(
    {
      "app.kubernetes.io/name"       = var.name
      "app.kubernetes.io/managed-by" = "terraform"
      "backstage.io/kubernetes-id"   = var.name
      "owner"                        = var.owner
    },
    var.system == "" ? {} : { "app.kubernetes.io/part-of" = var.system },
  )
}

resource "kubernetes_namespace_v1" "service" {
  metadata {
    name   = var.namespace
    labels = local.labels
  }
}

# The identity of the service's pods. No API token is mounted and no role is bound:
# grant it a Role and RoleBinding here when the service needs the Kubernetes API.
resource "kubernetes_service_account_v1" "service" {
  metadata {
    name      = var.service_account
    namespace = kubernetes_namespace_v1.service.metadata[0].name
    labels    = local.labels
  }

  automount_service_account_token = false
}
`;

const OUTPUTS_TF = `${MARKER}: what pipelines and other modules read from this one.

output "namespace" {
  description = "The namespace the service runs in"
  value       = kubernetes_namespace_v1.service.metadata[0].name
}

output "service_account" {
  description = "The service account the service's pods run as"
  value       = kubernetes_service_account_v1.service.metadata[0].name
}
`;

function variablesTf(f: {
  name: string;
  dnsName: string;
  owner: string;
  ownerRef: string;
  system: string;
}): string {
  return `${MARKER}: the service's values, from catalog-info.yaml.

variable "name" {
  description = "The service: the name of its Component in the catalog"
  type        = string
  default     = ${hclString(f.name)}
}

variable "namespace" {
  description = "The Kubernetes namespace the service runs in"
  type        = string
  default     = ${hclString(f.dnsName)}

  validation {
    condition     = length(var.namespace) <= 63 && can(regex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$", var.namespace))
    error_message = "The namespace must be a DNS label: lower-case letters, digits and -, at most 63 characters."
  }
}

variable "service_account" {
  description = "The service account the service's pods run as"
  type        = string
  default     = ${hclString(f.dnsName)}
}

variable "owner" {
  description = ${hclString(
    `The team that owns the service: the name of its catalog owner (${f.ownerRef})`,
  )}
  type        = string
  default     = ${hclString(f.owner)}
}

variable "system" {
  description = "The system the service is part of, as in the catalog; empty for none"
  type        = string
  default     = ${hclString(f.system)}
}
`;
}

function readme(f: { name: string; dnsName: string }): string {
  return `# Infrastructure of ${f.name}

Written by \`paved:catalog:write\`. This Terraform module declares the service's own
footprint in Kubernetes: its namespace (\`${f.dnsName}\`) and the service account its pods
run as, labelled with the service, its owner and its system as in \`catalog-info.yaml\`.
\`variables.tf\` holds those values as defaults; override them in a \`terraform.tfvars\`
file rather than editing the generated files.

## Apply

With Terraform 1.5 or later and a kubeconfig for the cluster, from the service's directory:

\`\`\`sh
export KUBE_CONFIG_PATH=~/.kube/config  # and KUBE_CTX=<context> for another context
terraform -chdir=${INFRASTRUCTURE_DIR} init
terraform -chdir=${INFRASTRUCTURE_DIR} plan
terraform -chdir=${INFRASTRUCTURE_DIR} apply
\`\`\`

Apply it before the first deployment into this namespace. To run as the
service account, set \`serviceAccountName: ${f.dnsName}\` in the pod spec of the deployment.

Terraform keeps its state in a local \`terraform.tfstate\`. A team shares it instead: add a
\`backend\` block (such as \`backend "s3"\`, \`"gcs"\` or \`"kubernetes"\`) to the \`terraform\`
block of \`main.tf\` before the first apply.

## Not here

Backing services are not provisioned by this module. A database is a Resource in
\`catalog-info.yaml\` (\`paved:data:add\` adds it); the platform provisions it and creates the
Secret with its connection URL that the deployment reads.
`;
}

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
): Record<string, string> {
  const ns = footprint.entityNamespace;
  const values = {
    name: toLabelValue(footprint.name) || toDnsLabel(footprint.name),
    dnsName: toDnsLabel(footprint.name),
    owner: toLabelValue(refName(footprint.owner, 'group', ns)),
    ownerRef: footprint.owner,
    system: footprint.system
      ? toLabelValue(refName(footprint.system, 'system', ns))
      : '',
  };
  return {
    [`${INFRASTRUCTURE_DIR}/main.tf`]: MAIN_TF,
    [`${INFRASTRUCTURE_DIR}/variables.tf`]: variablesTf(values),
    [`${INFRASTRUCTURE_DIR}/outputs.tf`]: OUTPUTS_TF,
    [`${INFRASTRUCTURE_DIR}/README.md`]: readme(values),
  };
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
): Promise<InfrastructurePlan> {
  const rendered = renderTerraformModule(footprint);
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
  for (const [relPath, content] of Object.entries(rendered)) {
    files.plan(relPath, content, {
      keepReason: `kept the existing ${relPath}`,
    });
  }
  return { infrastructure: 'terraform', directory: INFRASTRUCTURE_DIR };
}
