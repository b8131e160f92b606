"""Alembic environment: runs against the connection handed over by memo_coach.db.migrate.

The models' metadata comes from the caller too (`db` knows no domain): only autogenerate needs it.
"""

from alembic import context

config = context.config
connection = config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=config.attributes.get("metadata"),
    render_as_batch=connection.dialect.name == "sqlite",  # SQLite alters tables by copying them
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
