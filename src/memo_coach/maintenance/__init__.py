"""Maintenance: the scheduler and its tasks, backups, database upkeep, retention and maintenance mode."""
