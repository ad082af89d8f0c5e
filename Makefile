# Task targets. Everything runs in .venv (created by scripts/setup.sh).
.PHONY: setup run test lint typecheck check bench eval

setup:
	bash scripts/setup.sh

run:
	bash scripts/run.sh

test:
	bash scripts/test.sh

lint: setup
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .

typecheck: setup
	.venv/bin/mypy

check: lint typecheck test

bench: setup
	.venv/bin/python scripts/bench_index.py
	.venv/bin/python scripts/bench_ingest.py
	.venv/bin/python scripts/bench_search.py
	.venv/bin/python scripts/bench_chat.py
	.venv/bin/python scripts/bench_classify.py

eval: setup
	.venv/bin/digirapport eval retrieval
	.venv/bin/digirapport eval chat
	.venv/bin/digirapport eval classify
