output "id" {
  description = "The instance id."
  value       = cloudelements_instance.this.id
}

output "name" {
  description = "The instance name."
  value       = cloudelements_instance.this.name
}

output "token" {
  description = "The instance token, for Element authorization."
  value       = cloudelements_instance.this.token
  sensitive   = true
}

output "events_enabled" {
  description = "Whether events are delivered."
  value       = length(cloudelements_instance.this.event_notification) > 0 && try(cloudelements_instance.this.event_notification[0].enabled, false)
}
