"""HTML and Markdown for the web app: answers, citation cards, pages, tables. No Gradio here."""

from __future__ import annotations

import html
import re
from urllib.parse import quote as urlquote

from assistant.qa.verify import normalize_for_match

_MARKER_RE = re.compile(r"\[(\d+)\]")


def mode_text(mode: str, model_name: str | None = None) -> str:
    if mode == "llm":
        return f"**Läge:** språkmodell {model_name or ''}".rstrip()
    return "**Läge:** utdrag ur rapporterna (ingen språkmodell)"


def searched_in(municipalities: list[str], years: list[int], theme: str = "") -> str:
    where = ", ".join(municipalities) if municipalities else "alla kommuner"
    when = ", ".join(str(y) for y in years) if years else "alla år"
    extra = f", tema: {theme}" if theme else ""
    return f"Sökt i: {where}, {when}{extra}"


NEAREST_HEADING = "Närmaste träffar (besvarar inte frågan)"
NEAREST_PREFIX = "n"  # keys of nearest passages in the session state: "n1", "n2", ...


def answer_markdown(
    text: str,
    citations: list[dict],
    searched: str,
    notice: str = "",
    nearest: list[dict] | None = None,
) -> str:
    """The chat message: [n] markers as links that open the cited page (one click, see
    LINKS_JS), the nearest passages when the answer is no, then where it searched."""
    known = {c["id"] for c in citations}
    body = _MARKER_RE.sub(
        lambda m: (
            f"[[{m.group(1)}]](#kalla-{m.group(1)})" if int(m.group(1)) in known else m.group(0)
        ),
        text,
    )
    parts = [body.replace("\n", "\n\n")]
    if nearest:
        items = [
            f"- [{_md(c['municipality'])} {c['year']}, s. {c['page']}](#kalla-{c['key']}): "
            f"”{_md(_short(c['quote']))}”"
            for c in nearest
        ]
        parts.append(f"**{NEAREST_HEADING}:**\n\n" + "\n".join(items))
    if notice:
        parts.append(f"*{notice}*")
    parts.append(f"*{searched}*")
    return "\n\n".join(parts)


def _short(quote: str, limit: int = 160) -> str:
    quote = " ".join(str(quote).split())
    return quote if len(quote) <= limit else quote[: limit - 1].rsplit(" ", 1)[0] + " …"


OCR_NOTE = "textigenkänd sida (OCR): jämför citatet med originalet"


def _ocr(c: dict) -> str:
    return " (OCR)" if c.get("ocr") else ""


def citation_label(c: dict) -> str:
    if str(c.get("key", c["id"])).startswith(NEAREST_PREFIX):
        return f"Närmaste träff: {c['municipality']} {c['year']}, s. {c['page']}{_ocr(c)}"
    return f"[{c['id']}] {c['municipality']} {c['year']}, s. {c['page']}{_ocr(c)}"


def _card(c: dict, key: str, label: str, extra_class: str = "") -> str:
    return (
        f"<div class='ra-card{extra_class}' id='kalla-{key}' data-cit='{key}' role='button' "
        f"tabindex='0' title='Visa sidan'>"
        f"<div class='ra-card-head'><b>{label}{_e(c['municipality'])} {c['year']}</b> · "
        f"{_e(c['source'])}, s. {c['page']}"
        + (f" · <span class='ra-ocr' title='{OCR_NOTE}'>OCR</span>" if c.get("ocr") else "")
        + "</div>"
        f"<div class='ra-quote'>”{_e(c['quote'])}”</div></div>"
    )


def citation_cards(
    citations: list[dict], unsupported: list[str] | None = None, nearest: list[dict] | None = None
) -> str:
    """Cards of the citations; when the answer is no, the nearest passages under their own
    heading (they are what was searched, not sources of the answer). Each card opens its page."""
    if not citations and not nearest:
        return "<p class='ra-empty'>Inga källor för det senaste svaret.</p>"
    out = ""
    if citations:
        cards = [_card(c, str(c["id"]), f"[{c['id']}] ") for c in citations]
        out += "<div class='ra-cards'>" + "".join(cards) + "</div>"
    else:
        out += (
            "<p class='ra-empty'>Svaret har inga källor: inget i rapporterna besvarar frågan.</p>"
        )
    if nearest:
        cards = [_card(c, c["key"], "", " ra-near") for c in nearest]
        out += (
            f"<h4 class='ra-near-head' id='ra-nearest'>{NEAREST_HEADING}</h4>"
            "<div class='ra-cards'>" + "".join(cards) + "</div>"
        )
    if unsupported:
        items = "".join(f"<li>{_e(u)}</li>" for u in unsupported)
        out += (
            "<details><summary>Kunde inte beläggas och togs bort</summary>"
            f"<ul>{items}</ul></details>"
        )
    return out


