"""security: rate-limit hits, admin approvals, must_change_password, TOTP, access reviews, erasure requests

Revision ID: 0007
Revises: 0005
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

import memo_coach.db.base

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "rate_limit_hits",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=160), nullable=False),
        sa.Column("at", memo_coach.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rate_limit_hits")),
    )
    with op.batch_alter_table("rate_limit_hits", schema=None) as batch_op:
        batch_op.create_index("ix_rate_limit_hits_key_at", ["key", "at"], unique=False)
    op.create_table(
        "account_approvals",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("username", sa.String(length=64), nullable=False),
        sa.Column("change", sa.String(length=32), nullable=False),
        sa.Column("requested_by", sa.String(length=64), nullable=False),
        sa.Column("requested_at", memo_coach.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("decided_by", sa.String(length=64), nullable=True),
        sa.Column("decided_at", memo_coach.db.base.UTCDateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_account_approvals")),
    )
    with op.batch_alter_table("account_approvals", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_account_approvals_username"), ["username"], unique=False)
    op.create_table(
        "access_reviews",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("created_at", memo_coach.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("trigger", sa.String(length=16), nullable=False),
        sa.Column("report", sa.JSON(), nullable=False),
        sa.Column("signed_off_by", sa.String(length=64), nullable=True),
        sa.Column("signed_off_at", memo_coach.db.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("note", sa.String(length=1000), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_access_reviews")),
    )
    with op.batch_alter_table("access_reviews", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_access_reviews_created_at"), ["created_at"], unique=False)
    op.create_table(
        "erasure_requests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("username", sa.String(length=64), nullable=False),
        sa.Column("requested_at", memo_coach.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("carried_out_by", sa.String(length=64), nullable=True),
        sa.Column("carried_out_at", memo_coach.db.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("summary", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_erasure_requests")),
    )
    with op.batch_alter_table("erasure_requests", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_erasure_requests_user_id"), ["user_id"], unique=False)
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("must_change_password", sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column("totp_secret", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("totp_enabled", sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column("totp_recovery", sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column("totp_last_step", sa.BigInteger(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("erasure_requests", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_erasure_requests_user_id"))
    op.drop_table("erasure_requests")
    with op.batch_alter_table("access_reviews", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_access_reviews_created_at"))
    op.drop_table("access_reviews")
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("totp_last_step")
        batch_op.drop_column("totp_recovery")
        batch_op.drop_column("totp_enabled")
        batch_op.drop_column("totp_secret")
        batch_op.drop_column("must_change_password")
    with op.batch_alter_table("account_approvals", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_account_approvals_username"))
    op.drop_table("account_approvals")
    with op.batch_alter_table("rate_limit_hits", schema=None) as batch_op:
        batch_op.drop_index("ix_rate_limit_hits_key_at")
    op.drop_table("rate_limit_hits")
