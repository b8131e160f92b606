"""Configuration: YAML schemas, validation with file and line, versions kept in the database."""
