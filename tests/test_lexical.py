"""BM25 lexical index: ranking, compounds, filters, persistence."""

import os

import pytest

from vectorstore.lexical import LexicalIndex

DOCS = [
    ("a1", "Kommunen erbjöd sommarlovsaktiviteter för barn och unga i alla åldrar."),
    ("a2", "Under sommarlovet var biblioteket stängt för renovering."),
    ("a3", "Aktiviteter för äldre ordnades i samverkan med föreningar."),
    ("b1", "Fritidsbanken lånar ut utrustning för idrott och friluftsliv gratis."),
    ("b2", "Föräldraskapsstöd erbjuds genom familjecentralen i Kalmar."),
    ("b3", "Budgeten för socialtjänsten var 1 200 000 kr under 2023."),
    ("b4", "Kommunens ekonomi och budget redovisas i årsredovisningen."),
    ("b5", "Föräldrar kan få ekonomiskt bistånd."),
    ("b6", "Stöd till företag ges av regionen."),
]


@pytest.fixture
def index():
    idx = LexicalIndex(None)
    idx.add("A", DOCS[:3])
    idx.add("B", DOCS[3:])
    return idx


def top(idx, query, **kw):
    hits = idx.search(query, **kw)
    return hits[0][0] if hits else None


@pytest.mark.unit
def test_bm25_ranks_right_doc_first(index):
    assert top(index, "budget för socialtjänsten") == "b3"
    assert top(index, "kommunens ekonomi") == "b4"
    scores = [s for _, s in index.search("budget")]
    assert scores == sorted(scores, reverse=True) and len(scores) == 2


@pytest.mark.unit
def test_compound_query_matches_separate_words(index):
    # Doc a1 has the compound; a2/a3 each have one part.
    assert top(index, "aktiviteter under sommarlovet") == "a1"


@pytest.mark.unit
def test_separate_words_query_matches_compound():
    idx = LexicalIndex(None)
    idx.add("g", [("x", "Aktiviteter under sommarlovet för barn."), ("y", "Budget för skolan.")])
    assert top(idx, "sommarlovsaktiviteter") == "x"


@pytest.mark.unit
def test_compound_recomposed_from_query_without_corpus_support():
    # No chunk attests "sommarlov" or "aktivitet" alone, so the document's
    # compound cannot be split; the query side must form the compound.
    idx = LexicalIndex(None)
    idx.add("g", [("x", "Sommarlovsaktiviteter för barn."), ("y", "Budget för skolan.")])
    assert top(idx, "aktiviteter under sommarlovet") == "x"


@pytest.mark.unit
def test_compounds_split_only_into_parts_the_index_attests(index):
    assert top(index, "fritidsbank") == "b1"
    # b5 and b6 attest the parts "föräldrar" and "stöd", so the compound splits;
    # b2 is the only chunk matching both.
    assert top(index, "stöd till föräldrar") == "b2"
    assert {"b2", "b5"} == {cid for cid, _ in index.search("föräldrar")}


@pytest.mark.unit
def test_compound_parts_need_corpus_support():
    # Documented limitation: with no chunk attesting "föräldrar" the compound
    # is not split (a guard against false splits of non-compounds).
    idx = LexicalIndex(None)
    idx.add("g", [("x", "Föräldraskapsstöd erbjuds."), ("y", "Budget för skolan.")])
    assert idx.search("föräldrar") == []


@pytest.mark.unit
def test_a_number_is_matched_whole_not_by_its_digit_groups(index):
    assert top(index, "1 200 000") == "b3"
    assert index.search("200") == []


@pytest.mark.unit
def test_allowed_filter_set_and_callable(index):
    assert top(index, "budget", allowed={"b4"}) == "b4"
    hits = index.search("för", k=10)  # stop word only: no hits
    assert hits == []
    hits = index.search("sommarlovet aktiviteter", allowed=lambda cid: cid != "a1")
    assert hits and all(cid != "a1" for cid, _ in hits)
    assert index.search("budget", allowed=set()) == []


