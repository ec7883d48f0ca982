# Look an instance up by id...
data "cloudelements_instance" "by_id" {
  id = "12345"
}

# ...or by its exact name.
data "cloudelements_instance" "by_name" {
  name = "CRM (production)"
}

output "crm_events_url" {
  value = data.cloudelements_instance.by_name.event_notification.callback_url
}
