"""End to end in a real headless Chromium (Debian's /usr/bin/chromium, driven by Playwright),
as a caseworker does it: ask, open a citation (one click from [n]), see the nearest passages
of a no-answer, add to the draft and export it (title, author, numbering read back), correct
and remove reports (the survey's denominator follows), upload a file whose municipality
cannot be told, and no English Gradio string anywhere in the UI."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.chromium import CHROMIUM, launch
from tests.test_webapp_api import start_server

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.skip("chromium saknas (/usr/bin/chromium): installera med scripts/setup.sh test")
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    with sync_api.sync_playwright() as p:
        browser = launch(p)
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
    page.locator("#ra-info").get_by_text("lades till i utkastet").wait_for(timeout=15_000)
    page.get_by_role("tab", name="Utkast").click()
    assert "Hofors 2023, s. 1" in page.locator("#ra-draft-preview").inner_text()
    texts = [p.text for p in _export_docx(page, tmp_path).paragraphs]
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
    first.locator("#ra-info").get_by_text("lades till i utkastet").wait_for(timeout=15_000)
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
    from assistant.web.auth import set_user

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


# -- issue 21: what a caseworker meets ------------------------------------------------------
def ask_any(page, question: str) -> None:
    """Ask and wait for the final answer (with or without citations)."""
    page.locator("#ra-question textarea").fill(question)
    page.locator("#ra-ask").click()
    page.locator("#ra-chat").get_by_text("Sökt i:").wait_for(timeout=30_000)


def test_a_no_answer_shows_the_nearest_passages_each_openable(browser, app_url):
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(app_url)
    ask_any(page, "Hur arbetar Hofors med sommarjobb?")
    chat = page.locator("#ra-chat").inner_text()
    assert "Inget i rapporterna besvarar frågan" in chat
    assert "Närmaste träffar (besvarar inte frågan)" in chat
    cards = page.locator("#ra-cards .ra-near")
    cards.first.wait_for(timeout=15_000)
    assert cards.count() >= 1
    assert "Närmaste träffar (besvarar inte frågan)" in page.locator("#ra-cards").inner_text()
    # Open one from the chat itself: one click to the page with the passage marked.
    page.locator("#ra-chat a[href*='#kalla-n1']").first.click()
    mark = page.locator("#ra-page-view mark")
    mark.wait_for(timeout=15_000)
    assert "Hofors" in page.locator("#ra-page-view .ra-page-head").inner_text()
    # ... and from its card.
    cards.nth(cards.count() - 1).click()
    page.locator("#ra-page-view mark").wait_for(timeout=15_000)
    page.close()


def test_one_click_from_a_marker_to_the_highlighted_page(browser, app_url):
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(app_url)
    ask(page, "Hur arbetar Hofors med fritidsbanken?")
    assert page.locator("#ra-page-view mark").count() == 0
    page.locator("#ra-chat a[href='#kalla-1']").first.click()
    mark = page.locator("#ra-page-view mark")
    mark.wait_for(timeout=15_000)
    assert "fritidsbanken" in mark.inner_text()
    assert page.locator("#ra-pick input[value='1']").is_checked()
    link = page.locator("#ra-page-view a").get_attribute("href")
    assert link.endswith("#page=1")  # and from there to the PDF at that page
    page.close()


def test_draft_numbering_confirmation_and_docx_title_author(browser, app_url, tmp_path):
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(app_url)
    ask(page, "Hur arbetar Hofors med fritidsbanken?")
    page.locator("#ra-add-answer").click()
    page.locator("#ra-info").get_by_text("Svaret lades till i utkastet (nu 1 del)").wait_for(
        timeout=15_000
    )
    ask(page, "Vad gör Bjuv med läxhjälp?")
    page.locator("#ra-add-answer").click()
    page.locator("#ra-info").get_by_text("(nu 2 delar)").wait_for(timeout=15_000)
    page.get_by_role("tab", name="Utkast").click()
    # the editor shows the last item, selected, once the tab has rendered it
    page.wait_for_function(
        "() => (document.querySelector('#ra-draft-text textarea') || {}).value?.includes('Bjuv')",
        timeout=15_000,
    )
    preview = page.locator("#ra-draft-preview").inner_text()
    editor = page.locator("#ra-draft-text textarea").input_value()
    assert "Bjuv" in editor
    numbers = re.findall(r"\[(\d+)\]", editor)
    assert numbers and min(map(int, numbers)) > 1  # the Bjuv item's sources follow Hofors'
    assert all(f"[{n}]" in preview.split("Bjuv", 1)[1] for n in numbers)
    doc = _export_docx(page, tmp_path)
    assert doc.core_properties.title == "Utkast till delrapport"
    assert doc.core_properties.author == "Tillväxtverket"  # nobody logged in: the agency
    texts = [p.text for p in doc.paragraphs]
    body = "\n".join(texts)
    for n in numbers:  # the editor's numbers are the export's
        assert f"[{n}]" in body.split("Källförteckning")[0]
        assert any(t.startswith(f"[{n}] Bjuvs kommun") for t in texts)
    page.close()


def _export_docx(page, folder: Path):
    """Export the draft as DOCX from the Utkast tab, download it, and read it back."""
    from docx import Document

    page.locator("#ra-export-docx").click()
    link = page.locator("#ra-draft-file a").first
    link.wait_for(timeout=15_000)
    with page.expect_download() as info:
        link.click()
    target = folder / "utkast.docx"
    info.value.save_as(target)
    return Document(str(target))


def _survey_coverage(page, question: str, audit: Path) -> str:
    """Run a survey; its coverage as shown, read after the audit log has recorded the run
    (so the text is this run's, not the previous one's)."""

    def runs() -> list[dict]:
        lines = audit.read_text(encoding="utf-8").splitlines() if audit.exists() else []
        return [e for e in map(json.loads, lines) if e["action"] == "survey"]

    before = len(runs())
    page.get_by_role("tab", name="Kartläggning").click()
    page.locator("#ra-survey-question textarea").fill(question)
    page.locator("#ra-survey-run").click()
    while len(runs()) == before:
        page.wait_for_timeout(100)
    coverage = runs()[-1]["coverage"]
    page.get_by_text(f"Täckning: {coverage}").wait_for(timeout=30_000)
    return coverage


def _choose(page, elem_id: str, text: str) -> None:
    box = page.locator(f"#{elem_id} input")
    box.click()
    box.fill("")
    box.press_sequentially(text)  # typed, as a caseworker filters the long list
    # click only once the list is filtered: while it re-renders, the item under the
    # pointer can change ("Eda" also filters in "Härjedalen")
    page.wait_for_function(
        "text => { const items = [...document.querySelectorAll('ul[role=listbox] li')];"
        " return items.length > 0 && items.every("
        "li => li.getAttribute('aria-label').toLowerCase().includes(text.toLowerCase())); }",
        arg=text,
        timeout=15_000,
    )
    page.locator(f"ul[role=listbox] li[aria-label^='{text}']").first.click()
    # the choice has landed once the box shows it and the list has closed
    try:
        page.wait_for_function(
            "([id, text]) => document.querySelector(`#${id} input`).value.startsWith(text)"
            " && !document.querySelector('ul[role=listbox]')",
            arg=[elem_id, text],
            timeout=15_000,
        )
    except Exception as exc:
        lists = page.locator("ul[role=listbox]").all_inner_texts()
        raise AssertionError(
            f"{elem_id}: box shows {box.input_value()!r}, lists {lists!r}"
        ) from exc


def test_correct_and_remove_a_report_and_the_survey_follows(browser, tmp_path):
    audit = tmp_path / "audit.jsonl"
    app, url = start_server(tmp_path, audit_log=audit)
    try:
        page = browser.new_page(viewport={"width": 1400, "height": 1200})
        page.goto(url)
        page.locator("#ra-mode").wait_for(timeout=30_000)
        before = _survey_coverage(page, "Vilka kommuner arbetar med läxhjälp?", audit)
        assert before.endswith("av 3")
        page.get_by_role("tab", name="Rapporter").click()
        _choose(page, "ra-report", "Flen 2022")
        page.wait_for_function("() => document.querySelector('#ra-fix-ar input').value === '2022'")
        _choose(page, "ra-fix-kommun", "Eda")
        page.locator("#ra-fix-ar input").fill("2024")
        page.locator("#ra-fix-ar input").blur()
        page.locator("#ra-fix").click()
        try:
            page.locator("#ra-manage-info").get_by_text("är nu Eda 2024").wait_for(timeout=60_000)
        except Exception as exc:  # say what the page showed instead
            shown = page.locator("body").inner_text()[-1500:]
            raise AssertionError(
                f"no confirmation of the correction; the page shows:\n{shown}"
            ) from exc
        table = page.locator("#ra-status-table").inner_text()
        assert "Eda\n2024\nFlen_2022.pdf" in table and "Flen\n2022" not in table
        assert "Eda" not in page.locator("#ra-status").inner_text().split("Saknar rapport")[1]

        _choose(page, "ra-report", "Hofors 2023")
        page.locator("#ra-remove").click()
        confirm = page.locator("#ra-confirm")
        confirm.get_by_text("Ta bort Hofors 2023").wait_for(timeout=15_000)
        page.locator("#ra-remove-yes").click()
        page.locator("#ra-manage-info").get_by_text("togs bort ur arkivet").wait_for(timeout=60_000)
        page.locator("#ra-status").get_by_text("2 rapporter").wait_for(timeout=15_000)
        assert "Hofors_2023.pdf" not in page.locator("#ra-status-table").inner_text()
        after = _survey_coverage(page, "Vilka kommuner arbetar med läxhjälp?", audit)
        assert after.endswith("av 2")
        entries = [json.loads(line) for line in audit.read_text(encoding="utf-8").splitlines()]
        assert any(
            e["action"] == "correct" and e["after"] == {"municipality": "Eda", "year": 2024}
            for e in entries
        )
        assert any(e["action"] == "remove" and e["source"] == "Hofors_2023.pdf" for e in entries)
        store = app.ra_handlers.service.store
        assert store.check().ok
        page.close()
    finally:
        app.close()


def test_an_upload_without_municipality_asks_for_it(browser, tmp_path):
    from tests.pdfmaker import make_pdf

    app, url = start_server(tmp_path)
    pdf = make_pdf(
        tmp_path / "rapport.pdf",
        [
            "Verksamhetsberättelse om läxhjälp och föreningar.",
            "Arbetet har skett i samverkan med föreningar och skolan.\nDetta gäller läxhjälp.",
        ],
    )
    try:
        page = browser.new_page(viewport={"width": 1400, "height": 1200})
        page.goto(url)
        page.get_by_role("tab", name="Rapporter").click()
        page.locator("#ra-upload input[type=file]").set_input_files(str(pdf))
        page.locator("#ra-upload").get_by_text("rapport", exact=True).first.wait_for(timeout=15_000)
        page.locator("#ra-ingest").click()
        pending = page.locator("#ra-pending")
        pending.get_by_text("kunde inte kännas igen för: rapport.pdf").wait_for(timeout=60_000)
        assert "behöver kommun och år" in page.locator("#ra-ingest-table").inner_text()
        assert "3 rapporter" in page.locator("#ra-status").inner_text()  # not counted yet
        page.locator("#ra-pending-ingest").click()  # nothing chosen: a Swedish error, not lost
        page.get_by_text("Välj kommunen i listan.").first.wait_for(timeout=15_000)
        _choose(page, "ra-pending-kommun", "Ånge")
        page.locator("#ra-pending-ar input").fill("2024")
        page.locator("#ra-pending-ingest").click()
        page.locator("#ra-status").get_by_text("4 rapporter").wait_for(timeout=60_000)
        assert "Ånge" in page.locator("#ra-status-table").inner_text()
        assert "inläst" in page.locator("#ra-ingest-table").inner_text()
        page.locator("#ra-pending").wait_for(state="hidden", timeout=15_000)
        page.close()
    finally:
        app.close()


_WALK = """() => {
  const out = [];
  const walker = document.createTreeWalker(
    document.body, NodeFilter.SHOW_TEXT | NodeFilter.SHOW_ELEMENT);
  let n;
  while ((n = walker.nextNode())) {
    if (n.nodeType === 3) {
      if (n.parentElement && ['SCRIPT', 'STYLE'].includes(n.parentElement.tagName)) continue;
      const t = n.nodeValue.trim(); if (t) out.push(t);
    } else {
      for (const a of ['aria-label', 'title', 'placeholder', 'alt']) {
        const v = n.getAttribute(a); if (v && v.trim()) out.push(v.trim());
      }
    }
  }
  return out;
}"""


def _english(strings: list[str]) -> set[str]:
    from assistant.web.swedish import ENGLISH_DEFAULTS

    found = set()
    for text in strings:
        for english in ENGLISH_DEFAULTS:
            if (
                text == english
                or (len(english) > 12 and english in text)
                or (english.endswith(".") and text.startswith(english))
            ):
                found.add(text)
        if re.search(r"\b\d+/\d+ steps\b|\bIn queue\b|\bprocessing\b", text):
            found.add(text)
    return found


def test_no_english_gradio_strings_in_an_english_browser(browser, app_url, tmp_path):
    """Walk every tab in a browser set to English, after using each part, and look for
    Gradio's English defaults in text, aria-labels, titles and placeholders."""
    from tests.pdfmaker import make_pdf, report_pages

    context = browser.new_context(locale="en-US", viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.goto(app_url)
    page.locator("#ra-mode").wait_for(timeout=30_000)
    assert page.evaluate("() => document.documentElement.lang") == "sv"
    seen = list(page.evaluate(_WALK))
    ask(page, "Hur arbetar Hofors med fritidsbanken?")
    page.locator("#ra-cards .ra-card").first.click()
    page.locator("#ra-page-view mark").wait_for(timeout=15_000)
    page.locator("#ra-add-citation").click()
    page.locator("#ra-info").get_by_text("lades till").wait_for(timeout=15_000)
    seen += page.evaluate(_WALK)
    page.get_by_role("tab", name="Kartläggning").click()
    page.locator("#ra-survey-question textarea").fill("Vilka kommuner har läxhjälp?")
    page.locator("#ra-survey-run").click()
    page.get_by_text("Täckning:").wait_for(timeout=30_000)
    seen += page.evaluate(_WALK)
    page.get_by_role("tab", name="Utkast").click()
    page.locator("#ra-export-docx").click()
    page.locator("#ra-draft-file a").first.wait_for(timeout=15_000)
    seen += page.evaluate(_WALK)
    page.get_by_role("tab", name="Rapporter").click()
    seen += page.evaluate(_WALK)
    pdf = make_pdf(tmp_path / "Laxå_2024.pdf", report_pages("Laxå", 2024, "läxhjälp"))
    page.locator("#ra-upload input[type=file]").set_input_files(str(pdf))
    page.locator("#ra-upload").get_by_text("Laxå_2024").first.wait_for(timeout=15_000)
    seen += page.evaluate(_WALK)
    # Everything shown while the upload runs (progress texts come and go): collected by an
    # observer registered after the app's own, so it sees the texts as the user does.
    page.evaluate("""() => { window.__seen = [];
      new MutationObserver((records) => { for (const r of records) {
        const nodes = r.type === 'characterData' ? [r.target] : [...r.addedNodes];
        for (const n of nodes) {
          const t = (n.textContent || '').trim(); if (t) window.__seen.push(t); }
      } }).observe(document.body, {subtree: true, childList: true, characterData: true}); }""")
    page.locator("#ra-ingest").click()
    page.wait_for_function(
        "() => document.querySelector('#ra-ingest-table').innerText.includes('inläst')",
        timeout=60_000,
    )
    seen += page.evaluate(_WALK) + page.evaluate("() => window.__seen")
    english = _english(seen)
    assert not english, f"engelska texter i gränssnittet: {sorted(english)}"
    context.close()


def test_login_page_says_when_to_try_again(browser, tmp_path, monkeypatch):
    from assistant.web.auth import set_user

    monkeypatch.setenv("RAPPORTASSISTENT_LOGIN_FREE", "1")
    monkeypatch.setenv("RAPPORTASSISTENT_LOGIN_LOCK_AFTER", "3")
    monkeypatch.setenv("RAPPORTASSISTENT_LOGIN_DELAY", "0.05")
    set_user(tmp_path / "users.txt", "anna", "hemligt-lösen")
    app, url = start_server(tmp_path, users_file=tmp_path / "users.txt")
    try:
        page = browser.new_page()
        page.goto(url)
        page.locator("#username").fill("anna")
        for n in range(3):
            page.locator("#password").fill(f"fel-{n}")
            page.locator("#logga-in").click()
            page.get_by_text("Fel användarnamn eller lösenord").wait_for(timeout=15_000)
            page.evaluate("() => { document.getElementById('fel').textContent = ''; }")
        page.locator("#password").fill("hemligt-lösen")
        page.locator("#logga-in").click()
        page.get_by_text("För många misslyckade inloggningar. Försök igen om 5 minuter").wait_for(
            timeout=15_000
        )
        assert page.locator("#ra-mode").count() == 0
        page.close()
    finally:
        app.close()
