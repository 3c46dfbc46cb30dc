"""Hostile and broken files: the isolated reader survives bombs, hangs, crashes and fuzzing.

Fuzzing mutates real files (the sample reports, a few PDFs from many producers, a generated
DOCX, a Markdown report) by byte flips, truncations, insertions, chunk duplication and
deletion, and by rewriting PDF tokens (/Length, object numbers, references, xref offsets,
/Filter names, /Count). Every mutant goes through `read_pages_isolated` and the pipeline's
`load_document`; the only exception allowed is `UnreadableFile` with a reason that is not a
crash of the reader, and returned pages are lists of str.

The mutators and the bomb builders are shared with `benchmarks/fuzz_ingest.py`, which runs
them for minutes. CI runs a fixed, derandomized number of examples;
RAPPORTASSISTENT_FUZZ_EXAMPLES raises it.
"""

from __future__ import annotations

import io
import os
import re
import signal
import tempfile
import time
import zipfile
import zlib
from functools import cache
from pathlib import Path
from unittest import mock

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ingest import pipeline
from ingest.errors import UnreadableFile
from ingest.metadata import load_municipalities
from ingest.readers import read_pages
from ingest.sandbox import IsolatedReadError, read_pages_isolated, run_isolated

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples"
SHARED_PDFS = ROOT.parent / "shared" / "pdf-samples"
FUZZ_TIMEOUT = 20.0  # per file; generous on a loaded 2-core CI machine
FUZZ_MEMORY_MB = 1024
FUZZ_EXAMPLES = int(os.environ.get("RAPPORTASSISTENT_FUZZ_EXAMPLES", "150"))
MUNICIPALITIES = load_municipalities()

# ------------------------------------------------------------------------------ seed files

SEED_SAMPLES = [
    "reports/Hofors_aterrapportering_2023.pdf",
    "reports/Malung-Salen_aterrapportering_2024.pdf",  # embedded TrueType font
    "reports/bengtsfors-2023-aterrapportering.md",
    "bad/Hofors_komplettering_2024_krypterad.pdf",  # RC4, empty user password
]
SEED_SHARED = [
    "002-trivial-libre-office-writer/002-trivial-libre-office-writer.pdf",
    "004-pdflatex-4-pages/pdflatex-4-pages.pdf",
    "007-imagemagick-images/imagemagick-lzw.pdf",
    "011-google-doc-document/google-doc-document.pdf",
]


@cache
def seed_files() -> tuple[tuple[str, bytes], ...]:
    """(name, bytes) of the files the fuzzer mutates; shared PDFs only where present."""
    seeds = [(name, (SAMPLES / name).read_bytes()) for name in SEED_SAMPLES]
    seeds += [
        (n, (SHARED_PDFS / n).read_bytes()) for n in SEED_SHARED if (SHARED_PDFS / n).exists()
    ]
    seeds.append(("generated.docx", make_docx()))
    return tuple(seeds)


def make_docx(paragraphs: int = 20) -> bytes:
    import docx

    document = docx.Document()
    document.add_heading("Perstorps kommun – Återrapportering 2024", 1)
    for i in range(paragraphs):
        document.add_paragraph(
            f"Stycke {i}: insatsen för feriejobb nådde fler ungdomar än året innan."
        )
    table = document.add_table(rows=2, cols=3)
    for cell, text in zip(table.rows[0].cells, ["Insats", "Budget (kr)", "Utfall (kr)"]):
        cell.text = text
    for cell, text in zip(table.rows[1].cells, ["Fritidsbanken", "200 000", "185 000"]):
        cell.text = text
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


# ------------------------------------------------------------------------------ mutators