CARDS_JS = """
element.addEventListener('click', (e) => {
  const card = e.target.closest('[data-cit]');
  if (card) trigger('click', {cit: card.dataset.cit});
});
element.addEventListener('keydown', (e) => {
  const card = e.target.closest('[data-cit]');
  if (card && (e.key === 'Enter' || e.key === ' ')) { e.preventDefault(); card.click(); }
});
"""

# One click from an [n] (or a nearest passage) in the chat to the page with the quote marked:
# the link's card is clicked, which opens the page view. Runs once when the app loads.
LINKS_JS = """
() => {
  document.addEventListener('click', (e) => {
    const link = e.target.closest && e.target.closest('a[href*="#kalla-"]');
    if (!link || link.closest('#ra-cards')) return;
    const key = link.getAttribute('href').split('#kalla-')[1];
    const card = document.querySelector('#ra-cards [data-cit="' + key + '"]');
    if (!card) return;
    e.preventDefault();
    e.stopPropagation();
    card.click();
    const view = document.querySelector('#ra-page-view');
    if (view) view.scrollIntoView({block: 'nearest'});
  }, true);
}
"""


def page_html(citation: dict, page_text: str | None, file_url: str | None) -> str:
    """The cited page with the quote marked, and a link that opens the PDF at that page."""
    head = (
        f"<div class='ra-page-head'><b>{_e(citation['municipality'])} {citation['year']}</b> · "
        f"{_e(citation['source'])}, sida {citation['page']}"
        + (f" · <i>{OCR_NOTE}</i>" if citation.get("ocr") else "")
    )
    if file_url:
        head += (
            f" · <a href='{file_url}' target='_blank' rel='noopener'>"
            f"Öppna rapporten på sidan {citation['page']}</a>"
        )
    head += "</div>"
    if page_text is None:
        return head + "<p>Sidans text finns inte i arkivet.</p>"
    return (
        head + f"<div class='ra-page' id='ra-page'>{highlight(page_text, citation['quote'])}</div>"
    )


def highlight(page_text: str, quote: str) -> str:
    """Escaped page text with the quote in <mark>, tolerant of differing whitespace."""
    words = normalize_for_match(quote).split()
    if words:
        pattern = r"\s+".join(re.escape(w) for w in words)
        match = re.search(pattern, page_text) or re.search(pattern, page_text, re.IGNORECASE)
        if match:
            return (
                _e(page_text[: match.start()])
                + f"<mark>{_e(match.group(0))}</mark>"
                + _e(page_text[match.end() :])
            )
    return _e(page_text)


def file_link(path: str, page: int) -> str:
    return f"/gradio_api/file={urlquote(path)}#page={page}"


def survey_rows(result: dict) -> list[list]:
    """Kommun, Belägg, År, Iakttagelse (with [n]), Källor: those with evidence first, then
    those to check, then the others."""
    rows = []
    for item in result.get("municipalities", []):
        refs = "; ".join(
            f"[{n}] {c['source']} s. {c['page']}: ”{c['quote']}”"
            for n, c in enumerate(item.get("citations", []), 1)
        )
        found = "Ja" if item.get("found", True) else "Nej"
        check = item.get("check")
        if check:
            # near the decision: the nearest quote to read, not evidence
            found = "Att granska"
            refs = f"Närmast: {check['source']} s. {check['page']}: ”{check['quote']}”"
        year = item.get("year") or (check["year"] if check else "")
        rows.append([item["municipality"], found, year, item.get("finding", ""), refs])
    order = {"Ja": 0, "Att granska": 1}
    return sorted(rows, key=lambda r: order.get(r[1], 2))  # stable: the survey's order within


SURVEY_HEADERS = ["Kommun", "Belägg", "År", "Iakttagelse", "Källor"]


def survey_summary(result: dict, notice: str = "") -> str:
    missing = result.get("not_found") or []
    text = f"**Fråga:** {result.get('question', '')}\n\n**Täckning:** {result.get('coverage', '')}"
    text += f"\n\n**Inga belägg:** {', '.join(missing) if missing else '–'}"
    check = result.get("to_check") or []
    if check:
        text += (
            f"\n\n**Att granska:** {', '.join(check)} (under beslutsgränsen men nära den; "
            "läs det närmaste stycket i tabellen innan listan används)"
        )
    if notice:
        text += f"\n\n*{notice}*"
    return text


