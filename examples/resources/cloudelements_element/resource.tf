variable "mycrm_app_secret" {
  type      = string
  sensitive = true
}

# The element's JSON as the Element Builder or doctor exports it, kept next
# to the configuration. Server fields in an export (ids, dates,
# ownerAccountId) are fine; key and name come from the arguments. The
# secret's default value is not in the file: it is in sensitive_defaults.
resource "cloudelements_element" "crm" {
  key                = "mycrm"
  name               = "My CRM"
  definition         = file("${path.module}/elements/mycrm.json")
  sensitive_defaults = { "oauth.api.secret" = var.mycrm_app_secret }
}

# An instance of it: element_key refers to the element, so Terraform creates
# the element first and deletes it last, and the plan checks the instance
# against the element's planned configuration (mycrm.subdomain is required).
resource "cloudelements_instance" "crm" {
  element_key   = cloudelements_element.crm.key
  name          = "My CRM (prod)"
  configuration = { "mycrm.subdomain" = "acme" }
}
