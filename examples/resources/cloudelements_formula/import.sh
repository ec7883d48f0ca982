# Import a formula by its numeric id (the console shows it; so does data
# source cloudelements_formula):
terraform import cloudelements_formula.sync 12345