@pytest.mark.unit
def test_k_limits_results(index):
    assert len(index.search("kommunen budget sommarlovet föreningar", k=2)) == 2


@pytest.mark.unit
def test_removing_a_group_drops_its_chunks_from_the_index(index):
    assert len(index) == 9 and index.groups() == {"A", "B"}
    index.remove("B")
    assert index.groups() == {"A"} and len(index) == 3
    assert index.search("budget") == []


@pytest.mark.unit
def test_sparse_encoding_dot_product_is_bm25(index):
    q = index.encode_query("budget socialtjänsten")
    d = index.encode_documents([DOCS[5][1]])[0]
    dot = sum(w * d.get(t, 0.0) for t, w in q.items())
    score = dict(index.search("budget socialtjänsten"))["b3"]
    assert dot == pytest.approx(score)


@pytest.mark.unit
def test_save_load_round_trip(tmp_path, index):
    idx = LexicalIndex(tmp_path)
    idx.add("A", DOCS[:3])
    idx.add("B", DOCS[3:])
    idx.save()
    loaded = LexicalIndex.load(tmp_path)
    assert loaded.groups() == {"A", "B"} and len(loaded) == 9
    assert loaded.search("föräldrar") == index.search("föräldrar")
    loaded.remove("A")
    loaded.save()
    assert LexicalIndex.load(tmp_path).groups() == {"B"}


@pytest.mark.unit
def test_unsafe_group_names_round_trip(tmp_path):
    idx = LexicalIndex(tmp_path)
    idx.add("../evil/ö", [("c", "budget")])
    idx.save()
    assert all(p.parent == tmp_path / "postings" for p in tmp_path.rglob("*.bm25"))
    assert LexicalIndex.load(tmp_path).groups() == {"../evil/ö"}


@pytest.mark.unit
def test_incremental_save_writes_only_changed_group(tmp_path):
    idx = LexicalIndex(tmp_path)
    idx.add("A", DOCS[:3])
    idx.add("B", DOCS[3:])
    idx.save()
    files = tmp_path / "postings"
    a_stat = (files / "A.bm25").stat()
    os.utime(files / "A.bm25", ns=(1, 1))  # make any rewrite visible

    idx = LexicalIndex.load(tmp_path)
    idx.add("C", [("c1", "Ny rapport om trafik")])
    idx.save()
    assert sorted(p.name for p in files.iterdir()) == ["A.bm25", "B.bm25", "C.bm25"]
    assert (files / "A.bm25").stat().st_mtime_ns == 1
    assert (files / "A.bm25").stat().st_ino == a_stat.st_ino


@pytest.mark.unit
def test_crash_during_save_keeps_previous_index(tmp_path, monkeypatch):
    idx = LexicalIndex(tmp_path)
    idx.add("A", DOCS[:3])
    idx.save()

    idx.add("A", [("z", "helt nytt innehåll om trafik")])
    real_replace = os.replace
    calls = []

    def failing_replace(src, dst):
        calls.append(dst)
        if len(calls) == 1:
            raise OSError("disk full")
        return real_replace(src, dst)

    monkeypatch.setattr(os, "replace", failing_replace)
    with pytest.raises(OSError):
        idx.save()
    # The old version is intact and no temp file is left behind.
    old = LexicalIndex.load(tmp_path)
    assert len(old) == 3 and top(old, "sommarlovet") is not None
    assert [p.name for p in (tmp_path / "postings").iterdir()] == ["A.bm25"]
    # The change is still pending and the next save succeeds.
    idx.save()
    assert top(LexicalIndex.load(tmp_path), "trafik") == "z"


@pytest.mark.unit
def test_stray_temp_file_is_ignored(tmp_path):
    idx = LexicalIndex(tmp_path)
    idx.add("A", DOCS[:3])
    idx.save()
    (tmp_path / "postings" / ".B.bm25.123.tmp").write_text('{"group": "B", "ids": [')
    assert LexicalIndex.load(tmp_path).groups() == {"A"}


# -- incremental behaviour (format 2) ------------------------------------------------------