TOKENS = {  # kind -> pattern whose group 1 is the value a mutation replaces
    "length": rb"/Length\s+(\d+)",
    "obj": rb"(\d+)\s+0\s+obj",
    "ref": rb"(\d+)\s+0\s+R\b",
    "xref": rb"(\d{10})\s+\d{5}\s+n",
    "startxref": rb"startxref\s+(\d+)",
    "filter": rb"/Filter\s*\[?\s*/(\w+)",
    "count": rb"/Count\s+(-?\d+)",
    "number": rb"(-?\d+(?:\.\d+)?)",
}
FILTERS = [
    b"FlateDecode",
    b"LZWDecode",
    b"ASCII85Decode",
    b"ASCIIHexDecode",
    b"RunLengthDecode",
    b"DCTDecode",
    b"JBIG2Decode",
    b"CCITTFaxDecode",
    b"JPXDecode",
    b"Crypt",
    b"Bogus",
]
NUMBERS = [b"0", b"1", b"-1", b"7", b"65535", b"2147483648", b"99999999999999999999", b"1e9", b""]
TOKEN_KINDS = sorted(TOKENS)


def mutate(data: bytes, ops) -> bytes:
    """Apply mutation ops (tuples, see `ops_strategy`) to data; positions wrap around."""
    out = bytearray(data)
    for op in ops:
        n = max(len(out), 1)
        kind = op[0]
        if kind == "flip":
            if out:
                out[op[1] % n] = op[2]
        elif kind == "truncate":  # optionally with a new end marker, to get past the EOF check
            del out[op[1] % n :]
            out += b"\n%%EOF\n" if op[2] else b""
        elif kind == "insert":
            at = op[1] % (len(out) + 1)
            out[at:at] = op[2]
        elif kind == "duplicate":
            start = op[1] % n
            chunk = out[start : start + op[2]]
            at = op[3] % (len(out) + 1)
            out[at:at] = chunk
        elif kind == "delete":
            start = op[1] % n
            del out[start : start + op[2]]
        elif kind == "token":
            out = bytearray(_mutate_token(bytes(out), op[1], op[2], op[3]))
    return bytes(out)


def _mutate_token(data: bytes, kind: str, index: int, choice: int) -> bytes:
    matches = list(re.finditer(TOKENS[kind], data[:2_000_000]))
    if not matches:
        return data
    match = matches[index % len(matches)]
    old = match.group(1)
    near, pick = choice % 3 == 0, choice // 3
    if kind == "filter":
        new = FILTERS[choice % len(FILTERS)]
    elif near and old.lstrip(b"-").isdigit():  # near the original: off by up to 10
        new = str(int(old) + pick % 21 - 10).encode()
    else:
        new = NUMBERS[pick % len(NUMBERS)]
    return data[: match.start(1)] + new + data[match.end(1) :]


_pos = st.integers(0, 2**32)
ops_strategy = st.lists(
    st.one_of(
        st.tuples(st.just("flip"), _pos, st.integers(0, 255)),
        st.tuples(st.just("truncate"), _pos, st.booleans()),
        st.tuples(st.just("insert"), _pos, st.binary(min_size=1, max_size=64)),
        st.tuples(st.just("duplicate"), _pos, st.integers(1, 65536), _pos),
        st.tuples(st.just("delete"), _pos, st.integers(1, 4096)),
        st.tuples(st.just("token"), st.sampled_from(TOKEN_KINDS), _pos, st.integers(0, 2**16)),
        st.tuples(st.just("token"), st.sampled_from(TOKEN_KINDS), _pos, st.integers(0, 2**16)),
    ),
    min_size=1,
    max_size=4,
)


# ------------------------------------------------------------------------------ bombs


def zlib_bomb(megabytes: int) -> bytes:
    """A zlib stream of `megabytes` MB of spaces, about 1 kB per MB, built without inflating
    it: after a full flush the compressor's output for the same block repeats exactly."""
    block = b" " * (1 << 20)
    compressor = zlib.compressobj(9)
    head = compressor.compress(block) + compressor.flush(zlib.Z_FULL_FLUSH)
    piece = compressor.compress(block) + compressor.flush(zlib.Z_FULL_FLUSH)
    tail = compressor.flush()[:-4]  # final empty block; the checksum is recomputed below
    adler = zlib.adler32(block)
    for _ in range(megabytes - 1):
        adler = zlib.adler32(block, adler)
    return head + piece * (megabytes - 1) + tail + adler.to_bytes(4, "big")


