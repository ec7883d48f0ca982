import {
  to = cloudelements_formula_instance.crm
  id = "12345/678" # <formula_id>/<instance_id>
}
