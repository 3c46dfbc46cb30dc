#!/usr/bin/env bash
# The main job on the bundled sample reports: install (first time), ingest, start the web chat.
# Extra arguments go to `rapportassistent serve` (e.g. --host 0.0.0.0 --port 8080).
set -euo pipefail
cd "$(dirname "$0")"
scripts/setup.sh app
export RAPPORTASSISTENT_STORE="${RAPPORTASSISTENT_STORE:-$PWD/.store/demo}"
export HF_HUB_OFFLINE=1 ANONYMIZED_TELEMETRY=False PYTHONUNBUFFERED=1
# Line-by-line progress while the samples are read (about 40 s the first time), also when
# the output is not a terminal.
.venv/bin/python -m assistant.web.startup samples/reports samples/bad
echo "Startar webbappen (läser in modellen och sökindexet) …"
exec .venv/bin/rapportassistent serve "$@"
