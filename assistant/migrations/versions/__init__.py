"""The revisions, oldest first (``r0001_...``); Alembic reads them from this folder."""