def pdf_with_content(stream: bytes, filters: bytes = b"/FlateDecode", pages: int = 1) -> bytes:
    """A minimal valid PDF whose pages (with a font, so text extraction decodes the content)
    all share one content stream."""
    kids = b" ".join(b"%d 0 R" % (6 + i) for i in range(pages))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, pages),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length %d /Filter %s >>\nstream\n" % (len(stream), filters) + stream + b"\nendstream",
        b"<< >>",  # unused, keeps numbering simple
    ]
    objects += [
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 3 0 R >> >> /Contents 4 0 R >>"
    ] * pages
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    out.write(b"".join(b"%010d 00000 n \n" % o for o in offsets))
    out.write(
        b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    )
    return out.getvalue()


def docx_bomb(xml_megabytes: int) -> bytes:
    """A DOCX whose word/document.xml unpacks to `xml_megabytes` MB of paragraphs."""
    base = zipfile.ZipFile(io.BytesIO(make_docx(1)))
    out = io.BytesIO()
    paragraph = b"<w:p><w:r><w:t>Bomb</w:t></w:r></w:p>" * 1000
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        for info in base.infolist():
            if info.filename != "word/document.xml":
                archive.writestr(info.filename, base.read(info.filename))
        xml = base.read("word/document.xml")
        start, end = xml.split(b"<w:body>")[0] + b"<w:body>", b"</w:body></w:document>"
        with archive.open("word/document.xml", "w", force_zip64=True) as member:
            member.write(start)
            for _ in range(xml_megabytes * (1 << 20) // len(paragraph)):
                member.write(paragraph)
            member.write(end)
    return out.getvalue()


# ------------------------------------------------------------------------------ the sandbox
# Targets run in the child process, so they live at module level (picklable by name).


def _sleep_forever(path):
    while True:
        time.sleep(1)


def _allocate_too_much(path):
    return [bytearray(4 << 30)]


def _segfault(path):
    os.kill(os.getpid(), signal.SIGSEGV)


def _buggy_reader(path):
    raise ZeroDivisionError("ett programfel")


def test_isolated_read_equals_direct_read():
    path = SAMPLES / "reports" / "Hofors_aterrapportering_2023.pdf"
    assert read_pages_isolated(path) == read_pages(path)


def test_unreadable_file_in_the_child_keeps_its_reason():
    with pytest.raises(UnreadableFile, match="webbsida") as info:
        read_pages_isolated(SAMPLES / "bad" / "Malung-Salen_rapport_2024.pdf")
    assert type(info.value) is UnreadableFile


@pytest.mark.parametrize(
    "target, timeout, kind, reason",
    [
        (_sleep_forever, 1, "timeout", r"tog för lång tid att läsa \(> 1 s\)"),
        (_allocate_too_much, 60, "memory", r"kräver för mycket minne \(> 512 MB\)"),
        (_segfault, 60, "crash", r"kraschade på filen \(signal 11\)"),
        (
            _buggy_reader,
            60,
            "error",
            r"oväntat fel vid läsning \(ZeroDivisionError: ett programfel\)",
        ),
    ],
)
def test_child_failures_become_unreadable_file_with_a_reason(
    tmp_path, target, timeout, kind, reason
):
    path = tmp_path / "rapport.txt"
    path.write_text("Eda kommun 2023")
    with pytest.raises(IsolatedReadError, match=reason) as info:
        run_isolated(target, path, timeout=timeout, memory_mb=512)
    assert info.value.kind == kind and isinstance(info.value, UnreadableFile)


def test_flate_bomb_pdf_is_rejected_within_bounded_memory(tmp_path):
    path = tmp_path / "bomb.pdf"
    path.write_bytes(pdf_with_content(zlib_bomb(2048)))  # 2 MB compressed, 2 GB inflated
    assert path.stat().st_size < 3 << 20
    with pytest.raises(UnreadableFile, match="dekomprimeringsbomb"):
        read_pages_isolated(path, timeout=60, memory_mb=FUZZ_MEMORY_MB)


def test_docx_zip_bomb_is_rejected_before_unpacking(tmp_path):
    path = tmp_path / "bomb.docx"
    path.write_bytes(docx_bomb(100))
    with pytest.raises(UnreadableFile, match="zip-bomb") as info:
        read_pages_isolated(path, timeout=60, memory_mb=FUZZ_MEMORY_MB)
    assert not isinstance(info.value, IsolatedReadError)  # our check, not the memory limit


# ------------------------------------------------------------------------------ fuzzing


def check_mutant(data: bytes, name: str) -> str:
    """Feed one mutant through the isolated reader and load_document; 'ok' or the reason.

    Fails the test on anything but UnreadableFile, on a reader crash or an unexpected error
    in the child, and on pages that are not a list of str."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / Path(name).name
        path.write_bytes(data)

        def checked_read(p):
            pages = read_pages_isolated(p, timeout=FUZZ_TIMEOUT, memory_mb=FUZZ_MEMORY_MB)
            assert isinstance(pages, list) and all(isinstance(t, str) for t in pages)
            return pages

        try:
            with mock.patch.object(pipeline, "read_pages_isolated", checked_read):
                pipeline.load_document(path, MUNICIPALITIES)
        except IsolatedReadError as exc:
            assert exc.kind in ("timeout", "memory"), f"{name}: {exc.kind}: {exc}"
            return exc.reason
        except UnreadableFile as exc:
            return exc.reason
    return "ok"


FUZZ_SETTINGS = settings(
    max_examples=FUZZ_EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@FUZZ_SETTINGS
@given(seed=st.integers(0, 100), ops=ops_strategy)
def test_fuzzed_files_are_read_or_rejected_with_a_reason(seed, ops):
    name, data = seed_files()[seed % len(seed_files())]
    check_mutant(mutate(data, ops), name)


@FUZZ_SETTINGS
@given(
    seed=st.integers(0, 100),
    tokens=st.lists(
        st.tuples(st.just("token"), st.sampled_from(TOKEN_KINDS), _pos, st.integers(0, 2**16)),
        min_size=1,
        max_size=3,
    ),
)
def test_pdf_token_mutations_are_read_or_rejected_with_a_reason(seed, tokens):
    pdfs = [s for s in seed_files() if s[0].endswith(".pdf")]
    name, data = pdfs[seed % len(pdfs)]
    check_mutant(mutate(data, tokens), name)


@pytest.mark.unit
def test_mutators_change_what_they_say():
    data = pdf_with_content(b"BT /F1 12 Tf (Hej) Tj ET", filters=b"/ASCIIHexDecode")
    assert b"/Filter /Bogus" in mutate(data, [("token", "filter", 0, FILTERS.index(b"Bogus"))])
    assert b"/Length 0 /Filter" in mutate(data, [("token", "length", 0, 1)])
    assert b"/Length 14 /Filter" in mutate(data, [("token", "length", 0, 0)])  # 24 - 10
    assert mutate(b"abcdef", [("truncate", 3, False)]) == b"abc"
    assert mutate(b"abcdef", [("truncate", 3, True)]) == b"abc\n%%EOF\n"
    assert mutate(b"abcdef", [("duplicate", 0, 2, 6)]) == b"abcdefab"
    assert mutate(b"abcdef", [("flip", 1, ord("X"))]) == b"aXcdef"


def _ocr_missing() -> bool:
    from ingest.ocr import ocr_unavailable_reason

    return ocr_unavailable_reason() is not None


@pytest.mark.skipif(_ocr_missing(), reason="tesseract with Swedish is not installed")
def test_page_count_disagreement_between_pypdf_and_pdfium_is_a_reason_not_a_crash(tmp_path):
    path = tmp_path / "Eda_2023.pdf"  # 3 pages without text, but /Count says 1
    path.write_bytes(
        pdf_with_content(b"0 0 1 1 re f", filters=b"[]", pages=3).replace(b"/Count 3", b"/Count 1")
    )
    assert len(read_pages(path)) == 3
    with pytest.raises(UnreadableFile, match="ingen sida har text"):
        pipeline.load_document(path, MUNICIPALITIES)
