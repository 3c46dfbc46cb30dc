"""Generate the fictional sample corpus, the labelled sets and a benchmark corpus.

    python tools/make_samples.py                 # samples/reports, samples/bad, tests/data/*.json
    python tools/make_samples.py --bench DIR [--reports 30] [--pages 20] [--seed 1]

Output is deterministic: reportlab runs with invariant=1, dates are fixed, DOCX zips get fixed
timestamps, all randomness is seeded.
"""

from __future__ import annotations

import argparse
import io
import json
import random
import sys
import time
import zipfile
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from reportlab import rl_config
from reportlab.lib import colors, pdfencrypt
from reportlab.lib.enums import TA_JUSTIFY, TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Frame,
    KeepTogether,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

sys.path.insert(0, str(Path(__file__).resolve().parent))
import sample_content as C  # noqa: E402

rl_config.invariant = 1
_FONT_DIR = Path(rl_config.__file__).resolve().parent / "fonts"
pdfmetrics.registerFont(TTFont("Vera", str(_FONT_DIR / "Vera.ttf")))
pdfmetrics.registerFont(TTFont("Vera-Bold", str(_FONT_DIR / "VeraBd.ttf")))
pdfmetrics.registerFont(TTFont("Vera-Italic", str(_FONT_DIR / "VeraIt.ttf")))
BOLD = {"Helvetica": "Helvetica-Bold", "Vera": "Vera-Bold"}
ITALIC = {"Helvetica": "Helvetica-Oblique", "Vera": "Vera-Italic"}
ROOT = Path(__file__).resolve().parents[1]
PAGE_W, PAGE_H = A4
MARGIN = 2.2 * cm
NBSP = "\u00a0"

# ---------------------------------------------------------------------------------------------
# Document model: a report becomes a list of blocks that every renderer understands
# ---------------------------------------------------------------------------------------------


@dataclass
class Block:
    kind: str  # title | h1 | h2 | p | bullets | table | twocol_start | twocol_end
    text: str = ""
    items: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)


def fmt_amount(kronor: int, unit: str, nbsp: bool = False) -> str:
    """Swedish number format: 1 200 000 (kr), 1 200 (tkr), 1,20 (mnkr)."""
    if unit == "mnkr":
        if kronor % 10_000:
            raise ValueError(f"{kronor} not expressible in mnkr with two decimals")
        return f"{kronor / 1_000_000:.2f}".replace(".", ",")
    value = kronor // 1000 if unit == "tkr" else kronor
    if unit == "tkr" and kronor % 1000:
        raise ValueError(f"{kronor} not expressible in tkr")
    return f"{value:,}".replace(",", NBSP if nbsp else " ")


def budget_rows(report: C.Report) -> list[tuple[str, int, int]]:
    rows = [(i.label, i.budget, i.utfall) for i in report.insatser]
    if report.admin:
        rows.append(("Administration och uppföljning", *report.admin))
    return rows


def table_rows(report: C.Report) -> list[list[str]]:
    u, nb = report.unit, report.nbsp_numbers
    out = [["Insats", f"Budget ({u})", f"Utfall ({u})"]]
    rows = budget_rows(report)
    out += [[label, fmt_amount(b, u, nb), fmt_amount(x, u, nb)] for label, b, x in rows]
    out.append(
        [
            "Summa",
            fmt_amount(sum(r[1] for r in rows), u, nb),
            fmt_amount(sum(r[2] for r in rows), u, nb),
        ]
    )
    return out


def fill(template: str, report: C.Report, ins: C.Insats | None, rng: random.Random) -> str:
    m = C.MUNICIPALITIES.get(report.municipality) or bench_municipality(report.municipality)
    return template.format(
        org=m.org,
        year=report.year,
        region=m.region,
        population=m.population,
        name=ins.title if ins else "",
        place=rng.choice(m.places),
        partner=rng.choice(m.partners),
        partners=", ".join(m.partners[:-1]) + " och " + m.partners[-1],
    )


class SentencePool:
    """Draws neutral filler sentences without repetition until the pool is exhausted."""

    def __init__(self, sentences: list[str], rng: random.Random):
        self.sentences, self.rng, self.left = sentences, rng, []

    def paragraph(self, n: int) -> list[str]:
        out: list[str] = []
        for _ in range(min(n, len(self.sentences))):
            if not self.left:
                self.left = [s for s in self.sentences if s not in out]
                self.rng.shuffle(self.left)
            out.append(self.left.pop())
        return out


