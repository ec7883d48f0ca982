import {
  to = cloudelements_element.crm
  id = "mycrm"
}
