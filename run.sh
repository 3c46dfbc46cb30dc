#!/usr/bin/env bash
# The main job on the bundled sample reports: install (first time), ingest, then answer.
set -euo pipefail
cd "$(dirname "$0")"
scripts/setup.sh app
export RAPPORTASSISTENT_STORE="${RAPPORTASSISTENT_STORE:-$PWD/.store/demo}"
export HF_HUB_OFFLINE=1 ANONYMIZED_TELEMETRY=False
.venv/bin/rapportassistent ingest samples/reports samples/bad
.venv/bin/rapportassistent search "Vilka kommuner har en fritidsbank?" --k 5
