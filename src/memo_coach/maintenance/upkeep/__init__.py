"""Database upkeep, retention with archiving, and cleanup of logs and temporary files."""
