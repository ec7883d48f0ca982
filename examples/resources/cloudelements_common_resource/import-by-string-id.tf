import {
  to = cloudelements_common_resource.contact
  id = "myContact" # the common resource's name
}
