import {
  to = cloudelements_instance.crm
  id = "12345" # or "name=CRM (production)"
}