def report_blocks(report: C.Report, extra_logs: int = 0) -> list[Block]:
    """All text of one report, in reading order."""
    rng = random.Random(f"{report.municipality}|{report.year}|{report.kind}")
    m = C.MUNICIPALITIES.get(report.municipality) or bench_municipality(report.municipality)
    pools = {k: SentencePool(v, rng) for k, v in C.FILLER.items()}

    def filler(section: str, n: int) -> str:
        return " ".join(fill(s, report, None, rng) for s in pools[section].paragraph(n))

    heading = (
        "Komplettering till återrapportering"
        if report.kind == "Komplettering"
        else "Återrapportering"
    )
    b: list[Block] = [
        Block(
            "title",
            f"{m.org}\n{heading} {report.year}\n{C.GRANT}\n"
            f"Diarienummer: {report.dnr}\nDatum: {report.date}",
        )
    ]
    b.append(Block("h1", "1 Sammanfattning"))
    titles = [i.title for i in report.insatser]
    b.append(
        Block(
            "p",
            report.summary
            + " Bidraget har använts till följande insatser: "
            + ", ".join(titles[:-1])
            + " samt "
            + titles[-1]
            + ".",
        )
    )
    if report.kind != "Komplettering":
        b.append(Block("p", filler("general", 4)))
        b.append(Block("twocol_start" if report.two_column else "p", ""))
        b.append(Block("h1", "2 Bakgrund och förutsättningar"))
        n_bak = 4 if report.two_column else 2
        for _ in range(n_bak):
            b.append(Block("p", filler("bakgrund", 4)))
        if report.two_column:
            b.append(Block("twocol_end"))
    b.append(Block("h1", "3 Insatser" if report.kind != "Komplettering" else "2 Insatser"))
    for ins in report.insatser:
        b.append(Block("h2", ins.title))
        b.append(Block("p", " ".join(ins.facts)))
        paras = C.THEME_PARAGRAPHS[ins.themes[0]]
        for t in rng.sample(paras, k=min(len(paras), 1 if report.kind == "Komplettering" else 2)):
            b.append(Block("p", fill(t, report, ins, rng)))
        if ins.bullets:
            b.append(Block("bullets", items=ins.bullets))
        for _ in range(extra_logs):
            b.append(Block("p", bench_log(ins, report, rng)))
    if report.kind != "Komplettering":
        b.append(Block("h1", "4 Samverkan"))
        b.append(Block("p", filler("samverkan", 4)))
        b.append(Block("p", filler("samverkan", 3)))
        b.append(Block("h1", "5 Resultat och effekter"))
        b.append(Block("p", filler("resultat", 3)))
        results = [i.result for i in report.insatser]
        if rng.random() < 0.5:
            b.append(Block("bullets", items=results))
        else:
            b += [Block("p", r) for r in results]
    b.append(
        Block(
            "h1",
            "6 Ekonomisk redovisning"
            if report.kind != "Komplettering"
            else "3 Ekonomisk redovisning",
        )
    )
    b.append(
        Block(
            "p",
            f"Tabellen visar budget och utfall per insats för {report.year}. "
            f"Beloppen anges i {report.unit}.",
        )
    )
    b.append(Block("table", rows=table_rows(report)))
    b.append(Block("p", budget_comment(report)))
    b.append(
        Block(
            "h1",
            "7 Lärdomar och fortsatt arbete" if report.kind != "Komplettering" else "4 Kommentar",
        )
    )
    b.append(Block("p", " ".join(report.lessons)))
    # pad with neutral text up to the target length, spread over the first and last sections
    slots = [i for i, x in enumerate(b) if x.kind == "h1" and x.text[2:] in PADDED]
    k = 0
    while report.kind != "Komplettering" and text_length(b) < report.target_chars:
        slots = [i for i, x in enumerate(b) if x.kind == "h1" and x.text[2:] in PADDED]
        start = slots[k % len(slots)]
        end = next(
            (i for i in range(start + 1, len(b)) if b[i].kind in ("h1", "twocol_start")), len(b)
        )
        n = rng.randrange(3, 6)
        pool = PADDED[b[start].text[2:]]
        b.insert(end, Block("p", filler(pool if len(pools[pool].left) >= n else "general", n)))
        k += 1
    return b


# section -> filler pool used to pad it
PADDED = {
    "Sammanfattning": "general",
    "Samverkan": "samverkan",
    "Lärdomar och fortsatt arbete": "lardomar",
    "Resultat och effekter": "resultat",
}


def budget_comment(report: C.Report) -> str:
    rows = budget_rows(report)
    over = [r[0] for r in rows if r[2] > r[1]]
    total_b, total_u = sum(r[1] for r in rows), sum(r[2] for r in rows)
    diff = "ett överskott" if total_u <= total_b else "ett underskott"
    text = f"Totalt redovisas {diff} jämfört med budget."
    if over:
        text += " Utfallet blev högre än budgeterat för " + ", ".join(over) + "."
    return text


def text_length(blocks: list[Block]) -> int:
    return sum(len(b.text) + sum(len(i) for i in b.items) for b in blocks)


# ---------------------------------------------------------------------------------------------
# PDF rendering
# ---------------------------------------------------------------------------------------------


