"""Schema migrations of the assistant's database (Alembic), run from code.

The scripts live next to this module (``env.py``, ``versions/``) and ship inside the package, so
no ``alembic.ini`` is needed at run time. :func:`upgrade` brings a database to the newest revision
under a lock (PostgreSQL: an advisory transaction lock; SQLite: a lock file beside the database),
so several processes starting together migrate it once.

A database made before the migrations existed has no ``alembic_version`` table. It is recognised
by its tables and *stamped* with the revision it matches (:func:`legacy_revision`), never
recreated: with ``conversations.owner`` it is at ``0002``, with the five first tables but no owner
at ``0001``. One with only some of the first tables (never made by a release, but possible after a
manual clean-up) runs the baseline, which creates only the missing tables.
"""

from __future__ import annotations

import contextlib
import fcntl
import logging
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text
from sqlalchemy.engine import Connection, Engine

log = logging.getLogger("digirapport.migrations")

#: The folder holding ``env.py`` and ``versions/``.
SCRIPT_LOCATION = Path(__file__).resolve().parent
#: The PostgreSQL advisory lock key held while the schema changes (the same key as before Alembic).
ADVISORY_LOCK = 724617
#: The tables of the baseline revision (the releases before owners).
BASELINE_TABLES = frozenset(
    {"conversations", "messages", "classifications", "audit_log", "api_keys"}
)


def alembic_config(connection: Connection | None = None) -> Config:
    """An Alembic config for the packaged scripts (with ``connection`` for env.py to use)."""
    config = Config()
    config.set_main_option("script_location", str(SCRIPT_LOCATION))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


@cache
def script_directory() -> ScriptDirectory:
    """The packaged revisions (read once per process)."""
    return ScriptDirectory.from_config(alembic_config())


def head_revision() -> str:
    """The newest revision of the schema."""
    head = script_directory().get_current_head()
    assert head is not None, "no migration scripts found"
    return head


def current_revision(conn: Connection) -> str | None:
    """The revision stamped in the database, or None (no ``alembic_version`` table or row)."""
    return MigrationContext.configure(conn).get_current_revision()


def legacy_revision(conn: Connection) -> str | None:
    """The revision an unversioned database matches (see the module docstring), or None.

    None means: nothing to stamp, the migrations run from the start (an empty database, or one
    with only some of the baseline tables).
    """
    inspector = inspect(conn)
    tables = set(inspector.get_table_names())
    if "conversations" in tables and "owner" in {
        c["name"] for c in inspector.get_columns("conversations")
    }:
        return "0002"
    if BASELINE_TABLES <= tables:
        return "0001"
    return None


@dataclass(frozen=True)
class SchemaState:
    """Where a database stands.

    Attributes:
        current: The stamped revision (None: unversioned or empty).
        head: The newest revision the code knows.
        legacy: For an unversioned database, the revision it matches (stamped on upgrade).
        tables: How many tables the database has (0: empty).
    """

    current: str | None
    head: str
    legacy: str | None
    tables: int

    @property
    def up_to_date(self) -> bool:
        """True when the database is at the newest revision."""
        return self.current == self.head

    @property
    def effective(self) -> str | None:
        """The stamped revision, else the one an unversioned database matches."""
        return self.current or self.legacy


def schema_state(conn: Connection) -> SchemaState:
    """The state of the database behind ``conn`` (reads only)."""
    current = current_revision(conn)
    tables = [t for t in inspect(conn).get_table_names() if t != "alembic_version"]
    legacy = legacy_revision(conn) if current is None else None
    return SchemaState(current=current, head=head_revision(), legacy=legacy, tables=len(tables))


@dataclass(frozen=True)
class UpgradeResult:
    """What :func:`upgrade` did.

    Attributes:
        before: The stamped revision before (None: unversioned or empty).
        after: The revision after.
        stamped: The revision an unversioned database was stamped with (None: nothing stamped).
    """

    before: str | None
    after: str
    stamped: str | None = None

    @property
    def changed(self) -> bool:
        """True when a stamp or a migration was applied."""
        return self.stamped is not None or self.before != self.after


@contextlib.contextmanager
def _sqlite_file_lock(engine: Engine) -> Iterator[None]:
    """For a SQLite file: an exclusive lock on ``<file>.migrate.lock`` (else nothing).

    Taken before the first connection: switching a new file to WAL (done on connect) fails
    at once with "database is locked" when another process does the same.
    """
    database = engine.url.database if engine.dialect.name == "sqlite" else None
    if not database or database == ":memory:":
        yield
        return
    lock_path = Path(database).with_name(Path(database).name + ".migrate.lock")
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    with lock_path.open("a") as lock_file:
        fcntl.flock(lock_file, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock_file, fcntl.LOCK_UN)


@contextlib.contextmanager
def migration_lock(engine: Engine) -> Iterator[Connection]:
    """A connection in a transaction that holds the migration lock until the block ends.

    PostgreSQL: an advisory transaction lock; SQLite: a lock file beside the database.
    """
    with _sqlite_file_lock(engine), engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": ADVISORY_LOCK})
        yield conn


def upgrade(engine: Engine) -> UpgradeResult:
    """Bring the database to the newest revision (stamping an unversioned one first).

    Cheap when there is nothing to do (one read; on PostgreSQL without the lock). Otherwise runs
    under :func:`migration_lock` and looks again, so a process that waited finds the work done.
    """
    head = head_revision()
    with _sqlite_file_lock(engine):
        with engine.connect() as conn:
            if current_revision(conn) == head:
                return UpgradeResult(before=head, after=head)
    with migration_lock(engine) as conn:
        before = current_revision(conn)
        stamped = None
        if before is None and (stamped := legacy_revision(conn)) is not None:
            MigrationContext.configure(conn).stamp(script_directory(), stamped)
            log.info("Databasen saknade versionsstämpel: stämplad som %s", stamped)
        if (before or stamped) != head:
            command.upgrade(alembic_config(conn), "head")
            log.info("Databasens schema uppgraderat: %s -> %s", before or stamped or "tom", head)
        return UpgradeResult(before=before, after=current_revision(conn) or head, stamped=stamped)


def state_of(engine: Engine) -> SchemaState:
    """:func:`schema_state` on a fresh connection of ``engine``."""
    with engine.connect() as conn:
        return schema_state(conn)
