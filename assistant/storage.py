"""Durable state of the assistant: conversations, accepted classifications and the audit log.

One SQLAlchemy engine over SQLite (the default, a file under the data folder) or PostgreSQL (when a
database URL is configured), so that several API processes can share one database. The schema is
managed by Alembic (:mod:`assistant.migrations`): opening a :class:`Storage` upgrades the database
to the newest revision unless told not to. The tables below are the newest revision's; a change to
them needs a new migration script. Everything is stored as JSON text, so the same schema works on
both.

Every conversation has an owner (``key:<id>``, ``sso:<subject>``, ``lokal`` in local mode,
``okänd`` for conversations stored before owners existed). The conversation methods take
``owner``: given, they see only that owner's conversations, and another owner's conversation is
"not found" (its existence is not disclosed); None means no filter (local mode and the audited
admin route).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import uuid
from collections.abc import Iterator, Mapping, Sequence
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    DateTime,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    create_engine,
    event,
    func,
    insert,
    select,
    true,
    update,
)
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError

from assistant import migrations
from assistant.access import LOCAL_OWNER, ROLES, UNKNOWN_OWNER, current_request_id
from assistant.errors import ConversationNotFoundError, InvalidInputError, SchemaOutdatedError

metadata = MetaData()

conversations = Table(
    "conversations",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("title", Text, nullable=False, default=""),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    Column(
        "owner",
        String(200),
        nullable=False,
        default=UNKNOWN_OWNER,
        server_default=UNKNOWN_OWNER,
        index=True,
    ),
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
    Column("request_id", String(64), nullable=True),
)


api_keys = Table(
    "api_keys",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("name", String(200), nullable=False),
    Column("role", String(16), nullable=False),
    Column("key_hash", String(128), nullable=False, unique=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("revoked", Boolean, nullable=False, default=False),
    Column("revoked_at", DateTime(timezone=True), nullable=True),
)

sessions = Table(
    "sessions",
    metadata,
    Column("id", String(64), primary_key=True),  # SHA-256 of the cookie's token
    Column("owner", String(200), nullable=False, index=True),
    Column("name", String(300), nullable=False, default=""),
    Column("email", String(300), nullable=True),
    Column("role", String(16), nullable=False),
    Column("clearance", Integer, nullable=False),
    Column("csrf", String(64), nullable=False),
    Column("id_token", Text, nullable=True),  # the logout hint for the provider
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("expires_at", DateTime(timezone=True), nullable=False, index=True),
)

sso_logins = Table(
    "sso_logins",
    metadata,
    Column("state", String(128), primary_key=True),
    Column("code_verifier", String(128), nullable=False),
    Column("nonce", String(128), nullable=False),
    Column("next_path", String(500), nullable=False, default="/"),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

verified_answers = Table(
    "verified_answers",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("question", Text, nullable=False),
    Column("answer", Text, nullable=False),  # as the editor approved it
    Column("template", Text, nullable=False),  # the answer with its figures as {{n}} slots
    Column("figures", JSON, nullable=False),  # where each slot's figure is in the tool results
    Column("tool_calls", JSON, nullable=False),  # [{"name", "arguments"}], re-run when served
    Column("sources", JSON, nullable=False),
    Column("slots", JSON, nullable=False),  # the parser's slots of the question
    Column("embedding", JSON, nullable=False),  # the question's vector
    Column("created_by", String(300), nullable=False),
    Column("owner", String(200), nullable=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("conversation_id", String(64), nullable=True),  # where it was verified from
    Column("message_index", Integer, nullable=True),
    Column("bundled", Boolean, nullable=False, default=False),
    Column("deleted_at", DateTime(timezone=True), nullable=True),  # deleted (kept for the audit)
)

feedback = Table(
    "feedback",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("conversation_id", String(64), nullable=False),
    Column("message_index", Integer, nullable=False),
    Column("rating", String(8), nullable=False),  # "up" | "down"
    Column("comment", Text, nullable=True),
    Column("question", Text, nullable=False),
    Column("answer", Text, nullable=False),
    Column("mode", String(16), nullable=True),
    Column("sources", JSON, nullable=True),
    Column("tool_calls", JSON, nullable=True),
    Column("owner", String(200), nullable=False),
    Column("created_by", String(300), nullable=False, default=""),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False, index=True),
    UniqueConstraint("conversation_id", "message_index", name="uq_feedback_answer"),
)

#: The API key id of the request being served, set by the web layer's auth middleware; an audit
#: record written without an explicit ``key_id`` (e.g. by the assistant's chat loop) gets this one.
current_key_id: ContextVar[str | None] = ContextVar("digirapport_key_id", default=None)

#: Roles in increasing power: each role may do what the ones before it may.


def hash_api_key(key: str, secret: bytes | None = None) -> str:
    """The stored form of an API key: HMAC-SHA256 with ``secret`` (or plain SHA-256), hex.

    Keys are long random tokens, so a fast keyed hash is enough; the plain key is never stored.
    """
    data = key.encode("utf-8")
    if secret:
        return hmac.new(secret, data, hashlib.sha256).hexdigest()
    return hashlib.sha256(data).hexdigest()


def new_api_key() -> str:
    """A fresh random API key (``dgr_`` + 43 URL-safe characters, 256 bits)."""
    return "dgr_" + secrets.token_urlsafe(32)


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

    def __init__(self, url: str, *, max_messages: int = 40, upgrade: bool = True) -> None:
        """Open the database at ``url``.

        Args:
            url: A SQLAlchemy URL (SQLite or PostgreSQL).
            max_messages: Messages of a conversation read back as history.
            upgrade: Create or upgrade the schema to the newest revision now (under the migration
                lock). False: only check it, and raise :class:`SchemaOutdatedError` when the
                database is behind (``digirapport db upgrade`` then does it).
        """
        self.url = url
        self.max_messages = max_messages
        self.engine = make_engine(url)
        try:
            if upgrade:
                migrations.upgrade(self.engine)
            else:
                state = migrations.state_of(self.engine)
                if not state.up_to_date:
                    raise SchemaOutdatedError(state.current, state.head)
        except BaseException:
            self.engine.dispose()
            raise
        self.sessions = SessionStore(self.engine)

    def close(self) -> None:
        """Release the connection pool."""
        self.engine.dispose()

    # -- conversations -------------------------------------------------------------------------

    def new_conversation(self, title: str = "", owner: str = LOCAL_OWNER) -> str:
        """Create a conversation owned by ``owner`` and return its id."""
        cid = uuid.uuid4().hex
        now = _now()
        with self.engine.begin() as conn:
            conn.execute(
                insert(conversations).values(
                    id=cid, title=title[:200], created_at=now, updated_at=now, owner=owner
                )
            )
        return cid

    @staticmethod
    def _visible(conversation_id: str, owner: str | None) -> Any:
        """The WHERE clause for one conversation as ``owner`` sees it (None: any owner)."""
        clause = conversations.c.id == conversation_id
        return clause if owner is None else clause & (conversations.c.owner == owner)

    def has_conversation(self, conversation_id: str, owner: str | None = None) -> bool:
        """True when the conversation exists (and, with ``owner``, belongs to that owner)."""
        with self.engine.connect() as conn:
            row = conn.execute(
                select(conversations.c.id).where(self._visible(conversation_id, owner))
            ).first()
        return row is not None

    def conversation_owner(self, conversation_id: str) -> str:
        """The owner of a conversation; raises ConversationNotFoundError when there is none."""
        with self.engine.connect() as conn:
            row = conn.execute(
                select(conversations.c.owner).where(conversations.c.id == conversation_id)
            ).first()
        if row is None:
            raise ConversationNotFoundError(conversation_id)
        return str(row.owner)

    def add_message(
        self,
        conversation_id: str,
        role: str,
        content: str,
        data: Mapping[str, Any] | None = None,
        owner: str | None = None,
    ) -> None:
        """Append a message; raises ConversationNotFoundError for an unknown conversation.

        With ``owner``, a conversation of another owner counts as unknown.
        """
        now = _now()
        with self.engine.begin() as conn:
            found = conn.execute(
                select(conversations.c.title).where(self._visible(conversation_id, owner))
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

    def history(
        self, conversation_id: str, limit: int | None = None, owner: str | None = None
    ) -> list[StoredMessage]:
        """The last ``limit`` (default: the configured cap) messages, oldest first.

        Raises:
            ConversationNotFoundError: No such conversation, or (with ``owner``) not theirs.
        """
        if not self.has_conversation(conversation_id, owner):
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

    def list_conversations(
        self, limit: int = 50, owner: str | None = None, *, with_owner: bool = False
    ) -> list[dict[str, Any]]:
        """Newest conversations first: id, title, updated_at, message count.

        Args:
            limit: At most this many.
            owner: Only this owner's conversations (None: everyone's).
            with_owner: Include each conversation's ``owner`` (the admin listing).
        """
        with self.engine.connect() as conn:
            counts = (
                select(messages.c.conversation_id, func.count().label("n"))
                .group_by(messages.c.conversation_id)
                .subquery()
            )
            query = (
                select(
                    conversations.c.id,
                    conversations.c.title,
                    conversations.c.updated_at,
                    conversations.c.owner,
                    func.coalesce(counts.c.n, 0).label("n"),
                )
                .outerjoin(counts, counts.c.conversation_id == conversations.c.id)
                .order_by(conversations.c.updated_at.desc(), conversations.c.id)
                .limit(limit)
            )
            if owner is not None:
                query = query.where(conversations.c.owner == owner)
            rows = conn.execute(query).all()
        out = []
        for r in rows:
            item = {
                "id": r.id,
                "title": r.title,
                "updated_at": r.updated_at.isoformat(),
                "messages": r.n,
            }
            if with_owner:
                item["owner"] = r.owner
            out.append(item)
        return out

    def delete_conversation(self, conversation_id: str, owner: str | None = None) -> bool:
        """Delete a conversation and its messages; False when there is none (for ``owner``)."""
        with self.engine.begin() as conn:
            result = conn.execute(
                conversations.delete().where(self._visible(conversation_id, owner))
            )
            if not result.rowcount:
                return False
            conn.execute(messages.delete().where(messages.c.conversation_id == conversation_id))
        return True

    def delete_conversations_of(self, owner: str | None) -> int:
        """Delete every conversation of ``owner`` ("delete my data"); returns the count.

        ``owner`` None deletes everyone's (the one local user's data in local mode).
        """
        mine = conversations.c.owner == owner if owner is not None else true()
        with self.engine.begin() as conn:
            ids = select(conversations.c.id).where(mine)
            conn.execute(messages.delete().where(messages.c.conversation_id.in_(ids)))
            result = conn.execute(conversations.delete().where(mine))
            return int(result.rowcount or 0)

    def export_conversations(self, owner: str | None) -> list[dict[str, Any]]:
        """Every conversation of ``owner`` (None: all) with all its messages, oldest first."""
        with self.engine.connect() as conn:
            query = select(conversations).order_by(conversations.c.created_at, conversations.c.id)
            if owner is not None:
                query = query.where(conversations.c.owner == owner)
            convs = [dict(r) for r in conn.execute(query).mappings()]
            out = []
            for conv in convs:
                rows = conn.execute(
                    select(
                        messages.c.role, messages.c.content, messages.c.data, messages.c.created_at
                    )
                    .where(messages.c.conversation_id == conv["id"])
                    .order_by(messages.c.id)
                ).all()
                out.append(
                    {
                        "id": conv["id"],
                        "title": conv["title"],
                        "created_at": conv["created_at"].isoformat(),
                        "updated_at": conv["updated_at"].isoformat(),
                        "messages": [
                            {
                                "role": r.role,
                                "content": r.content,
                                "data": r.data,
                                "created_at": r.created_at.isoformat(),
                            }
                            for r in rows
                        ],
                    }
                )
        return out

    def purge_conversations_older_than(self, days: int, now: datetime | None = None) -> int:
        """Delete conversations not continued for ``days`` days (0 = keep); returns the count."""
        if days <= 0:
            return 0
        before = (now or _now()) - timedelta(days=days)
        with self.engine.begin() as conn:
            old = select(conversations.c.id).where(conversations.c.updated_at < before)
            conn.execute(messages.delete().where(messages.c.conversation_id.in_(old)))
            result = conn.execute(conversations.delete().where(conversations.c.updated_at < before))
            return int(result.rowcount or 0)

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
        """Append one audit record (``key_id`` defaults to the current request's key id).

        The record carries the current request's id (:data:`current_request_id`), if any.
        """
        with self.engine.begin() as conn:
            conn.execute(
                insert(audit_log).values(
                    at=_now(),
                    event=event_name,
                    key_id=key_id if key_id is not None else current_key_id.get(),
                    data=json.loads(json.dumps(data, default=str)),
                    request_id=current_request_id.get(),
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

    def purge_audit_older_than(self, days: int, now: datetime | None = None) -> int:
        """Apply the retention: delete records older than ``days`` days (0 = keep everything)."""
        if days <= 0:
            return 0
        return self.purge_audit((now or _now()) - timedelta(days=days))

    # -- API keys (stored hashed) ----------------------------------------------------------------

    def create_api_key(
        self, name: str, role: str, *, secret: bytes | None = None, key: str | None = None
    ) -> tuple[dict[str, Any], str]:
        """Create a key for ``role``; returns (its record, the plain key, shown only now)."""
        if role not in ROLES:
            raise InvalidInputError(
                f"Okänd roll {role!r}: välj {', '.join(ROLES)}.", field="role", value=role
            )
        name = name.strip()
        if not name or len(name) > 200:
            raise InvalidInputError("Nyckeln behöver ett namn (1–200 tecken).", field="name")
        plain = key or new_api_key()
        key_id = "k_" + secrets.token_hex(6)
        record = {
            "id": key_id,
            "name": name,
            "role": role,
            "key_hash": hash_api_key(plain, secret),
            "created_at": _now(),
            "revoked": False,
            "revoked_at": None,
        }
        with self.engine.begin() as conn:
            conn.execute(insert(api_keys).values(**record))
        return _public_key(record), plain

    def ensure_api_key(
        self, key: str, name: str, role: str, *, secret: bytes | None = None
    ) -> dict[str, Any]:
        """Store ``key`` unless already stored (a bootstrap key); a revoked key stays revoked."""
        found = self.find_api_key(key, secret=secret, include_revoked=True)
        if found is not None:
            return found
        try:
            record, _ = self.create_api_key(name, role, secret=secret, key=key)
        except IntegrityError:  # another process stored it first
            again = self.find_api_key(key, secret=secret, include_revoked=True)
            assert again is not None
            return again
        return record

    def find_api_key(
        self, key: str, *, secret: bytes | None = None, include_revoked: bool = False
    ) -> dict[str, Any] | None:
        """The record of a presented key (id, name, role, ...), or None when unknown or revoked."""
        digest = hash_api_key(key, secret)
        with self.engine.connect() as conn:
            row = conn.execute(select(api_keys).where(api_keys.c.key_hash == digest)).mappings()
            found = row.first()
        if found is None or not hmac.compare_digest(found["key_hash"], digest):
            return None
        if found["revoked"] and not include_revoked:
            return None
        return _public_key(dict(found))

    def list_api_keys(self) -> list[dict[str, Any]]:
        """All keys (never their hashes), oldest first."""
        with self.engine.connect() as conn:
            rows = conn.execute(select(api_keys).order_by(api_keys.c.created_at)).mappings()
            return [_public_key(dict(r)) for r in rows]

    def revoke_api_key(self, key_id: str) -> bool:
        """Revoke a key by id; False when there is no such (unrevoked) key."""
        with self.engine.begin() as conn:
            result = conn.execute(
                update(api_keys)
                .where(api_keys.c.id == key_id, api_keys.c.revoked.is_(False))
                .values(revoked=True, revoked_at=_now())
            )
            return bool(result.rowcount)

    # -- verified answers ------------------------------------------------------------------------

    def add_verified(self, record: Mapping[str, Any]) -> dict[str, Any]:
        """Store a verified answer (``id`` defaults to a new one); returns its public record."""
        values = {
            "id": record.get("id") or "v_" + secrets.token_hex(6),
            "question": record["question"],
            "answer": record["answer"],
            "template": record["template"],
            "figures": list(record.get("figures") or []),
            "tool_calls": _json(record.get("tool_calls") or []),
            "sources": _json(record.get("sources") or []),
            "slots": _json(record.get("slots") or {}),
            "embedding": list(record.get("embedding") or []),
            "created_by": str(record.get("created_by") or "")[:300],
            "owner": record.get("owner"),
            "created_at": record.get("created_at") or _now(),
            "conversation_id": record.get("conversation_id"),
            "message_index": record.get("message_index"),
            "bundled": bool(record.get("bundled", False)),
            "deleted_at": None,
        }
        with self.engine.begin() as conn:
            conn.execute(insert(verified_answers).values(**values))
        return _public_verified(values)

    def verified_ids(self, *, include_deleted: bool = False) -> set[str]:
        """The ids of the stored verified answers (with the deleted ones, when asked)."""
        query = select(verified_answers.c.id)
        if not include_deleted:
            query = query.where(verified_answers.c.deleted_at.is_(None))
        with self.engine.connect() as conn:
            return {str(r.id) for r in conn.execute(query)}

    def verified_version(self) -> tuple[Any, ...]:
        """Changes whenever a verified answer is added or deleted (one cheap query)."""
        with self.engine.connect() as conn:
            row = conn.execute(
                select(
                    func.count(),
                    func.max(verified_answers.c.created_at),
                    func.max(verified_answers.c.deleted_at),
                )
            ).one()
        return tuple(row)

    def list_verified(self, *, with_embeddings: bool = False) -> list[dict[str, Any]]:
        """The verified answers in use, newest first (their vectors only when asked)."""
        query = (
            select(verified_answers)
            .where(verified_answers.c.deleted_at.is_(None))
            .order_by(verified_answers.c.created_at.desc(), verified_answers.c.id)
        )
        with self.engine.connect() as conn:
            rows = [dict(r) for r in conn.execute(query).mappings()]
        if with_embeddings:
            return rows
        return [_public_verified(r) for r in rows]

    def get_verified(self, verified_id: str) -> dict[str, Any] | None:
        """One verified answer in use (everything stored), or None."""
        with self.engine.connect() as conn:
            row = conn.execute(
                select(verified_answers).where(
                    verified_answers.c.id == verified_id, verified_answers.c.deleted_at.is_(None)
                )
            ).mappings()
            found = row.first()
        return dict(found) if found is not None else None

    def delete_verified(self, verified_id: str) -> bool:
        """Stop using a verified answer (the row stays, marked deleted); False when unknown."""
        with self.engine.begin() as conn:
            result = conn.execute(
                update(verified_answers)
                .where(
                    verified_answers.c.id == verified_id, verified_answers.c.deleted_at.is_(None)
                )
                .values(deleted_at=_now())
            )
            return bool(result.rowcount)

    # -- feedback on answers ---------------------------------------------------------------------

    def answer_at(
        self, conversation_id: str, message_index: int, owner: str | None = None
    ) -> tuple[str, StoredMessage]:
        """The question and the assistant message at ``message_index`` of a conversation.

        ``message_index`` counts every message of the conversation from 0, oldest first (as
        ``GET /api/conversations/{id}`` lists them), so the first answer is 1.

        Raises:
            ConversationNotFoundError: No such conversation, or (with ``owner``) not theirs.
            InvalidInputError: The index is not an answer of the conversation.
        """
        if not self.has_conversation(conversation_id, owner):
            raise ConversationNotFoundError(conversation_id)
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(messages.c.role, messages.c.content, messages.c.data, messages.c.created_at)
                .where(messages.c.conversation_id == conversation_id)
                .order_by(messages.c.id)
                .offset(max(0, message_index - 1))
                .limit(2 if message_index > 0 else 1)
            ).all()
        stored = [StoredMessage(r.role, r.content, r.data, r.created_at) for r in rows]
        answer = stored[-1] if stored and message_index > 0 and len(stored) == 2 else None
        if answer is None or answer.role != "assistant":
            raise InvalidInputError(
                f"Meddelande {message_index} i konversationen är inget svar från assistenten.",
                field="message_index",
                value=message_index,
                conversation_id=conversation_id,
            )
        question = stored[0].content if stored[0].role == "user" else ""
        return question, answer

    def save_feedback(self, record: Mapping[str, Any]) -> dict[str, Any]:
        """Store feedback on one answer; a second rating of the same answer replaces the first."""
        now = _now()
        values = {
            "rating": record["rating"],
            "comment": record.get("comment") or None,
            "question": record["question"],
            "answer": record["answer"],
            "mode": record.get("mode"),
            "sources": _json(record.get("sources") or []),
            "tool_calls": _json(record.get("tool_calls") or []),
            "owner": record["owner"],
            "created_by": str(record.get("created_by") or "")[:300],
            "updated_at": now,
        }
        where = (feedback.c.conversation_id == record["conversation_id"]) & (
            feedback.c.message_index == int(record["message_index"])
        )
        for _attempt in range(2):
            try:
                with self.engine.begin() as conn:
                    found = conn.execute(select(feedback.c.id).where(where)).first()
                    if found is not None:
                        conn.execute(
                            update(feedback).where(feedback.c.id == found.id).values(**values)
                        )
                        feedback_id = int(found.id)
                    else:
                        result = conn.execute(
                            insert(feedback).values(
                                conversation_id=record["conversation_id"],
                                message_index=int(record["message_index"]),
                                created_at=now,
                                **values,
                            )
                        )
                        feedback_id = int(result.inserted_primary_key[0])  # type: ignore[index]
                break
            except IntegrityError:  # the same answer rated twice at once: update the other row
                continue
        found_record = self.get_feedback(feedback_id)
        assert found_record is not None
        return found_record

    def get_feedback(self, feedback_id: int) -> dict[str, Any] | None:
        """One feedback record, or None."""
        with self.engine.connect() as conn:
            row = conn.execute(select(feedback).where(feedback.c.id == feedback_id)).mappings()
            found = row.first()
        return _public_feedback(dict(found)) if found is not None else None

    def list_feedback(self, limit: int = 200) -> list[dict[str, Any]]:
        """Feedback for editors: the negative first, each group most recent first."""
        query = (
            select(feedback)
            .order_by(
                (feedback.c.rating == "down").desc(),
                feedback.c.updated_at.desc(),
                feedback.c.id.desc(),
            )
            .limit(limit)
        )
        with self.engine.connect() as conn:
            return [_public_feedback(dict(r)) for r in conn.execute(query).mappings()]


class SessionStore:
    """Single sign-on sessions and the logins in progress, in the shared database.

    A session's cookie holds a random token; only its SHA-256 is stored, so a copy of the database
    does not log anyone in. Every instance sharing the database sees the same sessions.
    """

    #: Seconds a login may take between the redirect to the provider and the callback.
    LOGIN_SECONDS = 600

    def __init__(self, engine: Engine) -> None:
        """Use the tables of ``engine`` (created by :class:`Storage`)."""
        self.engine = engine

    def start_login(self, state: str, code_verifier: str, nonce: str, next_path: str) -> None:
        """Remember a login in progress (also clears logins older than :attr:`LOGIN_SECONDS`)."""
        now = _now()
        with self.engine.begin() as conn:
            conn.execute(
                sso_logins.delete().where(
                    sso_logins.c.created_at < now - timedelta(seconds=self.LOGIN_SECONDS)
                )
            )
            conn.execute(
                insert(sso_logins).values(
                    state=state,
                    code_verifier=code_verifier,
                    nonce=nonce,
                    next_path=next_path,
                    created_at=now,
                )
            )

    def finish_login(self, state: str) -> dict[str, Any] | None:
        """The login started with ``state``, removed (single use); None when unknown or expired."""
        with self.engine.begin() as conn:
            row = conn.execute(select(sso_logins).where(sso_logins.c.state == state)).mappings()
            found = row.first()
            if found is None:
                return None
            deleted = conn.execute(sso_logins.delete().where(sso_logins.c.state == state))
        if not deleted.rowcount:
            return None  # another request used it first
        if _now() - _aware(found["created_at"]) > timedelta(seconds=self.LOGIN_SECONDS):
            return None
        return dict(found)

    def create(
        self,
        *,
        owner: str,
        name: str,
        email: str | None,
        role: str,
        clearance: int,
        hours: float,
        id_token: str | None = None,
    ) -> tuple[str, str]:
        """Open a session; returns (the cookie's token, the CSRF token), shown only now."""
        token = secrets.token_urlsafe(32)
        csrf = secrets.token_urlsafe(24)
        now = _now()
        with self.engine.begin() as conn:
            conn.execute(sessions.delete().where(sessions.c.expires_at < now))
            conn.execute(
                insert(sessions).values(
                    id=_token_hash(token),
                    owner=owner,
                    name=name[:300],
                    email=email,
                    role=role,
                    clearance=int(clearance),
                    csrf=csrf,
                    id_token=id_token,
                    created_at=now,
                    expires_at=now + timedelta(hours=hours),
                )
            )
        return token, csrf

    def find(self, token: str) -> dict[str, Any] | None:
        """The live session of a cookie's token, or None (unknown, ended or expired)."""
        with self.engine.connect() as conn:
            row = conn.execute(
                select(sessions).where(sessions.c.id == _token_hash(token))
            ).mappings()
            found = row.first()
        if found is None:
            return None
        return dict(found) if _aware(found["expires_at"]) > _now() else None

    def end(self, token: str) -> dict[str, Any] | None:
        """End a session (logout); returns what it was, or None."""
        found = self.find(token)
        with self.engine.begin() as conn:
            conn.execute(sessions.delete().where(sessions.c.id == _token_hash(token)))
        return found


def _json(value: Any) -> Any:
    """``value`` as plain JSON data (dates and other objects as text)."""
    return json.loads(json.dumps(value, default=str))


def _iso(value: Any) -> Any:
    return _aware(value).isoformat() if isinstance(value, datetime) else value


def _public_verified(record: Mapping[str, Any]) -> dict[str, Any]:
    """A verified answer as the API lists it (no vector, no template internals)."""
    return {
        "id": record["id"],
        "question": record["question"],
        "answer": record["answer"],
        "figures": [
            {"key": f.get("key"), "year": f.get("year"), "field": f.get("field")}
            for f in record.get("figures") or []
        ],
        "tool_calls": record.get("tool_calls") or [],
        "sources": record.get("sources") or [],
        "by": record.get("created_by"),
        "at": _iso(record.get("created_at")),
        "conversation_id": record.get("conversation_id"),
        "message_index": record.get("message_index"),
        "bundled": bool(record.get("bundled")),
    }


def _public_feedback(record: Mapping[str, Any]) -> dict[str, Any]:
    out = dict(record)
    for name in ("created_at", "updated_at"):
        out[name] = _iso(out.get(name))
    return out


def _aware(moment: datetime) -> datetime:
    """A stored time with its zone (SQLite gives it back without one; it was stored as UTC)."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _public_key(record: Mapping[str, Any]) -> dict[str, Any]:
    """A key record without its hash, timestamps as ISO text."""
    out = {k: v for k, v in record.items() if k != "key_hash"}
    for name in ("created_at", "revoked_at"):
        if isinstance(out.get(name), datetime):
            out[name] = out[name].isoformat()
    return out


def history_as_chat(history: Sequence[StoredMessage]) -> list[dict[str, str]]:
    """Stored messages as OpenAI-style ``{"role", "content"}`` dicts."""
    return [{"role": m.role, "content": m.content} for m in history]
