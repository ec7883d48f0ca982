import {
  to = cloudelements_formula_instance.crm
  identity = {
    formula_id = "12345"
    id         = "678"
  }
}
