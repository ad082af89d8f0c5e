"""Durable state of the assistant: conversations, accepted classifications and the audit log.

One SQLAlchemy engine over SQLite (the default, a file under the data folder) or PostgreSQL (when a
database URL is configured), so that several API processes can share one database. Tables are
created on first use. Everything is stored as JSON text, so the same schema works on both.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import (
    JSON,
    Column,
    DateTime,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    create_engine,
    event,
    func,
    insert,
    select,
)
from sqlalchemy.engine import Engine

from assistant.errors import ConversationNotFoundError

metadata = MetaData()

conversations = Table(
    "conversations",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("title", Text, nullable=False, default=""),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)

messages = Table(
    "messages",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("conversation_id", String(64), nullable=False, index=True),
    Column("role", String(16), nullable=False),
    Column("content", Text, nullable=False),
    Column("data", JSON, nullable=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

classifications = Table(
    "classifications",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("title", Text, nullable=False),
    Column("description", Text, nullable=False),
    Column("objekt", String(128), nullable=False),
    Column("innovation_effektivitet", Integer, nullable=False),
    Column("operativt_strategiskt", Integer, nullable=False),
    Column("extern_intern", Integer, nullable=False),
    Column("suggested", JSON, nullable=True),
    Column("key_id", String(64), nullable=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

audit_log = Table(
    "audit_log",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("at", DateTime(timezone=True), nullable=False, index=True),
    Column("event", String(64), nullable=False),
    Column("key_id", String(64), nullable=True),
    Column("data", JSON, nullable=True),
)


def _now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class StoredMessage:
    """One message of a conversation."""

    role: str
    content: str
    data: dict[str, Any] | None
    created_at: datetime


def make_engine(url: str) -> Engine:
    """Create the engine for ``url``; SQLite gets its folder, WAL and a busy timeout."""
    if url.startswith("sqlite:///"):
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": 30, "check_same_thread": False})

        @event.listens_for(engine, "connect")
        def _pragmas(dbapi_conn: Any, _record: Any) -> None:
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA synchronous=NORMAL")
            cur.close()

        return engine
    return create_engine(url, pool_pre_ping=True)


class Storage:
    """Conversations, accepted classifications and the audit log in one database."""

    def __init__(self, url: str, *, max_messages: int = 40) -> None:
        """Open (and if needed create) the database at ``url``."""
        self.url = url
        self.max_messages = max_messages
        self.engine = make_engine(url)
        metadata.create_all(self.engine)

    def close(self) -> None:
        """Release the connection pool."""
        self.engine.dispose()

    # -- conversations -------------------------------------------------------------------------

    def new_conversation(self, title: str = "") -> str:
        """Create a conversation and return its id."""
        cid = uuid.uuid4().hex
        now = _now()
        with self.engine.begin() as conn:
            conn.execute(
                insert(conversations).values(id=cid, title=title[:200], created_at=now, updated_at=now)
            )
        return cid

    def has_conversation(self, conversation_id: str) -> bool:
        """True when the conversation exists."""
        with self.engine.connect() as conn:
            row = conn.execute(
                select(conversations.c.id).where(conversations.c.id == conversation_id)
            ).first()
        return row is not None

    def add_message(
        self, conversation_id: str, role: str, content: str, data: Mapping[str, Any] | None = None
    ) -> None:
        """Append a message; raises ConversationNotFoundError for an unknown conversation."""
        now = _now()
        with self.engine.begin() as conn:
            found = conn.execute(
                select(conversations.c.title).where(conversations.c.id == conversation_id)
            ).first()
            if found is None:
                raise ConversationNotFoundError(conversation_id)
            conn.execute(
                insert(messages).values(
                    conversation_id=conversation_id,
                    role=role,
                    content=content,
                    data=json.loads(json.dumps(data, default=str)) if data is not None else None,
                    created_at=now,
                )
            )
            values: dict[str, Any] = {"updated_at": now}
            if not found.title and role == "user":
                values["title"] = content[:200]
            conn.execute(
                conversations.update().where(conversations.c.id == conversation_id).values(**values)
            )

    def history(self, conversation_id: str, limit: int | None = None) -> list[StoredMessage]:
        """The last ``limit`` (default: the configured cap) messages, oldest first."""
        if not self.has_conversation(conversation_id):
            raise ConversationNotFoundError(conversation_id)
        cap = limit or self.max_messages
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(messages.c.role, messages.c.content, messages.c.data, messages.c.created_at)
                .where(messages.c.conversation_id == conversation_id)
                .order_by(messages.c.id.desc())
                .limit(cap)
            ).all()
        return [StoredMessage(r.role, r.content, r.data, r.created_at) for r in reversed(rows)]

    def list_conversations(self, limit: int = 50) -> list[dict[str, Any]]:
        """Newest conversations first: id, title, updated_at, message count."""
        with self.engine.connect() as conn:
            counts = (
                select(messages.c.conversation_id, func.count().label("n"))
                .group_by(messages.c.conversation_id)
                .subquery()
            )
            rows = conn.execute(
                select(
                    conversations.c.id,
                    conversations.c.title,
                    conversations.c.updated_at,
                    func.coalesce(counts.c.n, 0).label("n"),
                )
                .outerjoin(counts, counts.c.conversation_id == conversations.c.id)
                .order_by(conversations.c.updated_at.desc())
                .limit(limit)
            ).all()
        return [
            {"id": r.id, "title": r.title, "updated_at": r.updated_at.isoformat(), "messages": r.n}
            for r in rows
        ]

    # -- accepted classifications ----------------------------------------------------------------

    def add_classification(self, record: Mapping[str, Any], key_id: str | None = None) -> int:
        """Store an accepted or corrected classification; returns its id."""
        with self.engine.begin() as conn:
            result = conn.execute(
                insert(classifications).values(
                    title=record["title"],
                    description=record["description"],
                    objekt=record["objekt"],
                    innovation_effektivitet=int(record["innovation_effektivitet"]),
                    operativt_strategiskt=int(record["operativt_strategiskt"]),
                    extern_intern=int(record["extern_intern"]),
                    suggested=record.get("suggested"),
                    key_id=key_id,
                    created_at=_now(),
                )
            )
            return int(result.inserted_primary_key[0])  # type: ignore[index]

    def list_classifications(self) -> list[dict[str, Any]]:
        """All accepted classifications, oldest first."""
        with self.engine.connect() as conn:
            rows = conn.execute(select(classifications).order_by(classifications.c.id)).mappings()
            return [dict(r) for r in rows]

    # -- audit log (append-only) -------------------------------------------------------------------

    def audit(self, event_name: str, data: Mapping[str, Any], key_id: str | None = None) -> None:
        """Append one audit record."""
        with self.engine.begin() as conn:
            conn.execute(
                insert(audit_log).values(
                    at=_now(),
                    event=event_name,
                    key_id=key_id,
                    data=json.loads(json.dumps(data, default=str)),
                )
            )

    def audit_records(self, since: datetime | None = None) -> Iterator[dict[str, Any]]:
        """Audit records oldest first, optionally from ``since``."""
        query = select(audit_log).order_by(audit_log.c.id)
        if since is not None:
            query = query.where(audit_log.c.at >= since)
        with self.engine.connect() as conn:
            for row in conn.execute(query).mappings():
                yield dict(row)

    def purge_audit(self, before: datetime) -> int:
        """Delete audit records older than ``before`` (the retention setting); returns the count."""
        with self.engine.begin() as conn:
            result = conn.execute(audit_log.delete().where(audit_log.c.at < before))
            return int(result.rowcount or 0)


def history_as_chat(history: Sequence[StoredMessage]) -> list[dict[str, str]]:
    """Stored messages as OpenAI-style ``{"role", "content"}`` dicts."""
    return [{"role": m.role, "content": m.content} for m in history]
