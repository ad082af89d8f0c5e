"""Alembic's environment for Digirapport, configured in code (no ``alembic.ini`` at run time).

:func:`assistant.migrations.upgrade` passes an open connection (already in a transaction and
holding the migration lock) in ``config.attributes["connection"]``. Without one (a developer
running the ``alembic`` command with ``-x url=...`` or ``sqlalchemy.url``), an engine is made from
the URL. The target metadata is the application's own, so ``alembic revision --autogenerate``
compares the models with a database.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine
from sqlalchemy.engine import Connection

from assistant.storage import metadata

config = context.config


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        render_as_batch=connection.dialect.name == "sqlite",
    )
    with context.begin_transaction():
        context.run_migrations()


def run() -> None:
    """Run the migrations on the given connection, or on an engine made from the URL."""
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    url = context.get_x_argument(as_dictionary=True).get("url") or config.get_main_option(
        "sqlalchemy.url"
    )
    if not url:
        raise SystemExit("Ange databasen: alembic -x url=postgresql+psycopg://... upgrade head")
    engine = create_engine(url)
    try:
        with engine.begin() as conn:
            _run(conn)
    finally:
        engine.dispose()


run()
