# The ids differ per account: each output is this account's.
output "connector_id" {
  description = "The connector's id in this account (its key is the same in every account)."
  value       = cloudelements_element.connector.id
}

output "instance_id" {
  description = "The CRM element instance's id."
  value       = cloudelements_instance.crm.id
}

output "formula_id" {
  description = "The formula's id."
  value       = cloudelements_formula.sync.id
}

output "formula_instance_id" {
  description = "The formula instance's import id, <formula_id>/<instance_id>."
  value       = "${cloudelements_formula.sync.id}/${cloudelements_formula_instance.sync.id}"
}
