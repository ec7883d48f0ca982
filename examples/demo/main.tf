# The configuration `make demo` applies against the local mock API: an
# instance with signed webhook events and tags, both data sources, the
# provider function, a formula consuming the instance's events, and a small
# custom element with an instance of it. The provider reads CLOUDELEMENTS_* from the environment.
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

variable "mycrm_app_secret" {
  description = "The custom element's app secret (a sensitive default)."
  type        = string
  sensitive   = true
  default     = "demo-app-secret"
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

# A connector the catalog lacks, built as a custom element, and an instance
# of it. element_key refers to the element: Terraform creates it first and
# checks the instance against its planned configuration (mycrm.subdomain is
# required). The app secret is a sensitive default, never in the plan.
resource "cloudelements_element" "mycrm" {
  key  = "mycrm"
  name = "My CRM"
  definition = jsonencode({
    description    = "A small REST API the catalog lacks"
    authentication = { type = "custom" }
    hub            = "crm"
    configuration = [
      { key = "base.url", name = "Base URL", type = "TEXTFIELD_1000", defaultValue = "https://api.mycrm.example" },
      { key = "mycrm.subdomain", name = "Subdomain", type = "TEXTFIELD_64", required = true },
      { key = "oauth.api.secret", name = "App secret", type = "PASSWORD" },
    ]
    resources = [
      { path = "/contacts", method = "GET", vendorPath = "/v1/contacts", vendorMethod = "GET", description = "List contacts" },
    ]
  })
  sensitive_defaults = { "oauth.api.secret" = var.mycrm_app_secret }
}

resource "cloudelements_instance" "mycrm" {
  element_key   = cloudelements_element.mycrm.key
  name          = "Demo My CRM"
  configuration = { "mycrm.subdomain" = "demo" }
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
output "custom_element" {
  value = "${cloudelements_element.mycrm.key} (id ${cloudelements_element.mycrm.id}), instance ${cloudelements_instance.mycrm.id}"
}

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