class NumberedCanvas(Canvas):
    """Defers the footer until the page count is known: "Sida 3 av 7"."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._pages: list[dict] = []

    def showPage(self):  # noqa: N802 (reportlab API)
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self):
        total = len(self._pages)
        for state in self._pages:
            self.__dict__.update(state)
            self.setFont("Helvetica", 8.5)
            self.drawCentredString(PAGE_W / 2, 1.2 * cm, f"Sida {self._pageNumber} av {total}")
            super().showPage()
        super().save()


class ReportDoc(BaseDocTemplate):
    def __init__(self, target, header: str, **kw):
        super().__init__(
            target,
            pagesize=A4,
            invariant=1,
            pageCompression=1,
            leftMargin=MARGIN,
            rightMargin=MARGIN,
            topMargin=2.6 * cm,
            bottomMargin=2.2 * cm,
            **kw,
        )
        self.header = header
        self.budget_page: int | None = None
        w, h = self.width, self.height
        one = Frame(self.leftMargin, self.bottomMargin, w, h, id="one")
        gap = 0.8 * cm
        col = (w - gap) / 2
        left = Frame(self.leftMargin, self.bottomMargin, col, h, id="left")
        right = Frame(self.leftMargin + col + gap, self.bottomMargin, col, h, id="right")
        self.addPageTemplates(
            [
                PageTemplate("one", [one], onPage=self._decorate),
                PageTemplate("two", [left, right], onPage=self._decorate),
            ]
        )

    def _decorate(self, canv: Canvas, doc) -> None:
        canv.saveState()
        canv.setFont("Helvetica", 8.5)
        canv.drawString(MARGIN, PAGE_H - 1.4 * cm, self.header)
        canv.setLineWidth(0.4)
        canv.line(MARGIN, PAGE_H - 1.6 * cm, PAGE_W - MARGIN, PAGE_H - 1.6 * cm)
        canv.restoreState()

    def afterFlowable(self, flowable):  # noqa: N802 (reportlab API)
        if getattr(flowable, "_is_budget", False):
            self.budget_page = self.page


def styles(report: C.Report) -> dict[str, ParagraphStyle]:
    hy = (
        dict(hyphenationLang="sv_SE", embeddedHyphenation=0, uriWasteReduce=0)
        if report.hyphenate
        else {}
    )
    f = report.font
    body = ParagraphStyle(
        "body",
        fontName=f,
        fontSize=10 if f == "Helvetica" else 9.5,
        leading=13.5,
        spaceAfter=6,
        alignment=TA_JUSTIFY if report.hyphenate else TA_LEFT,
        **hy,
    )
    return {
        "body": body,
        "bullet": ParagraphStyle(
            "bullet",
            parent=body,
            leftIndent=14,
            bulletIndent=4,
            spaceAfter=2,
            bulletFontName="Vera",
        ),
        "h1": ParagraphStyle(
            "h1",
            fontName=BOLD[f],
            fontSize=14,
            leading=18,
            spaceBefore=10,
            spaceAfter=6,
            keepWithNext=1,
        ),
        "h2": ParagraphStyle(
            "h2",
            fontName=BOLD[f],
            fontSize=11.5,
            leading=15,
            spaceBefore=8,
            spaceAfter=4,
            keepWithNext=1,
        ),
        "title": ParagraphStyle("title", fontName=BOLD[f], fontSize=22, leading=28, spaceAfter=14),
        "sub": ParagraphStyle("sub", fontName=f, fontSize=13, leading=18, spaceAfter=8),
        "note": ParagraphStyle(
            "note", fontName=ITALIC[f], fontSize=7.5, leading=9, textColor=colors.grey
        ),
    }


def esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def budget_table(rows: list[list[str]], font: str = "Helvetica") -> Table:
    t = Table(rows, colWidths=[8.2 * cm, 3.6 * cm, 3.6 * cm], hAlign="LEFT")
    t.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, 0), BOLD[font], 9.5),
                ("FONT", (0, 1), (-1, -1), font, 9.5),
                ("FONT", (0, -1), (-1, -1), BOLD[font], 9.5),
                ("ALIGN", (1, 0), (-1, -1), "RIGHT"),
                ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
                ("BACKGROUND", (0, 0), (-1, 0), colors.Color(0.88, 0.9, 0.94)),
                ("TOPPADDING", (0, 0), (-1, -1), 3),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
            ]
        )
    )
    t._is_budget = True
    return t


def pdf_flowables(blocks: list[Block], report: C.Report) -> list:
    st = styles(report)
    out: list = []
    for b in blocks:
        if b.kind == "title":
            lines = b.text.split("\n")
            out += [
                Spacer(1, 5 * cm),
                Paragraph(esc(lines[0]), st["title"]),
                Paragraph(esc(lines[1]), st["title"]),
            ]
            out += [Paragraph(esc(x), st["sub"]) for x in lines[2:]]
            out += [Spacer(1, 6 * cm), Paragraph(C.FICTION_NOTE, st["note"]), PageBreak()]
        elif b.kind in ("h1", "h2", "p"):
            if b.text:
                out.append(Paragraph(esc(b.text), st["body" if b.kind == "p" else b.kind]))
        elif b.kind == "bullets":
            out += [Paragraph(esc(i), st["bullet"], bulletText="•") for i in b.items]
        elif b.kind == "table":
            out.append(KeepTogether([budget_table(b.rows, report.font), Spacer(1, 6)]))
        elif b.kind == "twocol_start":
            out += [NextPageTemplate("two"), PageBreak()]
        elif b.kind == "twocol_end":
            out += [NextPageTemplate("one"), PageBreak()]
    return out


def header_text(report: C.Report) -> str:
    m = C.MUNICIPALITIES.get(report.municipality) or bench_municipality(report.municipality)
    what = (
        "Komplettering till återrapportering"
        if report.kind == "Komplettering"
        else "Återrapportering"
    )
    who = m.org if report.named_header else f"Dnr {report.dnr}"
    return f"{who} – {what} {report.year}"


def render_pdf(report: C.Report, blocks: list[Block], encrypt=None) -> tuple[bytes, int | None]:
    """Returns (pdf bytes, 1-based page of the budget table)."""
    buf = io.BytesIO()
    m = C.MUNICIPALITIES.get(report.municipality) or bench_municipality(report.municipality)
    doc = ReportDoc(
        buf,
        header_text(report),
        title=f"{report.kind} {report.year}",
        author=m.org,
        creator="Rapportassistenten make_samples.py",
        encrypt=encrypt,
    )
    doc.build(pdf_flowables(blocks, report), canvasmaker=NumberedCanvas)
    return buf.getvalue(), doc.budget_page


# ---------------------------------------------------------------------------------------------
# DOCX and Markdown rendering
# ---------------------------------------------------------------------------------------------

FIXED_DT = datetime(2024, 3, 25, 9, 0, 0)


def render_docx(report: C.Report, blocks: list[Block]) -> bytes:
    import docx  # python-docx

    d = docx.Document()
    d.core_properties.created = d.core_properties.modified = FIXED_DT
    d.core_properties.last_modified_by = d.core_properties.author = "Kommunledningskontoret"
    d.core_properties.revision = 1
    d.sections[0].header.paragraphs[0].text = header_text(report)
    for b in blocks:
        if b.kind == "title":
            lines = b.text.split("\n")
            d.add_heading(lines[0], level=0)
            d.add_paragraph(lines[1])
            for x in lines[2:]:
                d.add_paragraph(x)
            d.add_paragraph(C.FICTION_NOTE)
            d.add_page_break()
        elif b.kind == "h1":
            d.add_heading(b.text, level=1)
        elif b.kind == "h2":
            d.add_heading(b.text, level=2)
        elif b.kind == "p" and b.text:
            d.add_paragraph(b.text)
        elif b.kind == "bullets":
            for i in b.items:
                d.add_paragraph(i, style="List Bullet")
        elif b.kind == "table":
            t = d.add_table(rows=len(b.rows), cols=3)
            t.style = "Table Grid"
            for r, row in enumerate(b.rows):
                for c, val in enumerate(row):
                    t.cell(r, c).text = val
    buf = io.BytesIO()
    d.save(buf)
    return normalize_zip(buf.getvalue())


def normalize_zip(data: bytes) -> bytes:
    """Rewrite a zip with fixed timestamps so that the bytes are reproducible."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            zi = zipfile.ZipInfo(info.filename, date_time=(2024, 3, 25, 9, 0, 0))
            zi.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(zi, src.read(info.filename))
    return out.getvalue()


