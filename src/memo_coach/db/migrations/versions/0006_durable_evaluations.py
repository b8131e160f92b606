"""durable evaluation jobs (lease, deadline, idempotency key), ids never reused, exclusive maintenance

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01

On SQLite, memos and evaluations are rebuilt with AUTOINCREMENT: without it SQLite hands out
max(id) + 1, so after a restore a new evaluation would take the id of one the restore undid.
"""

import sqlalchemy as sa
from alembic import op

import memo_coach.db.base

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    if sqlite:
        for table in ("memos", "evaluations"):
            with op.batch_alter_table(table, recreate="always", table_kwargs={"sqlite_autoincrement": True}):
                pass
    with op.batch_alter_table("evaluations", schema=None) as batch_op:
        batch_op.add_column(sa.Column("idempotency_key", sa.String(length=128), nullable=True))
        batch_op.add_column(sa.Column("lease_owner", sa.String(length=120), nullable=True))
        batch_op.add_column(sa.Column("lease_expires_at", memo_coach.db.base.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("deadline_at", memo_coach.db.base.UTCDateTime(timezone=True), nullable=True))
        batch_op.create_index("ix_evaluations_idempotency", ["user_id", "idempotency_key"], unique=True)
    with op.batch_alter_table("maintenance_windows", schema=None) as batch_op:
        batch_op.add_column(sa.Column("exclusive_to", sa.String(length=64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("maintenance_windows", schema=None) as batch_op:
        batch_op.drop_column("exclusive_to")
    with op.batch_alter_table("evaluations", schema=None) as batch_op:
        batch_op.drop_index("ix_evaluations_idempotency")
        batch_op.drop_column("deadline_at")
        batch_op.drop_column("lease_expires_at")
        batch_op.drop_column("lease_owner")
        batch_op.drop_column("idempotency_key")
