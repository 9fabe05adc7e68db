"""The baseline of the ${{ values.name }} database.

Migrations start from an empty schema; each schema change is a revision of its own
(alembic revision -m "<what changes>").

Revision ID: 0001
Revises:
"""

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Nothing to change: the schema starts empty."""


def downgrade() -> None:
    """Nothing to undo."""