@pytest.mark.unit
def test_adding_a_group_analyses_only_that_group(tmp_path, monkeypatch):
    from vectorstore import lexical

    idx = LexicalIndex(tmp_path)
    idx.add("A", DOCS[:3])
    idx.add("B", DOCS[3:])
    idx.save()
    before = {p.name: p.stat().st_mtime_ns for p in (tmp_path / "postings").iterdir()}
    analysed = []
    real = lexical.analyze_tokens
    monkeypatch.setattr(
        lexical, "analyze_tokens", lambda toks, v=None: analysed.append(toks) or real(toks, v)
    )

    idx = LexicalIndex.load(tmp_path)
    assert analysed == []  # loading reads postings, it does not re-analyse
    idx.add("C", [("c1", "Ny rapport om trafik"), ("c2", "Cykelvägar och trafik")])
    assert len(analysed) == 2  # the two new chunks, nothing of A or B
    idx.save()
    after = {p.name: p.stat().st_mtime_ns for p in (tmp_path / "postings").iterdir()}
    assert {n: after[n] for n in before} == before  # A's and B's files untouched
    assert top(idx, "trafik") in {"c1", "c2"} and top(idx, "budget för socialtjänsten") == "b3"


@pytest.mark.unit
def test_scores_match_a_fresh_build_after_adds_and_removes():
    # Corpus statistics are computed at query time, so an index grown and shrunk step by
    # step scores exactly like one built from the remaining groups at once.
    grown = LexicalIndex(None)
    grown.add("A", DOCS[:3])
    grown.add("B", DOCS[3:6])
    grown.add("C", DOCS[6:])
    grown.remove("B")
    grown.add("B", DOCS[3:6])
    grown.remove("A")
    fresh = LexicalIndex(None)
    fresh.add_many([("B", DOCS[3:6]), ("C", DOCS[6:])])
    for query in ("budget", "föräldrar stöd", "kommunens ekonomi", "fritidsbanken utrustning"):
        got, want = grown.search(query), fresh.search(query)
        assert [c for c, _ in got] == [c for c, _ in want]
        assert [s for _, s in got] == pytest.approx([s for _, s in want])
    assert len(grown) == 6 and grown.groups() == {"B", "C"}


@pytest.mark.unit
def test_remove_takes_words_out_of_the_compound_vocabulary():
    idx = LexicalIndex(None)
    idx.add("g", [("x", "Föräldraskapsstöd erbjuds.")])
    idx.add("h", [("y", "Föräldrar får stöd.")])
    assert "föräldr" in idx.analyze("föräldraskapsstöd")
    idx.remove("h")
    assert "föräldr" not in idx.analyze("föräldraskapsstöd")[1:]  # no split without support
    assert idx.search("föräldrar") == []


@pytest.mark.unit
def test_many_groups_survive_merges_and_compaction():
    idx = LexicalIndex(None)
    for g in range(60):
        idx.add(f"g{g}", [(f"g{g}-{i}", f"rapport {g} ord{g}x{i} budget") for i in range(30)])
    for g in range(0, 60, 2):
        idx.remove(f"g{g}")  # more than a quarter removed: compaction renumbers chunks
    assert len(idx) == 30 * 30 and len(idx._segments) <= 8
    assert top(idx, "ord7x3") == "g7-3" and idx.search("ord8x3") == []
    assert {c.split("-")[0] for c, _ in idx.search("budget", k=10_000)} == {
        f"g{g}" for g in range(1, 60, 2)
    }


def test_persistence_across_processes(tmp_path):
    import subprocess
    import sys

    code = (
        "import sys; from vectorstore.lexical import LexicalIndex; "
        "i = LexicalIndex.load(sys.argv[1]); "
        "i.add('P', [('p1', 'Kulturskolan erbjöd dansläger för unga')]); i.save()"
    )
    subprocess.run(
        [sys.executable, "-c", code, str(tmp_path)],
        check=True,
        cwd=os.path.dirname(os.path.dirname(__file__)),
    )
    idx = LexicalIndex.load(tmp_path)
    assert idx.groups() == {"P"} and top(idx, "dansläger") == "p1"


