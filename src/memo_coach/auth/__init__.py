"""Accounts: users, roles, sessions, passwords and lockout."""
