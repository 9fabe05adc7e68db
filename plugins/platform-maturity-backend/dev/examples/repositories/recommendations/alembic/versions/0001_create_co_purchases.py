"""create co_purchases

Revision ID: 0001
Revises:
Create Date: 2026-08-04 09:12:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "co_purchases",
        sa.Column("product_id", sa.String(32), primary_key=True),
        sa.Column("other_product_id", sa.String(32), primary_key=True),
        sa.Column("count", sa.Integer, nullable=False, server_default="0"),
    )
    op.create_index("co_purchases_by_count", "co_purchases", ["product_id", "count"])


def downgrade() -> None:
    op.drop_index("co_purchases_by_count", table_name="co_purchases")
    op.drop_table("co_purchases")
