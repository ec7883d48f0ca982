# Look a formula up by its exact name (or by id = "12345")...
data "cloudelements_formula" "sync" {
  name = "crm-event-sync"
}

# ...and bind it, for example when another team manages the formula.
resource "cloudelements_formula_instance" "crm" {
  formula_id = data.cloudelements_formula.sync.id
  name       = "crm events"
  configuration = {
    for v in data.cloudelements_formula.sync.variables : v.key => cloudelements_instance.crm.id
    if v.type == "elementInstance"
  }
}
