"""Lookouts, their alerts, and the acknowledgements of each alert.

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

SERIAL = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "lookout",
        sa.Column("id", SERIAL, autoincrement=True, nullable=False),
        sa.Column("operation_id", SERIAL, nullable=False),
        sa.Column("agency", sa.String(length=20), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("subject", sa.JSON(), nullable=False),
        sa.Column("countries", sa.JSON(), nullable=False),
        sa.Column("note", sa.String(length=500), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["operation_id"], ["operation.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "alert",
        sa.Column("id", SERIAL, autoincrement=True, nullable=False),
        sa.Column("operation_id", SERIAL, nullable=False),
        sa.Column("lookout_id", SERIAL, nullable=False),
        sa.Column("entity_pk", SERIAL, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["operation_id"], ["operation.id"]),
        sa.ForeignKeyConstraint(["lookout_id"], ["lookout.id"]),
        sa.ForeignKeyConstraint(["entity_pk"], ["entity.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "alert_ack",
        sa.Column("alert_id", SERIAL, nullable=False),
        sa.Column("agency", sa.String(length=20), nullable=False),
        sa.Column("account", sa.String(length=100), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["alert_id"], ["alert.id"]),
        sa.PrimaryKeyConstraint("alert_id", "agency"),
    )


def downgrade() -> None:
    op.drop_table("alert_ack")
    op.drop_table("alert")
    op.drop_table("lookout")
