# Terraform 1.5 and later: import with a block, then plan and apply.
import {
  to = cloudelements_instance.crm
  id = "12345"
}
