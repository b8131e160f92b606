"""each user's language for the writer pages, the PDF and emails

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-09 10:00:00

"en" or "es"; NULL (every existing account) follows the browser's Accept-Language, then English.
"""

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("language", sa.String(length=8), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("language")
