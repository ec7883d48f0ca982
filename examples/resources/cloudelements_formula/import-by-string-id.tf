import {
  to = cloudelements_formula.sync
  id = "12345"
}
