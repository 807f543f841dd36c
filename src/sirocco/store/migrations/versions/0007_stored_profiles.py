"""Each entity's match profile, kept with its row (``sirocco.store.profiles``).

Rows stored before this revision have none: their profiles are rebuilt from their properties
when needed, as before.

Revision ID: 0007
Revises: 0006
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("entity") as batch:
        batch.add_column(sa.Column("profile", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("entity") as batch:
        batch.drop_column("profile")
