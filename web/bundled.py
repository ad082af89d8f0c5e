"""Where the bundled material lives, and at which security level it is ingested.

Kept apart from :mod:`web.settings` so that the CLI can name its defaults without importing
pydantic-settings (``digirapport --help`` starts light); the settings take their defaults from
here.
"""

from __future__ import annotations

from pathlib import Path

from ingest.models import SecurityLevel

#: The repository root (the folder holding ``data/``), used for the bundled defaults.
PROJECT_ROOT = Path(__file__).resolve().parents[1]
BUNDLED_DATASET = PROJECT_ROOT / "data" / "sample"
BUNDLED_CORPUS = PROJECT_ROOT / "data" / "corpus"
#: The security level of the bundled report and sample register when ingested by default
#: (published material).
BUNDLED_LEVEL = SecurityLevel.OPPEN
