# Written by paved:catalog:write: the service's values, from catalog-info.yaml.

variable "name" {
  description = "The service: the name of its Component in the catalog"
  type        = string
  default     = ${{ values.hcl.name }}
}

variable "namespace" {
  description = "The Kubernetes namespace the service runs in"
  type        = string
  default     = ${{ values.hcl.dnsName }}

  validation {
    condition     = length(var.namespace) <= 63 && can(regex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$", var.namespace))
    error_message = "The namespace must be a DNS label: lower-case letters, digits and -, at most 63 characters."
  }
}

variable "service_account" {
  description = "The service account the service's pods run as"
  type        = string
  default     = ${{ values.hcl.dnsName }}
}

variable "owner" {
  description = ${{ values.hcl.ownerDescription }}
  type        = string
  default     = ${{ values.hcl.owner }}
}

variable "system" {
  description = "The system the service is part of, as in the catalog; empty for none"
  type        = string
  default     = ${{ values.hcl.system }}
}