def render_md(report: C.Report, blocks: list[Block]) -> bytes:
    out: list[str] = []
    for b in blocks:
        if b.kind == "title":
            lines = b.text.split("\n")
            out += [f"# {lines[0]}", "", f"**{lines[1]}**", ""] + [x + "  " for x in lines[2:]]
            out += ["", f"*{C.FICTION_NOTE}*", ""]
        elif b.kind == "h1":
            out += [f"## {b.text}", ""]
        elif b.kind == "h2":
            out += [f"### {b.text}", ""]
        elif b.kind == "p" and b.text:
            out += [b.text, ""]
        elif b.kind == "bullets":
            out += [f"- {i}" for i in b.items] + [""]
        elif b.kind == "table":
            out.append("| " + " | ".join(b.rows[0]) + " |")
            out.append("|---|---:|---:|")
            out += ["| " + " | ".join(r) + " |" for r in b.rows[1:]]
            out.append("")
    return ("\n".join(out).rstrip() + "\n").encode("utf-8")


# ---------------------------------------------------------------------------------------------
# The sample corpus
# ---------------------------------------------------------------------------------------------


def render(report: C.Report) -> tuple[bytes, int | None]:
    blocks = report_blocks(report)
    if report.fmt == "docx":
        return render_docx(report, blocks), None
    if report.fmt == "md":
        return render_md(report, blocks), None
    return render_pdf(report, blocks)


