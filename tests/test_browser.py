"""End to end in a real headless Chromium (Debian's /usr/bin/chromium, driven by Playwright):
ask, open a citation, add it to the draft, export the DOCX and read it back."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.test_webapp_api import start_server

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run"]

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.skip("chromium saknas (/usr/bin/chromium): installera med scripts/setup.sh test")
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def app_url(tmp_path_factory):
    app, url = start_server(tmp_path_factory.mktemp("browser"))
    yield url
    app.close()


def ask(page, question: str) -> None:
    page.locator("#ra-question textarea").fill(question)
    page.locator("#ra-ask").click()
    page.locator("#ra-cards .ra-card").first.wait_for(timeout=30_000)


def test_ask_open_citation_draft_and_export_docx(browser, app_url, tmp_path):
    from docx import Document

    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(app_url)
    assert "utdrag ur rapporterna" in page.locator("#ra-mode").inner_text()
    ask(page, "Hur arbetar Hofors med fritidsbanken?")
    chat = page.locator("#ra-chat").inner_text()
    assert "[1]" in chat and "Sökt i: Hofors" in chat

    page.locator("#ra-cards .ra-card").first.click()
    mark = page.locator("#ra-page-view mark")
    mark.wait_for(timeout=15_000)
    assert "fritidsbanken" in mark.inner_text()
    link = page.locator("#ra-page-view a").get_attribute("href")
    assert link.endswith("#page=1")
    pdf = page.request.get(app_url.rstrip("/") + link.split("#")[0])
    assert pdf.ok and pdf.body()[:5] == b"%PDF-"

    page.locator("#ra-add-citation").click()
    page.get_by_text("lades till i utkastet").wait_for(timeout=15_000)
    page.get_by_role("tab", name="Utkast").click()
    assert "Hofors 2023, s. 1" in page.locator("#ra-draft-preview").inner_text()
    page.locator("#ra-export-docx").click()
    download_link = page.locator("#ra-draft-file a").first
    download_link.wait_for(timeout=15_000)
    with page.expect_download() as info:
        download_link.click()
    target = tmp_path / "utkast.docx"
    info.value.save_as(target)
    texts = [p.text for p in Document(str(target)).paragraphs]
    assert any("”Återrapportering 2023 för Hofors kommun om fritidsbanken.”" in t for t in texts)
    assert "Källförteckning" in texts
    assert any(t.startswith("[1] Hofors kommun, Återrapportering 2023, s. 1") for t in texts)
    page.close()


def test_sessions_do_not_share_drafts(browser, app_url):
    first, second = (browser.new_page() for _ in range(2))
    for page in (first, second):
        page.goto(app_url)
    ask(first, "Vad gör Bjuv med läxhjälp?")
    first.locator("#ra-add-answer").click()
    first.get_by_text("lades till i utkastet").wait_for(timeout=15_000)
    first.get_by_role("tab", name="Utkast").click()
    second.get_by_role("tab", name="Utkast").click()
    assert "Bjuv" in first.locator("#ra-draft-preview").inner_text()
    assert "Utkastet är tomt" in second.locator("#ra-draft-preview").inner_text()
    first.close()
    second.close()


def test_upload_a_report(browser, app_url, tmp_path):
    from tests.pdfmaker import make_pdf, report_pages

    pdf = make_pdf(tmp_path / "Eda_2024.pdf", report_pages("Eda", 2024, "trygghetsvandringar"))
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(app_url)
    page.get_by_role("tab", name="Rapporter").click()
    page.locator("#ra-upload input[type=file]").set_input_files(str(pdf))
    page.locator("#ra-upload").get_by_text("Eda_2024").first.wait_for(timeout=15_000)
    page.locator("#ra-ingest").click()
    page.locator("#ra-status").get_by_text("4 rapporter").wait_for(timeout=60_000)
    assert "Eda" not in page.locator("#ra-status").inner_text().split("Saknar rapport")[1]
    page.close()


def test_login_page_then_app(browser, tmp_path):
    """With a users file: our Swedish login page, a wrong password refused, then the app."""
    from assistant.auth import set_user

    set_user(tmp_path / "users.txt", "anna", "hemligt-lösen")
    app, url = start_server(tmp_path, users_file=tmp_path / "users.txt")
    try:
        page = browser.new_page()
        page.goto(url)
        page.locator("#username").fill("anna")
        page.locator("#password").fill("fel-lösenord")
        page.locator("#logga-in").click()
        page.get_by_text("Fel användarnamn eller lösenord").wait_for(timeout=15_000)
        assert page.locator("#ra-mode").count() == 0
        page.locator("#password").fill("hemligt-lösen")
        page.locator("#logga-in").click()
        page.locator("#ra-mode").wait_for(timeout=30_000)
        ask(page, "Vad gör Bjuv med läxhjälp?")
        assert "Sökt i: Bjuv" in page.locator("#ra-chat").inner_text()
        page.close()
    finally:
        app.close()
