"""Support tickets: opened by writers with their context, triaged by the rules of config/support.yaml,
answered both ways (with email copies), measured against the response targets and reported on.

The doors call `desk`; `service` holds the ticket's life, `views` how the doors show it.
"""
