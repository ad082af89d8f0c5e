"""Baseline: the schema before conversations had owners.

Conversations, messages, accepted classifications, the audit log and API keys, as the releases
before owners created them with ``create_all``. Tables and indexes are created only when missing
(``IF NOT EXISTS``): a database that predates the migrations but lacks some of these tables is
completed, never recreated.

Revision ID: 0001
Revises:
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create the five tables of the first releases."""
    op.create_table(
        "conversations",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        if_not_exists=True,
    )
    op.create_table(
        "messages",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("conversation_id", sa.String(64), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("content", sa.Text, nullable=False),
        sa.Column("data", sa.JSON, nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        if_not_exists=True,
    )
    op.create_index(
        "ix_messages_conversation_id", "messages", ["conversation_id"], if_not_exists=True
    )
    op.create_table(
        "classifications",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("description", sa.Text, nullable=False),
        sa.Column("objekt", sa.String(128), nullable=False),
        sa.Column("innovation_effektivitet", sa.Integer, nullable=False),
        sa.Column("operativt_strategiskt", sa.Integer, nullable=False),
        sa.Column("extern_intern", sa.Integer, nullable=False),
        sa.Column("suggested", sa.JSON, nullable=True),
        sa.Column("key_id", sa.String(64), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        if_not_exists=True,
    )
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("event", sa.String(64), nullable=False),
        sa.Column("key_id", sa.String(64), nullable=True),
        sa.Column("data", sa.JSON, nullable=True),
        if_not_exists=True,
    )
    op.create_index("ix_audit_log_at", "audit_log", ["at"], if_not_exists=True)
    op.create_table(
        "api_keys",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("key_hash", sa.String(128), nullable=False, unique=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked", sa.Boolean, nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        if_not_exists=True,
    )


def downgrade() -> None:
    """Drop the five tables (and everything in them)."""
    for table in ("api_keys", "audit_log", "classifications", "messages", "conversations"):
        op.drop_table(table)
