"""Maintenance's scheduled tasks: importing this package registers them.

Other capabilities keep their tasks in their own packages (security/tasks.py); the app's assembly
imports every catalogue, and maintenance.yaml may then schedule what they register.
"""

from memo_coach.maintenance.tasks import backup_tasks, database_tasks, housekeeping_tasks

__all__ = ["backup_tasks", "database_tasks", "housekeeping_tasks"]
