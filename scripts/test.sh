#!/usr/bin/env bash
# Install everything the tests need, then run them. Extra arguments go to pytest; without any,
# the whole suite runs (CI: .ci/run). `scripts/test.sh -m unit` runs the fast unit layer.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh test
export HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1 ANONYMIZED_TELEMETRY=False
# lint and format first: a style slip fails in a second, not after the whole suite
.venv/bin/ruff check --quiet . && .venv/bin/ruff format --check --quiet . || {
  echo "ruff: fix with '.venv/bin/ruff check --fix . && .venv/bin/ruff format .'" >&2; exit 1; }
set +e
.venv/bin/python -m pytest "$@"
rc=$?
set -e
if [ "$rc" = 5 ]; then echo "Inga tester hittades." >&2; exit 1; fi
exit "$rc"
