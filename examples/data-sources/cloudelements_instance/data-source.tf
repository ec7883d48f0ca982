# Look an instance up by id...
data "cloudelements_instance" "by_id" {
  id = "12345"
}

# ...or by its exact name (an error when no instance, or several, has it).
data "cloudelements_instance" "by_name" {
  name = "CRM (production)"
}

# event_notification is a list of zero or one objects, shaped like the
# resource's block: [0] reads the settings when events are set up, and
# one(...[*]) gives null when they are not.
output "crm_events_url" {
  value = one(data.cloudelements_instance.by_name.event_notification[*].callback_url)
}

output "crm_events_signed" {
  value = try(data.cloudelements_instance.by_name.event_notification[0].signature_key_set, false)
}

# configuration and configuration_all are sensitive: take out the values you
# know to be public with nonsensitive().
output "crm_callback_url" {
  value = nonsensitive(data.cloudelements_instance.by_name.configuration["oauth.callback.url"])
}

# configuration_all also holds the keys the API added itself, which the
# cloudelements_instance resource does not manage.
output "crm_base_url" {
  value = nonsensitive(data.cloudelements_instance.by_name.configuration_all["base.url"])
}
