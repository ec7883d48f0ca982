import {
  to = cloudelements_formula.sync
  identity = {
    id = "12345"
  }
}
