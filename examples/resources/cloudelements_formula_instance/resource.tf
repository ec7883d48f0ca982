resource "cloudelements_instance" "crm" {
  element_key = "sfdc"
  name        = "CRM (production)"
  # provider_data, configuration and event_notification as on the
  # cloudelements_instance page.
}

resource "cloudelements_instance" "marketing" {
  element_key = "hubspot"
  name        = "Marketing (production)"
}

# Binds the formula's variables (cloudelements_formula.sync is the formula
# on the cloudelements_formula page, with variables crm and marketing):
# element instance ids for elementInstance variables, text for value
# variables.
resource "cloudelements_formula_instance" "crm" {
  formula_id = cloudelements_formula.sync.id
  name       = "crm events"
  configuration = {
    crm       = cloudelements_instance.crm.id
    marketing = cloudelements_instance.marketing.id
  }

  notification_email       = "integrations@example.com"
  notification_webhook_url = "https://ops.example.com/hooks/formula-failures"
}
