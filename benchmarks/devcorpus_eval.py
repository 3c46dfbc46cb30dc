"""Answers and survey on a foreign corpus (../shared/dev-corpus format), in one process.

The same metrics as the corpus's own score.py (which drives the CLI one process per question):
answerable questions answered with a citation, unanswerable ones with none, citation
precision (quote, letters and digits only, on the cited page as pypdf extracts it), survey
municipality recall/precision. One process makes a development loop take a minute, not ten;
`--details FILE` writes every question's answer for reading.

    .venv/bin/python benchmarks/devcorpus_eval.py --store DIR [--corpus ../shared/dev-corpus]
        [--modes answers,survey] [--details out.jsonl] [--ids q001,q002]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import sys
import time
import unicodedata
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

DEFAULT_CORPUS = ROOT.parent / "shared" / "dev-corpus"


def alnum(s: str) -> str:
    return re.sub(r"[^0-9a-zåäöéü]", "", unicodedata.normalize("NFKC", s or "").lower())


def muni_key(name: str) -> str:
    s = unicodedata.normalize("NFKC", name or "").lower()
    s = re.sub(r"\b(kommun|kommuns|stad)\b", "", s)
    return re.sub(r"[^a-zåäö]", "", s)


def page_texts(pdf_dir: Path) -> dict[str, list[str]]:
    from pypdf import PdfReader

    out = {}
    for p in pdf_dir.glob("*.pdf"):
        try:
            r = PdfReader(p)
            if r.is_encrypted:
                r.decrypt("")
            out[p.name] = [alnum(pg.extract_text() or "") for pg in r.pages]
        except Exception:  # noqa: BLE001 - junk files of the inbox
            pass
    return out


def citation_ok(c: dict, texts: dict[str, list[str]]) -> bool:
    pages, quote = texts.get(Path(c.get("source", "")).name), alnum(c.get("quote", ""))
    return bool(
        pages
        and len(quote) >= 12
        and 1 <= c.get("page", 0) <= len(pages)
        and quote in pages[c["page"] - 1]
    )


def lead_sentence(answer: str) -> str:
    """The first cited sentence of an answer, after a line that only lists municipalities."""
    for line in answer.splitlines():
        if line.startswith("Rapporterna från "):
            continue
        for sentence in re.split(r"(?<=\])\s+", line):
            if re.search(r"\[\d+\]", sentence):
                return sentence
    return ""


def _numbers(text: str) -> set[str]:
    text = re.sub(r"(?<=\d)[\s\u00a0](?=\d{3}\b)", "", text)
    return set(re.findall(r"\d+(?:,\d+)?", text))


def carries_answer(lead: str, expected: str) -> bool:
    """The lead gives the expected answer: all its figures, or (an answer without figures)
    half of its words of five letters or more."""
    want = _numbers(expected or "")
    if want:
        return want <= _numbers(lead)
    words = {w for w in re.findall(r"\w{5,}", (expected or "").lower())}
    have = set(re.findall(r"\w{5,}", lead.lower()))
    return bool(words) and len(words & have) >= len(words) / 2


def answers(service, corpus: Path, ids: set[str], details) -> dict:
    texts = page_texts(corpus / "pdf")
    qs = [
        q for q in json.loads((corpus / "questions.json").read_text()) if not ids or q["id"] in ids
    ]
    from benchmarks.abstain_data import matches

    res = {
        "answerable": 0,
        "answered": 0,
        "negative": 0,
        "clean": 0,
        "good": 0,
        "bad": 0,
        "lead_holds_evidence": 0,
        "lead_carries_answer": 0,
        "evidence_cited": 0,
    }
    first_words, whole = [], []
    by_kind: dict[str, list[int]] = {}
    t0 = time.time()
    for q in qs:
        start = time.perf_counter()
        last = None
        for piece in service.stream(q["question"]):
            if last is None:  # the first piece shown
                first_words.append(time.perf_counter() - start)
            last = piece
        whole.append(time.perf_counter() - start)
        a = last.to_json()
        cites = a.get("citations", [])
        ok = [citation_ok(c, texts) for c in cites]
        res["good"] += sum(ok)
        res["bad"] += len(ok) - sum(ok)
        if q["kind"] == "negative":
            res["negative"] += 1
            res["clean"] += not cites
            right = not cites
        else:
            res["answerable"] += 1
            res["answered"] += bool(cites)
            right = bool(cites)
            # the answer's first quote (its lead) and any quote hold the labelled evidence
            res["lead_holds_evidence"] += bool(cites) and matches(q["evidence"], cites[0]["quote"])
            res["evidence_cited"] += any(matches(q["evidence"], c["quote"]) for c in cites)
            res["lead_carries_answer"] += bool(cites) and carries_answer(
                lead_sentence(a["answer"]), q["answer"]
            )
        by_kind.setdefault(q["kind"], [0, 0])
        by_kind[q["kind"]][0] += right
        by_kind[q["kind"]][1] += 1
        if details:
            details.write(
                json.dumps(
                    {
                        "id": q["id"],
                        "kind": q["kind"],
                        "right": right,
                        "question": q["question"],
                        "answer": a["answer"],
                        "expected": q.get("answer"),
                        "bad_citations": len(ok) - sum(ok),
                    },
                    ensure_ascii=False,
                )
                + "\n"
            )
    res["seconds_per_question"] = round((time.time() - t0) / max(1, len(qs)), 3)
    res["median_seconds_to_first_words"] = round(statistics.median(first_words), 3)
    res["median_seconds_to_whole_answer"] = round(statistics.median(whole), 3)
    res["by_kind"] = {k: f"{v[0]}/{v[1]}" for k, v in sorted(by_kind.items())}
    return res


def survey(service, corpus: Path, details) -> dict:
    from assistant.survey import Surveyor

    surveyor = Surveyor.of(service)
    tp = fp = fn = checked = checked_right = 0
    rows = []
    for s in json.loads((corpus / "survey.json").read_text()):
        result = surveyor.survey(s["question"]).to_json()
        got = {
            muni_key(m["municipality"])
            for m in result.get("municipalities", [])
            if m.get("citations")
        }
        want = {muni_key(m) for m in s["municipalities"]}
        check = {muni_key(m) for m in result.get("to_check", [])}
        tp, fp, fn = tp + len(got & want), fp + len(got - want), fn + len(want - got)
        checked, checked_right = checked + len(check), checked_right + len(check & want)
        rows.append(
            {
                "question": s["question"],
                "missed": sorted(want - got),
                "wrong": sorted(got - want),
                "to_check": sorted(check),
            }
        )
        if details:
            details.write(json.dumps(rows[-1], ensure_ascii=False) + "\n")
    return {
        "recall": round(tp / max(1, tp + fn), 3),
        "precision": round(tp / max(1, tp + fp), 3),
        # listed "Att granska" (survey.review): how many, how many of them right, and the
        # share of the right municipalities found or listed to check
        "to_check": checked,
        "to_check_right": checked_right,
        "found_or_to_check_recall": round((tp + checked_right) / max(1, tp + fn), 3),
        "per_question": rows,
    }


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--store", required=True)
    ap.add_argument("--corpus", default=str(DEFAULT_CORPUS))
    ap.add_argument("--modes", default="answers,survey")
    ap.add_argument("--details")
    ap.add_argument("--ids", default="")
    args = ap.parse_args()
    from assistant.service import Service

    service = Service.open(args.store, llm=None)
    corpus = Path(args.corpus)
    details = open(args.details, "w", encoding="utf-8") if args.details else None
    out = {}
    if "answers" in args.modes:
        out["answers"] = answers(service, corpus, set(filter(None, args.ids.split(","))), details)
    if "survey" in args.modes:
        out["survey"] = survey(service, corpus, details)
    print(json.dumps(out, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
