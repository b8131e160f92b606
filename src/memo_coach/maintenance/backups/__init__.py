"""Backups: consistent online copies with a manifest, verification, restore and restore drills."""
