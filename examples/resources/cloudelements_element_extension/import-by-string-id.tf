import {
  to = cloudelements_element_extension.sfdc_extras
  id = "sfdc"
}
