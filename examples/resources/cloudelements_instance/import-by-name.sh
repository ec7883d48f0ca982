# Or by its exact name; an error lists the candidates when no instance, or
# several, has it:
terraform import cloudelements_instance.crm 'name=CRM (production)'
