"""Schema migrations (Alembic) on real SQLite files and a real PostgreSQL (skipped when absent).

Databases are made exactly as earlier releases made them (``create_all`` of their tables, frozen
below), filled with rows, and then opened by today's :class:`Storage`: they are stamped with the
revision they match and upgraded, never recreated, and every row is still there.
"""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    DateTime,
    Engine,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    create_engine,
    insert,
    text,
)

from assistant import migrations
from assistant.errors import SchemaOutdatedError
from assistant.storage import Storage, hash_api_key, metadata
from tests.postgres_util import find_pg_bin, postgres_cluster

NOW = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)
HEAD = migrations.head_revision()


def previous_release(with_owners: bool) -> MetaData:
    """The tables an earlier release created with ``create_all`` (frozen copies).

    ``with_owners=False``: the releases before owners (revision 0001); True: the release just
    before Alembic (revision 0002: owners, SSO sessions; audit records without request ids).
    """
    md = MetaData()
    owner = [Column("owner", String(200), nullable=False, index=True)] if with_owners else []
    Table(
        "conversations",
        md,
        Column("id", String(64), primary_key=True),
        Column("title", Text, nullable=False),
        Column("created_at", DateTime(timezone=True), nullable=False),
        Column("updated_at", DateTime(timezone=True), nullable=False),
        *owner,
    )
    Table(
        "messages",
        md,
        Column("id", Integer, primary_key=True, autoincrement=True),
        Column("conversation_id", String(64), nullable=False, index=True),
        Column("role", String(16), nullable=False),
        Column("content", Text, nullable=False),
        Column("data", JSON, nullable=True),
        Column("created_at", DateTime(timezone=True), nullable=False),
    )
    Table(
        "classifications",
        md,
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
    Table(
        "audit_log",
        md,
        Column("id", Integer, primary_key=True, autoincrement=True),
        Column("at", DateTime(timezone=True), nullable=False, index=True),
        Column("event", String(64), nullable=False),
        Column("key_id", String(64), nullable=True),
        Column("data", JSON, nullable=True),
    )
    Table(
        "api_keys",
        md,
        Column("id", String(32), primary_key=True),
        Column("name", String(200), nullable=False),
        Column("role", String(16), nullable=False),
        Column("key_hash", String(128), nullable=False, unique=True),
        Column("created_at", DateTime(timezone=True), nullable=False),
        Column("revoked", Boolean, nullable=False),
        Column("revoked_at", DateTime(timezone=True), nullable=True),
    )
    if with_owners:
        Table(
            "sessions",
            md,
            Column("id", String(64), primary_key=True),
            Column("owner", String(200), nullable=False, index=True),
            Column("name", String(300), nullable=False),
            Column("email", String(300), nullable=True),
            Column("role", String(16), nullable=False),
            Column("clearance", Integer, nullable=False),
            Column("csrf", String(64), nullable=False),
            Column("id_token", Text, nullable=True),
            Column("created_at", DateTime(timezone=True), nullable=False),
            Column("expires_at", DateTime(timezone=True), nullable=False, index=True),
        )
        Table(
            "sso_logins",
            md,
            Column("state", String(128), primary_key=True),
            Column("code_verifier", String(128), nullable=False),
            Column("nonce", String(128), nullable=False),
            Column("next_path", String(500), nullable=False),
            Column("created_at", DateTime(timezone=True), nullable=False),
        )
    return md


def make_previous_database(url: str, with_owners: bool) -> None:
    """A database as an earlier release left it, with a row in every table."""
    md = previous_release(with_owners)
    engine = create_engine(url)
    owner = {"owner": "key:k_anna"} if with_owners else {}
    with engine.begin() as conn:
        md.create_all(conn)
        t = md.tables
        conn.execute(
            insert(t["conversations"]).values(
                id="c_old", title="Gammal fråga", created_at=NOW, updated_at=NOW, **owner
            )
        )
        conn.execute(
            insert(t["messages"]).values(
                conversation_id="c_old",
                role="user",
                content="Vad blev indexet 2025?",
                data={"mode": "offline"},
                created_at=NOW,
            )
        )
        conn.execute(
            insert(t["classifications"]).values(
                title="E-tjänst",
                description="Ansökan om bygglov på webben",
                objekt="Samhällsbyggnad",
                innovation_effektivitet=2,
                operativt_strategiskt=3,
                extern_intern=1,
                created_at=NOW,
            )
        )
        conn.execute(
            insert(t["audit_log"]).values(at=NOW, event="chat", key_id="k_anna", data={"q": 1})
        )
        conn.execute(
            insert(t["api_keys"]).values(
                id="k_anna",
                name="anna",
                role="reader",
                key_hash=hash_api_key("dgr_gammal"),
                created_at=NOW,
                revoked=False,
            )
        )
    engine.dispose()


def table_identity(engine: Engine, table: str) -> str:
    """Something that changes when a table is dropped and created again."""
    with engine.connect() as conn:
        if engine.dialect.name == "postgresql":
            return str(conn.execute(text(f"SELECT '{table}'::regclass::oid")).scalar())
        return str(
            conn.execute(
                text("SELECT sql FROM sqlite_master WHERE type='table' AND name=:t"), {"t": table}
            ).scalar()
        )


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty database: a SQLite file, or a throwaway PostgreSQL cluster."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'digirapport.sqlite3'}"
        return
    if find_pg_bin() is None and not __import__("os").environ.get("DIGI_TEST_POSTGRES_URL"):
        pytest.skip("PostgreSQL (initdb, pg_ctl) saknas")
    with postgres_cluster() as url:
        yield url


def differences(storage: Storage, *, defaults: bool = True) -> list[object]:
    """Where the database differs from the models (tables, columns, types, indexes, defaults)."""
    with storage.engine.connect() as conn:
        context = MigrationContext.configure(
            conn, opts={"compare_type": True, "compare_server_default": defaults}
        )
        return list(compare_metadata(context, metadata))


def test_a_new_database_is_made_by_the_migrations_and_matches_the_models(db_url: str) -> None:
    storage = Storage(db_url)
    try:
        assert migrations.state_of(storage.engine).current == HEAD
        assert differences(storage) == []
    finally:
        storage.close()


def test_a_database_from_before_owners_is_stamped_and_upgraded_with_its_rows(db_url: str) -> None:
    make_previous_database(db_url, with_owners=False)
    engine = create_engine(db_url)
    with engine.connect() as conn:
        state = migrations.schema_state(conn)
    assert (state.current, state.legacy, state.up_to_date) == (None, "0001", False)
    kept = table_identity(engine, "messages")

    result = migrations.upgrade(engine)
    assert (result.before, result.stamped, result.after) == (None, "0001", HEAD)
    assert table_identity(engine, "messages") == kept  # upgraded in place, not recreated
    engine.dispose()

    storage = Storage(db_url)
    try:
        assert differences(storage) == []
        # every row is still there; the old conversation belongs to "okänd" (admins only)
        assert storage.conversation_owner("c_old") == "okänd"
        assert [(m.role, m.content, m.data) for m in storage.history("c_old")] == [
            ("user", "Vad blev indexet 2025?", {"mode": "offline"})
        ]
        assert storage.list_conversations(owner="key:k_anna") == []
        [cls] = storage.list_classifications()
        assert (cls["title"], cls["objekt"], cls["operativt_strategiskt"]) == (
            "E-tjänst",
            "Samhällsbyggnad",
            3,
        )
        [old_audit] = storage.audit_records()
        assert (old_audit["event"], old_audit["data"], old_audit["request_id"]) == (
            "chat",
            {"q": 1},
            None,
        )
        assert storage.find_api_key("dgr_gammal")["id"] == "k_anna"  # type: ignore[index]
        # the new tables work
        token, _csrf = storage.sessions.create(
            owner="sso:x", name="X", email=None, role="reader", clearance=1, hours=1
        )
        assert storage.sessions.find(token)["owner"] == "sso:x"  # type: ignore[index]
    finally:
        storage.close()


def test_a_database_made_by_the_release_before_alembic_is_stamped_not_recreated(
    db_url: str,
) -> None:
    make_previous_database(db_url, with_owners=True)
    engine = create_engine(db_url)
    before = {t: table_identity(engine, t) for t in ("conversations", "messages", "sessions")}
    result = migrations.upgrade(engine)
    assert (result.before, result.stamped, result.after) == (None, "0002", HEAD)
    assert {t: table_identity(engine, t) for t in before} == before
    engine.dispose()

    storage = Storage(db_url)
    try:
        assert storage.conversation_owner("c_old") == "key:k_anna"
        assert [c["id"] for c in storage.list_conversations(owner="key:k_anna")] == ["c_old"]
        assert len(storage.history("c_old")) == 1
        # SQLite keeps the release's owner column without the server default (see r0003)
        assert differences(storage, defaults=storage.engine.dialect.name != "sqlite") == []
    finally:
        storage.close()
    again = create_engine(db_url)
    assert not migrations.upgrade(again).changed  # a second start changes nothing
    again.dispose()


def test_with_automatic_upgrades_off_an_old_database_is_refused_until_upgraded(
    tmp_path: Path,
) -> None:
    url = f"sqlite:///{tmp_path / 'old.sqlite3'}"
    make_previous_database(url, with_owners=True)
    with pytest.raises(SchemaOutdatedError) as caught:
        Storage(url, upgrade=False)
    assert caught.value.data == {"current": None, "head": HEAD}
    assert "digirapport db upgrade" in caught.value.message
    engine = create_engine(url)
    with engine.connect() as conn:
        assert migrations.current_revision(conn) is None  # checking wrote nothing
    migrations.upgrade(engine)
    engine.dispose()
    Storage(url, upgrade=False).close()  # up to date: opens


def test_processes_opening_a_new_sqlite_file_together_migrate_it_once(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'shared.sqlite3'}"
    with ThreadPoolExecutor(4) as pool:
        stores = list(pool.map(lambda _: Storage(url), range(4)))
    record, key = stores[0].create_api_key("a", "admin")
    assert all(s.find_api_key(key)["id"] == record["id"] for s in stores)  # type: ignore[index]
    for s in stores:
        s.close()


def test_the_scripts_ship_inside_the_package() -> None:
    # Run-time configuration needs no alembic.ini: the scripts sit next to the module.
    folder = migrations.SCRIPT_LOCATION
    assert folder.parent.name == "assistant"
    assert (folder / "env.py").is_file() and (folder / "versions" / "__init__.py").is_file()
    revisions = [r.revision for r in migrations.script_directory().walk_revisions()]
    assert revisions == ["0004", "0003", "0002", "0001"]
