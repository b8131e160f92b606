"""The task scheduler: cron schedules from maintenance.yaml, database leases, recorded runs."""
