"""Small real PDFs for tests, made with reportlab."""

from __future__ import annotations

from pathlib import Path


def make_pdf(
    path: Path, pages: list[str], header: str = "", encrypt_owner: str | None = None
) -> Path:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    kwargs = {}
    if encrypt_owner is not None:
        from reportlab.lib import pdfencrypt

        kwargs["encrypt"] = pdfencrypt.StandardEncryption("", ownerPassword=encrypt_owner)
    c = canvas.Canvas(str(path), pagesize=A4, invariant=1, **kwargs)
    for n, text in enumerate(pages, 1):
        y = 800
        if header:
            c.drawString(60, y, header)
            y -= 30
        for line in text.split("\n"):
            c.drawString(60, y, line)
            y -= 16
        c.drawString(260, 40, f"Sida {n} av {len(pages)}")
        c.showPage()
    c.save()
    return path


def report_pages(municipality: str, year: int, topic: str, n: int = 3) -> list[str]:
    first = f"Återrapportering {year} för {municipality} kommun om {topic}."
    others = [
        "Arbetet har skett i samverkan med föreningar och skolan.",
        "Insatsen nådde fler deltagare än året innan.",
        "Lärdomarna tas med i nästa års planering.",
        "Budgeten följdes i stort sett.",
    ]
    return [first] + [f"{others[i % 4]}\nDetta gäller {topic}." for i in range(n - 1)]
