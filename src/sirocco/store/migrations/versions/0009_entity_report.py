"""A report's records found by their report.

A stored profile made by other code is rebuilt with what the other records of its report say of
it (a passport of its holder, ``sirocco.match.links``): those records are looked up by report.

Revision ID: 0009
Revises: 0008
"""

from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_entity_report", "entity", ["report_id", "schema"])


def downgrade() -> None:
    op.drop_index("ix_entity_report", table_name="entity")
