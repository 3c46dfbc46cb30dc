"""Fit the model that tells passages about the work done from passages about conditions,
and the model of what kind of insats a passage tells (assistant/qa/sections.py), on the
foreign corpus's labelled sections.

The labels are the corpus's ground truth (`reports/*.json`): a section with theme tags is an
insats, any other (summary, background, economy, lessons) is not. A chunk takes the label of
the section its heading names; chunks whose heading matches none are left out. The figures
are leave-one-municipality-out: every municipality's chunks are judged by a model fitted on
the other municipalities'. The L2 strength is chosen among a few by the same
cross-validation. The kinds are the sections' theme tags; their ridge strength (KIND_L2) was
chosen among 0.3, 1 and 3 on the survey's ranking of the corpus's survey questions with
every municipality judged by a model fitted without it, and with the asked theme left out of
the kinds (so that it shows how the space carries over to kinds of work it was not fitted on).

    python benchmarks/fit_sections.py --store DIR [--corpus ../shared/dev-corpus] [--save]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import subprocess
import sys
import unicodedata
from pathlib import Path

import numpy as np

os.environ.setdefault("HF_HUB_OFFLINE", "1")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from assistant.qa.sections import (  # noqa: E402
    KIND_MODEL_PATH,
    MODEL_PATH,
    KindModel,
    SectionModel,
    unit_rows,
)
from benchmarks.fit_survey import fit_logistic, standardise  # noqa: E402
from ingest.chunking import heading_name  # noqa: E402

L2 = (3.0, 10.0, 30.0, 100.0)
CUT = 0.5
KIND_L2 = 1.0


def _key(name: str) -> str:
    return unicodedata.normalize("NFC", name).lower()


def labelled_chunks(
    store, corpus: Path
) -> tuple[list[str], np.ndarray, np.ndarray, list[str], list[list[str]]]:
    """(chunk ids, embeddings, labels 1 = insats, municipality of each, theme tags of each) of
    the chunks whose section heading names a section of the ground truth."""
    sections = {}
    for path in sorted((corpus / "reports").glob("*.json")):
        report = json.loads(path.read_text(encoding="utf-8"))
        sections[(_key(report["municipality"]), report["year"])] = [
            (s["heading"], s.get("themes") or []) for s in report["sections"]
        ]
    meta = store.all_chunk_metadata()
    ids = sorted(meta)
    vectors = store.embeddings(ids)
    kept, labels, municipalities, themes = [], [], [], []
    for i in ids:
        m = meta[i]
        name = heading_name(m.get("section", "")).strip()
        if not name or i not in vectors:
            continue
        for heading, tags in sections.get((_key(m["municipality"]), int(m["year"])), []):
            if name[:30] in heading or heading_name(heading)[:30] in name:
                kept.append(i)
                labels.append(float(bool(tags)))
                municipalities.append(m["municipality"])
                themes.append(tags)
                break
    matrix = np.stack([vectors[i] for i in kept])
    return kept, matrix, np.array(labels), municipalities, themes


def fit(x: np.ndarray, y: np.ndarray, l2: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    mean, std = standardise(x)
    return mean, std, fit_logistic((x - mean) / std, y, l2)


def cross_validate(x: np.ndarray, y: np.ndarray, groups: np.ndarray, l2: float) -> dict:
    p = np.zeros(len(y))
    for g in np.unique(groups):
        test = groups == g
        mean, std, w = fit(x[~test], y[~test], l2)
        p[test] = 1 / (1 + np.exp(-(w[0] + ((x[test] - mean) / std) @ w[1:])))
    said = p >= CUT
    return {
        "accuracy": round(float((said == (y == 1)).mean()), 3),
        "insats_kept": round(float(said[y == 1].mean()), 3),
        "other_set_aside": round(float((~said)[y == 0].mean()), 3),
    }


def fit_kinds(
    embedder: str,
    matrix: np.ndarray,
    themes: list[list[str]],
    center: np.ndarray,
    kinds: list[str] | None = None,
) -> KindModel:
    """Ridge regression (KIND_L2) from the centred unit embeddings to the theme tags (over
    `kinds`, default those tagged)."""
    kinds = kinds or sorted({t for tags in themes for t in tags})
    y = np.array([[k in tags for k in kinds] for tags in themes], dtype=float)
    x = np.hstack([unit_rows(matrix - center), np.ones((len(matrix), 1))])
    w = np.linalg.solve(x.T @ x + KIND_L2 * np.eye(x.shape[1]), x.T @ y)
    return KindModel(embedder, center, tuple(kinds), w[:-1], w[-1])


class CrossFitted:
    """Kind profiles where every municipality's passages are scored by a model fitted on the
    other municipalities' labelled sections (for honest figures on the corpus it is fitted on:
    benchmarks/fit_survey.py)."""

    def __init__(self, store, corpus: Path, without: str | None = None) -> None:
        """`without`: a theme tag to leave out of the kinds (how the space carries over to a
        kind of work it was not fitted on)."""
        _, matrix, _, municipalities, themes = labelled_chunks(store, corpus)
        themes = [[t for t in tags if t != without] for tags in themes]
        center = matrix.mean(axis=0)
        kinds = sorted({t for tags in themes for t in tags})
        name = store.embedder.name
        self.models = {
            g: fit_kinds(
                name,
                np.stack([v for v, m in zip(matrix, municipalities) if m != g]),
                [t for t, m in zip(themes, municipalities) if m != g],
                center,
                kinds,
            )
            for g in sorted(set(municipalities))
        }
        # a municipality without labelled sections is out of sample for the whole fit
        self.fallback = fit_kinds(name, matrix, themes, center, kinds)
        self.municipality = {i: m["municipality"] for i, m in store.all_chunk_metadata().items()}

    def profiles(self, vectors: np.ndarray, ids: list[str] | None = None) -> np.ndarray:
        rows = [
            self.models.get(self.municipality.get(i), self.fallback).profiles(vectors[n : n + 1])
            for n, i in enumerate(ids or [])
        ]
        return np.vstack(rows) if rows else np.zeros((0, len(self.fallback.kinds)))


def kind_accuracy(matrix: np.ndarray, themes: list[list[str]], groups: np.ndarray, name) -> float:
    """Leave-one-municipality-out: the share of insats passages whose best-scored kind is
    one of their section's tags."""
    center = matrix.mean(axis=0)
    right = total = 0
    for g in np.unique(groups):
        test = groups == g
        model = fit_kinds(name, matrix[~test], [t for t, s in zip(themes, test) if not s], center)
        best = model.profiles(matrix[test]).argmax(axis=1)
        for k, tags in zip(best, [t for t, s in zip(themes, test) if s]):
            if tags:
                total += 1
                right += model.kinds[k] in tags
    return right / max(1, total)


