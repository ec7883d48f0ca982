# The formula's JSON as the console or doctor exports it, kept next to the
# configuration. Server fields in an export (id, userId, createdDate, the ids
# of steps) are fine; name, description and active come from the arguments.
resource "cloudelements_formula" "sync" {
  name        = "crm-event-sync"
  description = "Copies each new CRM contact to the marketing system."
  definition  = file("${path.module}/formulas/crm-event-sync.json")
}

# A small formula can be written inline with jsonencode; ${...} references of
# the formula itself are escaped as $${...} in HCL strings.
resource "cloudelements_formula" "nightly" {
  name = "nightly-report"
  definition = jsonencode({
    configuration = [{ key = "crm", name = "CRM instance", type = "elementInstance" }]
    triggers      = [{ type = "scheduled", properties = { cron = "0 0 2 ? * *" }, onSuccess = ["count"] }]
    steps = [{
      name       = "count"
      type       = "elementRequest"
      properties = { elementInstanceId = "$${config.crm}", method = "GET", api = "/hubs/crm/contacts" }
    }]
  })
}
