"""Reviews of hits: confirmed or rejected, by whom, when.

Revision ID: 0006
Revises: 0005
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

SERIAL = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "hit_review",
        sa.Column("id", SERIAL, autoincrement=True, nullable=False),
        sa.Column("operation_id", SERIAL, nullable=False),
        sa.Column("hit_id", SERIAL, nullable=False),
        sa.Column("verdict", sa.String(length=20), nullable=False),
        sa.Column("reviewer", sa.String(length=100), nullable=False),
        sa.Column("note", sa.String(length=1000), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["operation_id"], ["operation.id"]),
        sa.ForeignKeyConstraint(["hit_id"], ["hit.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_hit_review_hit", "hit_review", ["hit_id", "id"])


def downgrade() -> None:
    op.drop_index("ix_hit_review_hit", "hit_review")
    op.drop_table("hit_review")
