"""incidents are internal unless published for writers, under a title written for them

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-07 16:00:00

`affects_writers` showed every incident's operator title on the banner; it gives way to `visibility`
and `public_title`. Every existing incident becomes internal: its title was never written for
writers, so an operator publishes it again, with a public title, if writers should see it. The
lifecycle's events lose their public mark: they held operators' words ("P2: <title>", an alert's
name), and the status page now says each step in plain words of its own.
"""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("incidents", schema=None) as batch_op:
        batch_op.add_column(sa.Column("visibility", sa.String(length=16), server_default="internal", nullable=False))
        batch_op.add_column(sa.Column("public_title", sa.String(length=200), server_default="", nullable=False))
        batch_op.drop_column("affects_writers")
    events = sa.table("incident_events", sa.column("kind", sa.String), sa.column("public", sa.Boolean))
    steps = ("triggered", "investigating", "mitigated", "resolved")
    op.execute(events.update().where(events.c.kind.in_(steps)).values(public=False))


def downgrade() -> None:
    with op.batch_alter_table("incidents", schema=None) as batch_op:
        batch_op.add_column(sa.Column("affects_writers", sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.drop_column("public_title")
        batch_op.drop_column("visibility")
