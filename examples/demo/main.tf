# The configuration `make demo` applies against the local mock API: an
# instance with signed webhook events and tags, both data sources, the
# provider function, and a formula consuming the instance's events. The provider reads CLOUDELEMENTS_* from the environment.
terraform {
  required_providers {
    cloudelements = {
      source  = "cloudelements/cloudelements"
      version = "~> 0.1"
    }
  }
}

provider "cloudelements" {}

variable "callback_url" {
  description = "Where the demo's receiver listens."
  type        = string
}

variable "signature_key" {
  type      = string
  sensitive = true
}

variable "sample_body" {
  description = "A body whose signature the demo checks against the mock's."
  type        = string
  default     = "{\"message\":{\"instanceId\":12345}}"
}

resource "cloudelements_instance" "demo" {
  element_key   = "campaignmonitor"
  name          = "Demo CRM"
  provider_data = { code = "demo-oauth-grant-code" }

  configuration = {
    "oauth.callback.url" = "https://app.example.com/oauth/callback"
    "oauth.api.key"      = "demo-client-id"
  }
  sensitive_configuration = {
    "oauth.api.secret" = "demo-client-secret"
  }
  tags = ["demo", "team-crm"]

  event_notification {
    callback_url  = var.callback_url
    signature_key = var.signature_key
    objects       = ["contacts"]
  }
}

# The consumer of the instance's events: a formula whose event trigger
# listens to the element instance bound to its `crm` variable, and a formula
# instance binding that variable to the demo instance. Every event the
# instance receives becomes an execution of the formula instance.
resource "cloudelements_formula" "demo" {
  name        = "demo-contact-sync"
  description = "Runs on every event of the demo CRM instance."
  definition = jsonencode({
    configuration = [{ key = "crm", name = "CRM instance", type = "elementInstance" }]
    triggers = [{
      type       = "event"
      properties = { elementInstanceId = "$${config.crm}" }
      onSuccess  = ["log-event"]
    }]
    steps = [{
      name       = "log-event"
      type       = "script"
      properties = { body = "done({ objectId: trigger.event.objectId });" }
    }]
  })
}

resource "cloudelements_formula_instance" "demo" {
  formula_id    = cloudelements_formula.demo.id
  name          = "demo CRM events"
  configuration = { crm = cloudelements_instance.demo.id }
}

data "cloudelements_instance" "demo" {
  id = cloudelements_instance.demo.id
}

data "cloudelements_instances" "crm" {
  tags       = ["team-crm"]
  depends_on = [cloudelements_instance.demo]
}

output "instance_id" {
  value = cloudelements_instance.demo.id
}

# event_notification is a list of zero or one objects, like the resource's
# block: [0] reads the settings (the demo's instance always has events on).
output "formula_instance_id" {
  value = cloudelements_formula_instance.demo.id
}

output "events" {
  value = "${data.cloudelements_instance.demo.event_notification[0].enabled ? "on" : "off"}, to ${data.cloudelements_instance.demo.event_notification[0].callback_url}, signed: ${data.cloudelements_instance.demo.event_notification[0].signature_key_set}"
}

output "crm_instances" {
  value = [for i in data.cloudelements_instances.crm.instances : "${i.id} ${i.name} [${join(", ", sort(i.tags))}]"]
}

output "sample_signature" {
  value     = provider::cloudelements::webhook_signature(var.sample_body, var.signature_key)
  sensitive = true
}
