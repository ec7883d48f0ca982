# The assets of one integration, as one module applied to each account
# (staging, production) through that account's provider configuration: the
# team's own CRM connector (a custom element), a connection to the CRM (an
# instance of it), the common resource it maps, the formula that syncs it
# and the formula instance that runs it. Nothing in here names an account:
# every id comes from a resource of the same account, so the same module
# gives each account its own objects.
terraform {
  # Terraform 1.8 is the oldest the provider supports and is tested with.
  required_version = ">= 1.8"
  required_providers {
    cloudelements = {
      # A shared module sets only a minimum; the root configuration pins.
      source  = "cloudelements/cloudelements"
      version = ">= 0.1"
    }
  }
}

# The connector, kept as JSON beside the module, as the Element Builder or
# doctor exports it: the same element in every account, under the same key.
resource "cloudelements_element" "connector" {
  key        = var.connector_key
  name       = "CRM sync connector"
  definition = file("${path.module}/elements/crm-sync.json")
}

# The CRM connection. element_key refers to the connector: Terraform creates
# it first, and the plan checks this configuration against the connector's
# planned one (username and password are required). The credentials are
# this account's: passed in, never written here.
resource "cloudelements_instance" "crm" {
  element_key             = cloudelements_element.connector.key
  name                    = "crm-sync (${var.environment})"
  configuration           = { username = var.crm_username }
  sensitive_configuration = { password = var.crm_password }
  tags                    = ["crm-sync", var.environment]
}

# The organization's contact, as every element maps it.
resource "cloudelements_common_resource" "contact" {
  name = "crmSyncContact"
  fields = {
    id        = "string"
    email     = "string"
    name      = "string"
    createdAt = "date"
  }
}

# The element's mapping of it. Both names are references: the element key
# and the object name come from the resources above, so Terraform creates
# them first and destroys them last.
resource "cloudelements_transformation" "contact" {
  element_key = cloudelements_instance.crm.element_key
  object_name = cloudelements_common_resource.contact.name
  vendor_name = "contacts"
  fields = {
    id        = "id"
    email     = "emails[0].email"
    name      = "name"
    createdAt = "date_created"
  }
}

# The formula, kept as JSON beside the module: the same file in every
# account. Its id is the account's.
resource "cloudelements_formula" "sync" {
  name       = "crm-sync"
  definition = file("${path.module}/formulas/crm-sync.json")
}

# The formula instance binds the formula to this account's CRM connection
# (by the instance's id in this account) and to this account's API key.
resource "cloudelements_formula_instance" "sync" {
  formula_id              = cloudelements_formula.sync.id
  name                    = "crm-sync (${var.environment})"
  configuration           = { crm = cloudelements_instance.crm.id, cron = var.sync_cron }
  sensitive_configuration = { apiKey = var.api_key }
  notification_email      = var.notification_email
}
