"""Limits at the pipeline's edge: a file over the size limit is rejected before it is read
(or hashed), and the rest of the batch goes on; a poster-sized scanned page is rendered for
OCR at a bounded size."""

from __future__ import annotations

import pytest

from ingest import pipeline

pytestmark = pytest.mark.unit


def test_a_file_over_the_size_limit_is_rejected_unread_and_the_batch_goes_on(
    tmp_path, toy_store, monkeypatch
):
    small = tmp_path / "Hofors_aterrapportering_2023.md"
    small.write_text(
        "# Hofors 2023\n\nFritidsbanken lånade ut utrustning till 300 barn.\n", encoding="utf-8"
    )
    big = tmp_path / "Eda_aterrapportering_2023.md"
    big.write_text("# Eda 2023\n\n" + "Text om insatser. " * 200, encoding="utf-8")
    monkeypatch.setenv("RAPPORTASSISTENT_MAX_FILE_MB", "0.001")  # 1048 bytes
    monkeypatch.setattr(pipeline, "file_hash", _refuse_for(big, pipeline.file_hash))
    report = pipeline.ingest_paths([tmp_path], toy_store)
    assert [r["municipality"] for r in report.ingested] == ["Hofors"]
    assert len(report.rejected) == 1 and "för stor" in report.rejected[0]["reason"]


def _refuse_for(path, real):
    def file_hash(p):
        assert p != path, "the oversized file was read"
        return real(p)

    return file_hash


def test_a_poster_sized_page_is_rendered_at_a_bounded_size():
    from ingest import ocr

    class Page:
        def get_size(self):
            return 14400.0, 14400.0  # 5 x 5 m: at 200 dpi that would be 1.6 billion pixels

        def render(self, scale, grayscale):
            self.scale = scale
            raise StopIteration  # enough: we only look at the scale asked for

    page = Page()
    try:
        ocr._render_page(page)
    except StopIteration:
        pass
    assert (14400 * page.scale) ** 2 <= ocr.MAX_PIXELS * 1.001
