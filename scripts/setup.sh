#!/usr/bin/env bash
# Sets up Digirapport on a fresh machine: a Python 3.11 venv in .venv with the pinned packages.
# Idempotent: a second run only checks. torch comes first, pinned to the CPU build (never CUDA).
set -euo pipefail
cd "$(dirname "$0")/.."

PY=${PYTHON:-}
if [ -z "$PY" ]; then
  for cand in python3.11 python3; do
    if command -v "$cand" >/dev/null && "$cand" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))'; then
      PY=$cand; break
    fi
  done
fi
[ -n "$PY" ] || { echo "Python 3.11 krävs (hittades inte)." >&2; exit 1; }

# Test tools from npm: axe-core (accessibility checks) and oidc-provider (single sign-on tests).
# Installed from the committed lock files when npm is here, once per lock file (a stamp in
# node_modules); never fails setup: offline or without npm, the tests that need them skip.
npm_ci() {
  local dir=$1 want stamp=$1/node_modules/.digirapport-lock
  [ -f "$dir/package-lock.json" ] && command -v npm >/dev/null || return 0
  want=$(sha256sum "$dir/package-lock.json" | cut -c1-16)
  [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] && return 0
  if (cd "$dir" && timeout 300 npm ci --no-audit --no-fund --silent --fetch-retries=1 \
        --fetch-timeout=30000 >/dev/null 2>&1); then
    echo "$want" > "$stamp"
  else
    echo "npm ci i $dir misslyckades (offline?); testerna som behöver det hoppas över." >&2
  fi
}
npm_ci tests/web/axe
npm_ci tests/web/oidc

stamp=.venv/.digirapport-installed
want=$(cat pyproject.toml constraints.txt | sha256sum | cut -c1-16)
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] && [ -x .venv/bin/digirapport ]; then
  exit 0
fi

[ -d .venv ] || "$PY" -m venv .venv
PIP=(.venv/bin/python -m pip --disable-pip-version-check -q)
FIND=()
[ -d /opt/wheels ] && FIND=(--find-links /opt/wheels)
echo "Installerar torch==2.13.0 (CPU) ..."
"${PIP[@]}" install "${FIND[@]}" "torch==2.13.0"
echo "Installerar Digirapport med låsta versioner ..."
"${PIP[@]}" install "${FIND[@]}" -c constraints.txt -e ".[dev]"
echo "$want" > "$stamp"
echo "Klart: .venv är installerad."
