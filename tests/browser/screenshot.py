"""Save docs/screenshot-chat.png: the chat with an answer, its citation cards and an open page.

    .venv/bin/python tests/browser/screenshot.py [--store DIR] [--question TEXT]

Starts the app on a free loopback port over the store (default: the configured store) and
drives Debian's Chromium with Playwright.
"""

from __future__ import annotations

import argparse
import socket
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--store")
    parser.add_argument("--question", default="Hur arbetar Hofors med fritidsbanken?")
    parser.add_argument("--out", default=str(ROOT / "docs" / "screenshot-chat.png"))
    args = parser.parse_args()

    from playwright.sync_api import sync_playwright

    from assistant.service import Service
    from assistant.web.server import serve
    from tests.chromium import launch

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    app = serve(port=port, service=Service.open(args.store, llm=None), block=False)
    try:
        with sync_playwright() as p:
            browser = launch(p)
            page = browser.new_page(viewport={"width": 1400, "height": 1050})
            page.goto(f"http://127.0.0.1:{port}/")
            page.locator("#ra-question textarea").fill(args.question)
            page.locator("#ra-ask").click()
            page.locator("#ra-cards .ra-card").first.wait_for(timeout=120_000)
            page.locator("#ra-cards .ra-card").first.click()
            page.locator("#ra-page-view mark").wait_for(timeout=30_000)
            Path(args.out).parent.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=args.out, full_page=True)
            browser.close()
    finally:
        app.close()
    print(f"Sparade {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
