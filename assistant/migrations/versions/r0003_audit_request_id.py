"""Audit records carry the id of the request that wrote them.

``audit_log.request_id`` (nullable: records written before, and by the CLI, have none) ties an
audit record to the request's log line and to the ``X-Request-ID`` its caller saw.

Also: a PostgreSQL database made by the last release before Alembic (``create_all``, stamped
0002) lacks the server default ``okänd`` of ``conversations.owner``; it is set here. On SQLite a
default can only be changed by rebuilding the table, which is not worth it: the app always writes
the owner.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Add the column (and the owner default where it is missing, see above)."""
    op.add_column("audit_log", sa.Column("request_id", sa.String(64), nullable=True))
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        owner = next(
            c for c in sa.inspect(bind).get_columns("conversations") if c["name"] == "owner"
        )
        if owner.get("default") is None:
            op.alter_column("conversations", "owner", server_default="okänd")


def downgrade() -> None:
    """Drop the column."""
    with op.batch_alter_table("audit_log") as batch:
        batch.drop_column("request_id")
