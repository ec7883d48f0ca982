# Import a formula instance by its formula's id and its own id:
terraform import cloudelements_formula_instance.crm 12345/678
