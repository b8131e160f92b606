"""The catalogue of registered tasks: importing this package registers every built-in task.

A concept that brings its own scheduled work (health report, metric history, tickets) adds a module
here and imports it below; maintenance.yaml may then schedule it.
"""

from memo_coach.ops.tasks import backup_tasks, database_tasks, housekeeping_tasks, security_tasks

__all__ = ["backup_tasks", "database_tasks", "housekeeping_tasks", "security_tasks"]