def make_scan_pdf() -> bytes:
    """A one-page 'scanned' PDF: text rendered into an image, no text layer."""
    from PIL import Image, ImageDraw, ImageFont

    img = Image.new("L", (827, 1169), 255)
    draw = ImageDraw.Draw(img)
    import reportlab

    # Bitstream Vera (shipped with reportlab) draws å, ä and ö; Pillow's default font does not.
    vera = str(Path(reportlab.__file__).parent / "fonts" / "Vera.ttf")
    font = ImageFont.truetype(vera, size=22)
    small = ImageFont.truetype(vera, size=16)
    lines = [
        "Filipstads kommun",
        "Bilaga till återrapportering 2023",
        "",
        "Underskrifter och intygande",
        "",
        "Kommunen intygar att statsbidraget har använts",
        "i enlighet med beslutet.",
        "",
        "Ort och datum: Filipstad 2024-03-29",
        "",
        "Kommunstyrelsens ordförande",
        "",
        "Kommundirektör",
    ]
    y = 90
    for line in lines:
        draw.text((80, y), line, fill=0, font=font)
        y += 38
    draw.text((80, 1100), C.FICTION_NOTE, fill=90, font=small)
    img = img.rotate(0.6, fillcolor=255)  # a slightly skewed scan
    png = io.BytesIO()
    img.save(png, format="PNG", optimize=True)
    buf = io.BytesIO()
    c = Canvas(buf, pagesize=A4, invariant=1, pageCompression=1)
    c.drawImage(ImageReader(io.BytesIO(png.getvalue())), 0, 0, PAGE_W, PAGE_H)
    c.showPage()
    c.save()
    return buf.getvalue()


