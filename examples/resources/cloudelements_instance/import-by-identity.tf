import {
  to = cloudelements_instance.crm
  identity = {
    id = "12345"
  }
}
