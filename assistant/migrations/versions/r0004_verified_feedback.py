"""Verified answers and feedback on answers.

``verified_answers``: answers an editor vouched for, with their tool calls and the figure slots
that are recomputed when served (``assistant.verified``); a deleted one keeps its row
(``deleted_at``). ``feedback``: a thumbs up or down and a comment on one answer of a
conversation, one row per answer.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create the two tables."""
    op.create_table(
        "verified_answers",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("question", sa.Text, nullable=False),
        sa.Column("answer", sa.Text, nullable=False),
        sa.Column("template", sa.Text, nullable=False),
        sa.Column("figures", sa.JSON, nullable=False),
        sa.Column("tool_calls", sa.JSON, nullable=False),
        sa.Column("sources", sa.JSON, nullable=False),
        sa.Column("slots", sa.JSON, nullable=False),
        sa.Column("embedding", sa.JSON, nullable=False),
        sa.Column("created_by", sa.String(300), nullable=False),
        sa.Column("owner", sa.String(200), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("conversation_id", sa.String(64), nullable=True),
        sa.Column("message_index", sa.Integer, nullable=True),
        sa.Column("bundled", sa.Boolean, nullable=False),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_table(
        "feedback",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("conversation_id", sa.String(64), nullable=False),
        sa.Column("message_index", sa.Integer, nullable=False),
        sa.Column("rating", sa.String(8), nullable=False),
        sa.Column("comment", sa.Text, nullable=True),
        sa.Column("question", sa.Text, nullable=False),
        sa.Column("answer", sa.Text, nullable=False),
        sa.Column("mode", sa.String(16), nullable=True),
        sa.Column("sources", sa.JSON, nullable=True),
        sa.Column("tool_calls", sa.JSON, nullable=True),
        sa.Column("owner", sa.String(200), nullable=False),
        sa.Column("created_by", sa.String(300), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("conversation_id", "message_index", name="uq_feedback_answer"),
    )
    op.create_index("ix_feedback_updated_at", "feedback", ["updated_at"])


def downgrade() -> None:
    """Drop the two tables."""
    op.drop_index("ix_feedback_updated_at", table_name="feedback")
    op.drop_table("feedback")
    op.drop_table("verified_answers")