def status_markdown(status: dict) -> str:
    lines = [
        f"**Arkivet:** {plural(len(status['reports']), 'rapport', 'rapporter')}, "
        f"{plural(status['chunks'], 'stycke', 'stycken')} "
        f"(inbäddningsmodell {status['embedder']})."
    ]
    missing = status["missing_municipalities"]
    lines.append(f"**Saknar rapport ({len(missing)}):** {', '.join(missing) or '–'}")
    return "\n\n".join(lines)


def status_rows(status: dict) -> list[list]:
    return [
        [
            r["municipality"],
            r["year"],
            r["source"],
            r["pages"],
            r["chunks"],
            ", ".join(map(str, r["scanned_pages"])) or "",
            ", ".join(map(str, r.get("ocr_pages", []))) or "",
        ]
        for r in status["reports"]
    ]


def plural(n: int, one: str, many: str) -> str:
    """'1 sida', '3 sidor'."""
    return f"{n} {one if n == 1 else many}"


def report_label(record) -> str:
    """'Hofors 2023 – Hofors_2023.pdf' for a ReportRecord."""
    return f"{record.municipality} {record.year} – {record.source}"


WEB_FIX = (
    "Är kommunen fel, rätta den under ”Rätta eller ta bort en rapport” nedan "
    "(eller ta bort rapporten om den inte hör hemma här)."
)
PENDING = "behöver kommun och år"


def _web_text(text: str) -> str:
    """Advice meant for the command line, as a caseworker in the web app follows it."""
    if "config/kommuner.txt" in text:
        head = text.split(" (config/kommuner.txt)")[0].split(";")[0]
        return f"{head}; rapporten är inläst och sökbar. {WEB_FIX}"
    if "kunde inte kännas igen" in text:
        what = text.split(" kunde inte")[0]
        return (
            f"{what[:1].upper()}{what[1:]} kunde inte kännas igen i filnamnet eller texten. "
            "Filen är sparad men inte inläst: välj kommun och år nedan."
        )
    return text


def ingest_rows(report: dict) -> list[list]:
    rows = []
    for item in report.get("ingested", []):
        rows.append(
            [
                "inläst",
                _name(item["path"]),
                f"{item['municipality']} {item['year']}, {plural(item['pages'], 'sida', 'sidor')}",
            ]
        )
    for kind, key, label in (
        ("skipped", "reason", "hoppades över"),
        ("rejected", "reason", "avvisad"),
        ("warnings", "warning", "varning"),
    ):
        for i in report.get(kind, []):
            shown = PENDING if kind == "rejected" and "kunde inte kännas igen" in i[key] else label
            rows.append([shown, _name(i["path"]), _web_text(i[key])])
    return rows


def draft_markdown(items: list[tuple[str, str, str]]) -> str:
    """(number label, title, text) per item, as a preview."""
    if not items:
        return (
            "*Utkastet är tomt. Använd ”Lägg till i utkast” vid ett svar, en källa eller ett fynd.*"
        )
    return "\n\n".join(f"**{label} {_md(title)}**\n\n{text}" for label, title, text in items)


def _name(path: str) -> str:
    return re.split(r"[\\/]", path)[-1]


def _md(text: str) -> str:
    return text.replace("*", "\\*")


def _e(text) -> str:
    return html.escape(str(text), quote=True)


CSS = """
.ra-cards {display: flex; flex-direction: column; gap: 6px;}
.ra-card {border: 1px solid #c9d3e0; border-radius: 6px; padding: 6px 10px; cursor: pointer;
          background: #f7f9fc;}
.ra-card:hover, .ra-card:focus {border-color: #1f5fa8; background: #eef4fb;}
.ra-card-head {font-size: 0.9em; color: #1b2a3a;}
.ra-quote {font-style: italic; margin-top: 3px;}
.ra-page-head {margin-bottom: 6px;}
.ra-page {white-space: pre-wrap; max-height: 420px; overflow-y: auto; border: 1px solid #ddd;
          padding: 8px; font-family: Georgia, serif; background: white; color: #111;}
.ra-page mark {background: #ffe066; padding: 0 1px;}
.ra-near {background: #fbfaf5; border-style: dashed;}
.ra-near-head {margin: 10px 0 4px 0;}
"""
