"""Maintenance mode and maintenance windows, kept in the database so every replica agrees."""
