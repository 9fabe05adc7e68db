# Written by paved:catalog:write: what pipelines and other modules read from this one.

output "namespace" {
  description = "The namespace the service runs in"
  value       = kubernetes_namespace_v1.service.metadata[0].name
}

output "service_account" {
  description = "The service account the service's pods run as"
  value       = kubernetes_service_account_v1.service.metadata[0].name
}
