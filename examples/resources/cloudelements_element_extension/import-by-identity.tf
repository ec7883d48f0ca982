import {
  to = cloudelements_element_extension.sfdc_extras
  identity = {
    element_key = "sfdc"
  }
}
