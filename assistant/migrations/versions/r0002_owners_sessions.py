"""Conversations have owners; single sign-on sessions and logins in progress.

``conversations.owner`` is added NOT NULL with the server default ``okänd``, so conversations
stored before owners existed belong to ``okänd`` (only an admin can read them). Two new tables:
``sessions`` and ``sso_logins``.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

#: The owner of conversations stored before owners existed (``assistant.access.UNKNOWN_OWNER``;
#: a migration keeps its own copy, as the value it wrote must not change with the code).
UNKNOWN_OWNER = "okänd"


def upgrade() -> None:
    """Add the owner column and its index; create the session tables."""
    op.add_column(
        "conversations",
        sa.Column("owner", sa.String(200), nullable=False, server_default=UNKNOWN_OWNER),
    )
    op.create_index("ix_conversations_owner", "conversations", ["owner"])
    op.create_table(
        "sessions",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("owner", sa.String(200), nullable=False),
        sa.Column("name", sa.String(300), nullable=False),
        sa.Column("email", sa.String(300), nullable=True),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("clearance", sa.Integer, nullable=False),
        sa.Column("csrf", sa.String(64), nullable=False),
        sa.Column("id_token", sa.Text, nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_sessions_owner", "sessions", ["owner"])
    op.create_index("ix_sessions_expires_at", "sessions", ["expires_at"])
    op.create_table(
        "sso_logins",
        sa.Column("state", sa.String(128), primary_key=True),
        sa.Column("code_verifier", sa.String(128), nullable=False),
        sa.Column("nonce", sa.String(128), nullable=False),
        sa.Column("next_path", sa.String(500), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    """Drop the session tables and the owner column."""
    op.drop_table("sso_logins")
    op.drop_table("sessions")
    op.drop_index("ix_conversations_owner", table_name="conversations")
    with op.batch_alter_table("conversations") as batch:
        batch.drop_column("owner")
