# Import an instance by its numeric id (the console shows it; so does data
# source cloudelements_instances):
terraform import cloudelements_instance.crm 12345
