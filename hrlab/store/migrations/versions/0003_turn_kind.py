"""turn kind: what each AI line was (question:llm:follow_up, reprompt:script:redirect, ...)

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("interview_turns", schema=None) as batch_op:
        batch_op.add_column(sa.Column("kind", sa.String(length=80), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("interview_turns", schema=None) as batch_op:
        batch_op.drop_column("kind")
