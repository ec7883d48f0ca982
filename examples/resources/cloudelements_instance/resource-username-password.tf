# An element that authenticates with a username and password (no OAuth, so no
# provider_data), with events collected by polling the vendor.
variable "servicenow_password" {
  type      = string
  sensitive = true
}

resource "cloudelements_instance" "itsm" {
  element_key = "servicenow"
  name        = "ServiceNow (production)"

  configuration = {
    "username"             = "integration-user"
    "servicenow.subdomain" = "example"
  }
  sensitive_configuration = {
    "password" = var.servicenow_password
  }

  event_notification {
    callback_url            = "https://app.example.com/events"
    vendor_type             = "polling"
    poller_refresh_interval = 15 # minutes
    # What to poll; "$${date:...}" is the vendor's date macro, with "$$" so
    # Terraform does not read it as an interpolation.
    poller_configuration = jsonencode({
      incident = {
        url     = "/hubs/helpdesk/incidents?where=sys_updated_on>='$${date:yyyy-MM-dd HH:mm:ss}'"
        idField = "sys_id"
        datesConfiguration = {
          updatedDateField  = "sys_updated_on"
          updatedDateFormat = "yyyy-MM-dd HH:mm:ss"
          createdDateField  = "sys_created_on"
          createdDateFormat = "yyyy-MM-dd HH:mm:ss"
        }
      }
    })
  }

  timeouts {
    create = "15m"
  }
}
