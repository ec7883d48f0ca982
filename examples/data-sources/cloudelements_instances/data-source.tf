# Every Campaign Monitor instance of the CRM team whose name contains "prod".
data "cloudelements_instances" "crm" {
  tags          = ["team-crm"]
  element_key   = "campaignmonitor"
  name_contains = "prod"
}

output "crm_instance_ids" {
  value = data.cloudelements_instances.crm.ids
}

output "crm_instances_without_events" {
  value = [for i in data.cloudelements_instances.crm.instances : i.name if !i.events_enabled]
}
