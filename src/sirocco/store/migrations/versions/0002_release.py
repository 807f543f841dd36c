"""Handling code, distribution and evaluation per report; data-subject category per entity.

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("report") as batch:
        batch.add_column(sa.Column("release", sa.JSON(), nullable=True))
    with op.batch_alter_table("entity") as batch:
        batch.add_column(sa.Column("category", sa.String(length=30), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("entity") as batch:
        batch.drop_column("category")
    with op.batch_alter_table("report") as batch:
        batch.drop_column("release")
