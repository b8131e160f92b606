"""Alert rules, incidents, notifications, the status page and post-incident reviews."""
