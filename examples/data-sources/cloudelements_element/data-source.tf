# What an instance of Campaign Monitor needs, read from the element catalog.
data "cloudelements_element" "crm" {
  key = "campaignmonitor"
}

locals {
  # Keys you must set: required, not managed by the API, without a default.
  # The event.* keys are the event_notification block's.
  crm_required = [
    for c in data.cloudelements_element.crm.configuration : c.key
    if c.required && !c.internal && c.default_value == null && !startswith(c.key, "event.")
  ]
  # Keys that hold secrets: they go in sensitive_configuration.
  crm_secrets = [
    for c in data.cloudelements_element.crm.configuration : c.key
    if c.secret && !c.internal && !startswith(c.key, "event.")
  ]
}

output "crm_needs_oauth_code" {
  value = data.cloudelements_element.crm.oauth # true: provider_data = { code = ... }
}

output "crm_required_keys" {
  value = local.crm_required # ["oauth.api.key", "oauth.api.secret", "oauth.callback.url"]
}

output "crm_secret_keys" {
  value = local.crm_secrets # ["oauth.api.secret"]
}

output "crm_event_methods" {
  value = data.cloudelements_element.crm.event_methods # ["webhook"], ["polling"], or [] when unknown
}