def main(argv: list[str] | None = None) -> int:
    from vectorstore.store import ReportStore

    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--store", required=True, help="the foreign corpus's pdf/ ingested")
    ap.add_argument("--corpus", default=str(ROOT.parent / "shared" / "dev-corpus"))
    ap.add_argument("--save", action="store_true", help=f"write {MODEL_PATH.name}")
    args = ap.parse_args(argv)
    store = ReportStore.open(args.store)
    ids, matrix, y, municipalities, themes = labelled_chunks(store, Path(args.corpus))
    center = matrix.mean(axis=0)
    x = matrix - center
    groups = np.array(municipalities)
    print(
        f"{len(ids)} chunks, {int(y.sum())} in insats sections, {len(set(groups))} municipalities"
    )
    figures = {l2: cross_validate(x, y, groups, l2) for l2 in L2}
    for l2, f in figures.items():
        print(f"  l2 {l2:>5}: leave-one-municipality-out {f}")
    best = max(L2, key=lambda l2: (figures[l2]["accuracy"], l2))
    mean, std, w = fit(x, y, best)
    model = SectionModel(
        embedder=store.embedder.name,
        center=center,
        mean=mean,
        scale=std,
        weights=w[1:],
        bias=float(w[0]),
        cut=CUT,
    )
    print(f"chosen l2 {best}: {figures[best]}")
    kinds = fit_kinds(store.embedder.name, matrix, themes, center)
    accuracy = kind_accuracy(matrix, themes, groups, store.embedder.name)
    print(
        f"kinds: {len(kinds.kinds)}; leave-one-municipality-out, an insats passage's best kind "
        f"is one of its tags: {accuracy:.3f}"
    )
    if args.save:
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
        ).stdout.strip()
        provenance = {
            "fitted": dt.date.today().isoformat(),
            "commit": commit,
            "script": "benchmarks/fit_sections.py",
            "labels": "foreign corpus sections: theme tags = insats, none = other",
            "chunks": len(ids),
            "l2": best,
            "cross_validated": figures[best],
        }
        MODEL_PATH.write_text(
            json.dumps(model.to_json(provenance), ensure_ascii=False) + "\n", encoding="utf-8"
        )
        print(f"wrote {MODEL_PATH}")
        provenance = {
            **{k: provenance[k] for k in ("fitted", "commit", "script")},
            "labels": "foreign corpus sections' theme tags",
            "chunks": len(ids),
            "l2": KIND_L2,
            "cross_validated_top_kind": round(accuracy, 3),
        }
        KIND_MODEL_PATH.write_text(
            json.dumps(kinds.to_json(provenance), ensure_ascii=False) + "\n", encoding="utf-8"
        )
        print(f"wrote {KIND_MODEL_PATH}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
