"""Requests for withheld records, and the owners' grants or refusals.

Revision ID: 0005
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

SERIAL = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "data_request",
        sa.Column("id", SERIAL, autoincrement=True, nullable=False),
        sa.Column("operation_id", SERIAL, nullable=False),
        sa.Column("hit_id", SERIAL, nullable=False),
        sa.Column("entity_pk", SERIAL, nullable=False),
        sa.Column("requester", sa.String(length=20), nullable=False),
        sa.Column("owner", sa.String(length=20), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("reason", sa.String(length=500), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["operation_id"], ["operation.id"]),
        sa.ForeignKeyConstraint(["hit_id"], ["hit.id"]),
        sa.ForeignKeyConstraint(["entity_pk"], ["entity.id"]),
        sa.PrimaryKeyConstraint("id"),
    )


def downgrade() -> None:
    op.drop_table("data_request")
