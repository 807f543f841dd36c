"""Match keys' postings read from the index alone.

The lookup index on (operation, key) sent every posting to the table for its entity's key: one
random page read per posting, most of a report's wait at a million records. The index now
holds the entity's key too, so the database answers from the index (PostgreSQL: once a vacuum
has marked the pages all-visible, see ``store.bulk.settle``; SQLite: always).

Revision ID: 0008
Revises: 0007
"""

from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_match_key_postings", "match_key", ["operation_id", "key", "entity_pk"])
    op.drop_index("ix_match_key_lookup", table_name="match_key")


def downgrade() -> None:
    op.create_index("ix_match_key_lookup", "match_key", ["operation_id", "key"])
    op.drop_index("ix_match_key_postings", table_name="match_key")
