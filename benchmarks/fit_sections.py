"""Fit the model that tells passages about the work done from passages about conditions
(assistant/qa/sections.py) on the foreign corpus's labelled sections.

The labels are the corpus's ground truth (`reports/*.json`): a section with theme tags is an
insats, any other (summary, background, economy, lessons) is not. A chunk takes the label of
the section its heading names; chunks whose heading matches none are left out. The figures
are leave-one-municipality-out: every municipality's chunks are judged by a model fitted on
the other municipalities'. The L2 strength is chosen among a few by the same
cross-validation.

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

from assistant.qa.sections import MODEL_PATH, SectionModel  # noqa: E402
from benchmarks.fit_survey import fit_logistic, standardise  # noqa: E402
from ingest.chunking import heading_name  # noqa: E402

L2 = (3.0, 10.0, 30.0, 100.0)
CUT = 0.5


def _key(name: str) -> str:
    return unicodedata.normalize("NFC", name).lower()


def labelled_chunks(store, corpus: Path) -> tuple[list[str], np.ndarray, np.ndarray, list[str]]:
    """(chunk ids, embeddings, labels 1 = insats, municipality of each) of the chunks whose
    section heading names a section of the ground truth."""
    sections = {}
    for path in sorted((corpus / "reports").glob("*.json")):
        report = json.loads(path.read_text(encoding="utf-8"))
        sections[(_key(report["municipality"]), report["year"])] = [
            (s["heading"], bool(s.get("themes"))) for s in report["sections"]
        ]
    meta = store.all_chunk_metadata()
    ids = sorted(meta)
    vectors = store.embeddings(ids)
    kept, labels, municipalities = [], [], []
    for i in ids:
        m = meta[i]
        name = heading_name(m.get("section", "")).strip()
        if not name or i not in vectors:
            continue
        for heading, insats in sections.get((_key(m["municipality"]), int(m["year"])), []):
            if name[:30] in heading or heading_name(heading)[:30] in name:
                kept.append(i)
                labels.append(float(insats))
                municipalities.append(m["municipality"])
                break
    matrix = np.stack([vectors[i] for i in kept])
    return kept, matrix, np.array(labels), municipalities


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


def main(argv: list[str] | None = None) -> int:
    from vectorstore.store import ReportStore

    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--store", required=True, help="the foreign corpus's pdf/ ingested")
    ap.add_argument("--corpus", default=str(ROOT.parent / "shared" / "dev-corpus"))
    ap.add_argument("--save", action="store_true", help=f"write {MODEL_PATH.name}")
    args = ap.parse_args(argv)
    store = ReportStore.open(args.store)
    ids, matrix, y, municipalities = labelled_chunks(store, Path(args.corpus))
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
    return 0


if __name__ == "__main__":
    sys.exit(main())