@pytest.mark.unit
def test_two_instances_on_one_folder_stay_in_step(tmp_path):
    a = LexicalIndex(tmp_path)
    b = LexicalIndex(tmp_path)
    a.add("A", DOCS[:3])
    a.save()
    assert b.refresh() and b.groups() == {"A"} and top(b, "sommarlovet") is not None
    b.add("B", DOCS[3:])
    b.save()
    a.remove("A")
    a.save()
    assert a.refresh() and a.groups() == {"B"}
    assert b.refresh() and b.groups() == {"B"} and len(b) == 6
    assert not b.refresh()  # nothing new: no change reported


@pytest.mark.unit
def test_old_format_folder_is_migrated(tmp_path):
    import json

    old = tmp_path / "groups"
    old.mkdir()
    for group, docs in (("A", DOCS[:3]), ("B", DOCS[3:])):
        data = {
            "format": 1,
            "group": group,
            "ids": [c for c, _ in docs],
            "texts": [t for _, t in docs],
        }
        (old / f"{group}.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    idx = LexicalIndex.load(tmp_path)
    assert idx.groups() == {"A", "B"} and top(idx, "stöd till föräldrar") == "b2"
    assert not old.exists() and sorted(p.name for p in (tmp_path / "postings").iterdir()) == [
        "A.bm25",
        "B.bm25",
    ]
    assert LexicalIndex.load(tmp_path).groups() == {"A", "B"}


@pytest.mark.unit
def test_unreadable_block_file_is_skipped(tmp_path):
    idx = LexicalIndex(tmp_path)
    idx.add("A", DOCS[:3])
    idx.save()
    (tmp_path / "postings" / "B.bm25").write_bytes(b'{"format": 2, "group": "B"}\n\x00')
    assert LexicalIndex.load(tmp_path).groups() == {"A"}


@pytest.mark.unit
def test_store_sees_a_report_ingested_by_another_store(tmp_path, toy_embedder):
    # Two app processes on one store share the index folder: the second picks up the
    # first one's new report without re-analysing anything.
    import numpy as np

    from ingest.records import Chunk, Document, Page
    from vectorstore.store import ReportStore

    def add(store, file_hash, text):
        doc = Document(
            path=f"/x/{file_hash}.txt",
            source=f"{file_hash}.txt",
            file_hash=file_hash,
            pages=[Page(1, text)],
            municipality="Hofors",
            year=2023,
        )
        chunk = Chunk(
            id=f"{file_hash}:0",
            text=text,
            municipality="Hofors",
            year=2023,
            source=doc.source,
            path=doc.path,
            page=1,
            section="",
            file_hash=file_hash,
            content_hash=file_hash,
        )
        store.add_document(doc, [chunk], np.asarray(toy_embedder.embed_documents([text])))
        store.lexical()  # as the pipeline does after a batch

    first = ReportStore.open(tmp_path / "s", embedder=toy_embedder)
    add(first, "h1", "Budget för socialtjänsten.")
    second = ReportStore.open(tmp_path / "s", embedder=toy_embedder)
    assert second.lexical().groups() == {"h1"}
    add(first, "h2", "Fritidsbanken lånar ut utrustning.")
    assert second.lexical().groups() == {"h1", "h2"}
    assert second.lexical().search("fritidsbanken")[0][0] == "h2:0"


@pytest.mark.unit
def test_bulk_replace_that_triggers_compaction():
    idx = LexicalIndex(None)
    docs = lambda g, word: [(f"g{g}-{i}", f"{word} rapport{g} nummer{i}") for i in range(30)]  # noqa: E731
    idx.add_many((f"g{g}", docs(g, "gammal")) for g in range(60))
    idx.add_many((f"g{g}", docs(g, "ny")) for g in range(40))  # 1,200 chunks replaced at once
    assert len(idx) == 1800 and idx.groups() == {f"g{g}" for g in range(60)}
    assert len(idx.search("ny", k=5000)) == 1200 and len(idx.search("gammal", k=5000)) == 600
    assert top(idx, "ny rapport39 nummer7") == "g39-7"
