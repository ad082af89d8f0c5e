#!/usr/bin/env bash
# The main job: set up, ingest the bundled report and the sample initiative register into the
# embedded Chroma store, then serve the app on http://127.0.0.1:8000 (offline mode, no keys).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export ANONYMIZED_TELEMETRY=False HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1
.venv/bin/digirapport ingest
exec .venv/bin/digirapport serve "$@"
