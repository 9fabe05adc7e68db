# Written by paved:catalog:write: the service's own infrastructure, as code.
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