def make_bad(reports_dir: Path, bad_dir: Path) -> dict:
    """Writes samples/bad; returns page info of the encrypted report."""
    enc = pdfencrypt.StandardEncryption(
        "",
        ownerPassword="Agare-2024!",
        canPrint=1,
        canModify=0,
        canCopy=1,
        canAnnotate=0,
        strength=128,
    )
    rep = C.ENCRYPTED_REPORT
    data, page = render_pdf(rep, report_blocks(rep), encrypt=enc)
    (bad_dir / rep.filename).write_bytes(data)

    src = (reports_dir / "Hofors_aterrapportering_2023.pdf").read_bytes()
    (bad_dir / "Kopia av Hofors_aterrapportering_2023.pdf").write_bytes(src)

    other = (reports_dir / "Olofstrom_aterrapportering_2023.pdf").read_bytes()
    rng = random.Random(7)
    mid = len(other) // 2
    garbage = bytes(rng.randrange(256) for _ in range(4096))
    (bad_dir / "Olofstrom_2023_trasig.pdf").write_bytes(other[:mid] + garbage + other[mid + 4096 :])

    trunc = (reports_dir / "Ljusnarsberg_aterrapportering_2023.pdf").read_bytes()
    (bad_dir / "Ljusnarsberg_2023_avbruten_nedladdning.pdf").write_bytes(trunc[: len(trunc) // 2])

    (bad_dir / "tom_fil.pdf").write_bytes(b"")
    (bad_dir / "Malung-Salen_rapport_2024.pdf").write_bytes(
        '<!DOCTYPE html>\n<html lang="sv"><head><meta charset="utf-8"><title>Logga in'
        "</title></head>\n<body><h1>Sessionen har gått ut</h1><p>Logga in igen för att ladda "
        "ned dokumentet.</p></body></html>\n".encode()
    )
    (bad_dir / "Filipstad_bilaga_skannad_2023.pdf").write_bytes(make_scan_pdf())
    return {"page": page}


def make_samples(out: Path, labels: bool = True) -> None:
    """Write <out>/reports and <out>/bad; with labels, also tests/data/*.json."""
    reports_dir, bad_dir = out / "reports", out / "bad"
    for d in (reports_dir, bad_dir):
        d.mkdir(parents=True, exist_ok=True)
        for f in d.iterdir():
            f.unlink()
    budget_pages: dict[str, int | None] = {}
    for rep in C.REPORTS:
        data, page = render(rep)
        (reports_dir / rep.filename).write_bytes(data)
        budget_pages[rep.filename] = page
    budget_pages[C.ENCRYPTED_REPORT.filename] = make_bad(reports_dir, bad_dir)["page"]
    if labels:
        write_labels(budget_pages)


# ---------------------------------------------------------------------------------------------
# Labelled sets derived from the content
# ---------------------------------------------------------------------------------------------


def write_labels(budget_pages: dict[str, int | None], data_dir: Path | None = None) -> None:
    data_dir = data_dir or ROOT / "tests" / "data"
    data_dir.mkdir(parents=True, exist_ok=True)
    dump(data_dir / "budget_rows.json", budget_json(budget_pages))
    dump(data_dir / "survey.json", survey_json())
    dump(data_dir / "questions.json", questions_json())


def dump(path: Path, obj) -> None:
    path.write_text(json.dumps(obj, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def budget_json(budget_pages: dict[str, int | None]) -> dict:
    rows, totals = [], []
    for rep in C.REPORTS + [C.ENCRYPTED_REPORT]:
        page = budget_pages.get(rep.filename)
        base = {"municipality": rep.municipality, "year": rep.year, "source": rep.filename}
        for label, b, u in budget_rows(rep):
            rows.append({**base, "insats": label, "budget": b, "utfall": u, "page": page})
        br = budget_rows(rep)
        totals.append(
            {
                **base,
                "budget": sum(r[1] for r in br),
                "utfall": sum(r[2] for r in br),
                "unit": rep.unit,
                "page": page,
            }
        )
    return {"rows": rows, "totals": totals}


def theme_municipalities(theme: str, year: int | None) -> list[str]:
    found = {
        r.municipality
        for r in C.REPORTS
        if (year is None or r.year == year) and any(theme in i.themes for i in r.insatser)
    }
    return [m for m in C.SAMPLE_MUNICIPALITIES if m in found]


def survey_json() -> list[dict]:
    out = []
    for n, t in enumerate(C.THEMES.values(), 1):
        out.append(
            {
                "id": f"s{n:02d}",
                "question": t.question,
                "theme": t.label,
                "year": None,
                "expected": theme_municipalities(t.key, None),
            }
        )
    for theme, year, q in SURVEY_BY_YEAR:
        out.append(
            {
                "id": f"s{len(out) + 1:02d}",
                "question": q,
                "theme": C.THEMES[theme].label,
                "year": year,
                "expected": theme_municipalities(theme, year),
            }
        )
    return out


SURVEY_BY_YEAR = [
    ("fritidsbank", 2024, "Vilka kommuner hade en fritidsbank 2024?"),
    ("fritidsbank", 2023, "Vilka kommuner redovisade en fritidsbank för 2023?"),
    ("skola", 2024, "Vilka kommuner hade skolvärdar eller fler vuxna i skolan under 2024?"),
    (
        "platsutveckling",
        2023,
        "Vilka kommuner arbetade med trygghetsvandringar eller belysning 2023?",
    ),
    ("demokrati", 2024, "Vilka kommuner genomförde medborgardialoger 2024?"),
    (
        "digitalisering",
        2023,
        "Vilka kommuner arbetade med e-tjänster eller digital kompetens 2023?",
    ),
    ("brott", 2024, "Vilka kommuner hade brottsförebyggande insatser 2024?"),
    ("psykisk_halsa", 2024, "Vilka kommuner hade insatser för psykisk hälsa under 2024?"),
    ("samverkan", 2024, "I vilka kommuner fanns samverkan mellan förvaltningar 2024?"),
]


def questions_json() -> list[dict]:
    out = []
    for n, q in enumerate(C.QUESTIONS, 1):
        item = {
            "id": f"q{n:03d}",
            "kind": q["kind"],
            "question": q["question"],
            "municipalities": q.get("municipalities", []),
            "year": q.get("year"),
            "evidence": q.get("evidence", []),
            "split": q.get("split", "dev"),
        }
        if q["kind"] == "table":
            item["answer_number"] = table_number(
                q["municipalities"][0], q["year"], q["insats"], q.get("column", "utfall")
            )
            item["column"] = q.get("column", "utfall")
        if q["kind"] == "all_reports" and "theme" in q:
            item["municipalities"] = theme_municipalities(q["theme"], q.get("year"))
            item["evidence"] = [
                theme_evidence(m, q["theme"], q.get("year")) for m in item["municipalities"]
            ]
            item["theme"] = C.THEMES[q["theme"]].label
        out.append(item)
    # about a third held out, spread over the kinds
    seen: dict[str, int] = {}
    for item in out:
        seen[item["kind"]] = seen.get(item["kind"], 0) + 1
        item["split"] = "heldout" if seen[item["kind"]] % 3 == 0 else "dev"
    return out


def theme_evidence(muni: str, theme: str, year: int | None) -> str:
    """The first words of the first fact sentence of the municipality's insats in the theme."""
    for rep in C.REPORTS:
        if rep.municipality == muni and (year is None or rep.year == year):
            for ins in rep.insatser:
                if theme in ins.themes:
                    return " ".join(ins.facts[0].split()[:9]).rstrip(",.")
    raise KeyError((muni, theme, year))


def table_number(muni: str, year: int, label: str, column: str) -> str:
    for rep in C.REPORTS + [C.ENCRYPTED_REPORT]:
        if rep.municipality == muni and rep.year == year:
            for lab, b, u in budget_rows(rep):
                if lab == label:
                    return fmt_amount(b if column == "budget" else u, rep.unit)
    raise KeyError((muni, year, label))


# ---------------------------------------------------------------------------------------------
# Benchmark corpus
# ---------------------------------------------------------------------------------------------

MONTHS = [
    "januari",
    "februari",
    "mars",
    "april",
    "maj",
    "juni",
    "juli",
    "augusti",
    "september",
    "oktober",
    "november",
    "december",
]
GENERIC_PLACES = (
    "centrum",
    "Norra området",
    "Södra området",
    "Östra området",
    "Västra området",
    "stationsområdet",
    "Kyrkbyn",
    "Bruksorten",
)
GENERIC_PARTNERS = (
    "Arbetsförmedlingen",
    "polisen",
    "Samordningsförbundet",
    "regionen",
    "föreningslivet",
    "studieförbunden",
    "bostadsbolaget",
    "Försäkringskassan",
)
BENCH_LOG = [
    "I {month} hölls {n} träffar inom {name} i {place} med sammanlagt {m} deltagare.",
    "Under {month} deltog personalen inom {name} i en utbildningsdag om bemötande och "
    "dokumentation.",
    "I {month} gjordes en uppföljning av {name} där {pct} procent av deltagarna svarade på "
    "enkäten.",
    "Personalen inom {name} hade i {month} {n} avstämningar med {partner}.",
    "I {month} besökte {m} personer verksamheten i {place}, vilket är {cmp} än månaden innan.",
    "Under {month} rekryterades {k} nya ledare till {name}.",
    "I {month} presenterades arbetet med {name} för kommunstyrelsens arbetsutskott.",
    "Under {month} ordnades en workshop med {m} deltagare om hur {name} kan utvecklas.",
    "I {month} köptes material in för {amount} kronor till {name}.",
    "Väntetiden för att delta i {name} var i {month} cirka {k} veckor.",
    "I {month} var {k} medarbetare sjukskrivna, vilket påverkade verksamheten i {place}.",
    "Under {month} hade {name} öppet {d} dagar i veckan.",
    "Inför {month} gjordes en ny planering tillsammans med {partner}.",
    "I {month} kom {n} synpunkter från deltagare, de flesta om öppettider och lokaler.",
]
BENCH_FACTS = {
    "barn_unga": (
        "Sommarlovsaktiviteter",
        "Sommarlovsaktiviteterna samlade {m} barn under {k} veckor.",
    ),
    "foraldraskap": ("Föräldraskapsstöd", "Under året deltog {n} föräldrar i föräldraskapsstödet."),
    "fritidsbank": ("Fritidsbanken", "Fritidsbanken gjorde {m} utlån under året."),
    "skola": ("Skolvärdar", "{k} skolvärdar har arbetat på kommunens skolor."),
    "studiemotivation": ("Läxhjälp", "Läxhjälpen hade i genomsnitt {n} elever per tillfälle."),
    "vuxenutbildning": ("Vuxenutbildning på distans", "Lärcentrum hade {m} studerande på distans."),
    "arbetsmarknad": ("Feriejobb", "Kommunen erbjöd feriejobb till {m} ungdomar."),
    "bistand": (
        "Väg till egen försörjning",
        "{n} personer gick från ekonomiskt bistånd till egen försörjning.",
    ),
    "platsutveckling": (
        "Trygghetsvandringar",
        "{k} trygghetsvandringar genomfördes med {n} deltagare.",
    ),
    "demokrati": ("Medborgardialog", "Medborgardialogen samlade {m} invånare."),
    "digitalisering": (
        "Digital kompetens",
        "Kommunens e-tjänster användes av {pct} procent av de sökande.",
    ),
    "samverkan": (
        "Samverkan mellan förvaltningar",
        "En förvaltningsövergripande grupp träffades {n} gånger.",
    ),
    "brott": ("Fältassistenter", "Fältassistenterna hade {m} samtal med unga."),
    "psykisk_halsa": ("Psykisk hälsa", "{n} unga deltog i samtalsgrupper om psykisk hälsa."),
}


def org_name(name: str) -> str:
    if name[-1] in "sxz" or name[-1].lower() in "aeiouyåäö":
        return f"{name} kommun"
    return f"{name}s kommun"


_BENCH_MUNIS: dict[str, C.Municipality] = {}


def bench_municipality(name: str) -> C.Municipality:
    if name not in _BENCH_MUNIS:
        rng = random.Random(name)
        _BENCH_MUNIS[name] = C.Municipality(
            name,
            org_name(name),
            rng.choice(
                [
                    "Region Skåne",
                    "Region Värmland",
                    "Region Dalarna",
                    "Region Gävleborg",
                    "Region Kalmar län",
                ]
            ),
            tuple(rng.sample(GENERIC_PLACES, 4)),
            f"{rng.randrange(4, 20)} {rng.randrange(10)}00",
            tuple(rng.sample(GENERIC_PARTNERS, 5)),
        )
    return _BENCH_MUNIS[name]


def fill_log(template: str, name: str, month: str, rng: random.Random, m: C.Municipality) -> str:
    return template.format(
        month=month,
        name=name,
        place=rng.choice(m.places),
        partner=rng.choice(m.partners),
        n=rng.randrange(3, 40),
        m=rng.randrange(20, 600),
        k=rng.randrange(2, 9),
        d=rng.randrange(1, 6),
        pct=rng.randrange(30, 95),
        amount=fmt_amount(rng.randrange(5, 90) * 1000, "kr"),
        cmp=rng.choice(["fler", "färre"]),
    )


def bench_log(ins: C.Insats, report: C.Report, rng: random.Random) -> str:
    m = C.MUNICIPALITIES.get(report.municipality) or bench_municipality(report.municipality)
    months = sorted(rng.sample(range(12), 3))
    return " ".join(fill_log(rng.choice(BENCH_LOG), ins.title, MONTHS[i], rng, m) for i in months)


def bench_report(name: str, seed: int, pages: int) -> C.Report:
    rng = random.Random(f"bench|{seed}|{name}")
    themes = rng.sample(list(C.THEMES), rng.randrange(7, 11))
    m = bench_municipality(name)
    insatser = []
    for t in themes:
        title, fact = BENCH_FACTS[t]
        b = rng.randrange(10, 150) * 10_000
        u = b + rng.randrange(-15, 8) * 10_000
        insatser.append(
            C.Insats(
                (t,),
                title,
                title,
                b,
                u,
                [fill_log(fact, title, "", rng, m)],
                fill_log(fact, title, "", rng, m),
            )
        )
    year = rng.choice([2023, 2024])
    rep = C.Report(
        name,
        year,
        f"{name.replace(' ', '_')}_aterrapportering_{year}.pdf",
        unit=rng.choice(["kr", "kr", "tkr", "mnkr"]),
        hyphenate=rng.random() < 0.5,
        two_column=rng.random() < 0.3,
        dnr=f"KS {year}/{rng.randrange(10, 400)}",
        date=f"{year + 1}-03-{rng.randrange(10, 31)}",
        insatser=insatser[:7],
        summary=f"{m.org} redovisar här hur statsbidraget har använts under {year}.",
        lessons=["Kommunen kommer att fortsätta utveckla uppföljningen."],
        admin=(rng.randrange(5, 12) * 10_000, rng.randrange(5, 12) * 10_000),
        target_chars=int(pages * 3400),
    )
    if rng.random() < 0.15:
        rep.named_header = False
        rep.filename = f"Dnr {rep.dnr.replace('/', '-')} Återrapport.pdf"
    return rep


def bench_one(args: tuple[str, int, int, str]) -> tuple[str, int]:
    from pypdf import PdfReader

    name, seed, pages, out = args
    rep = bench_report(name, seed, pages)
    logs = max(1, round((pages * 3400 - 9000) / (len(rep.insatser) * 420)))
    blocks = report_blocks(rep, extra_logs=logs)
    data, _ = render_pdf(rep, blocks)
    Path(out, rep.filename).write_bytes(data)
    return rep.filename, len(PdfReader(io.BytesIO(data)).pages)


def read_municipalities(path: Path = ROOT / "config" / "kommuner.txt") -> list[str]:
    names = []
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            names.append(line.split("|")[0].strip())
    return names


def make_bench(out: Path, reports: int, pages: int, seed: int) -> None:
    from concurrent.futures import ProcessPoolExecutor

    out.mkdir(parents=True, exist_ok=True)
    names = read_municipalities()
    names = [names[i % len(names)] for i in range(reports)]
    jobs = [
        (n, seed + i // len(read_municipalities()), pages, str(out)) for i, n in enumerate(names)
    ]
    t0 = time.time()
    with ProcessPoolExecutor() as ex:
        results = list(ex.map(bench_one, jobs))
    total = sum(p for _, p in results)
    print(f"{len(results)} reports, {total} pages in {time.time() - t0:.1f} s -> {out}")


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--bench", type=Path, help="write a benchmark corpus into this folder")
    ap.add_argument("--reports", type=int, default=30)
    ap.add_argument("--pages", type=int, default=20)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument(
        "--out",
        type=Path,
        default=ROOT / "samples",
        help="sample corpus folder (default: samples/)",
    )
    ap.add_argument("--no-labels", action="store_true", help="do not rewrite tests/data/*.json")
    a = ap.parse_args(argv)
    if a.bench:
        make_bench(a.bench, a.reports, a.pages, a.seed)
        return
    make_samples(a.out, labels=not a.no_labels)
    print(f"samples written to {a.out}")


if __name__ == "__main__":
    main()
