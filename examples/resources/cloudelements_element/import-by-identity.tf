import {
  to = cloudelements_element.crm
  identity = {
    key = "mycrm"
  }
}
