"""What each hand-written answering rule is worth: switch it off, answer every question again.

A rule here is a question pattern that gates a filter of the answer path (assistant/qa/answer.py,
assistant/qa/typed.py, assistant/qa/silence.py): switched off, the pattern never matches (a dict
or list of patterns becomes empty; a function returns "no opinion"). For every rule, one fresh
process answers the foreign corpus's questions and the samples' question sets, and the script
prints how many answerable questions got a citation, how many unanswerable ones got none, and
how many citations fail their page, against the baseline with every rule on.

    .venv/bin/python benchmarks/ablate_rules.py --dev-store DIR --samples-store DIR \
        [--rules NAME,NAME] [--out results.jsonl]

A rule whose removal costs nothing on the foreign corpus pays only on the samples (or
nowhere): a candidate for deletion.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

SAMPLE_SETS = ["questions.json", "questions_blind20.json", "questions_blind21.json"]
NEVER = re.compile(r"(?!x)x")

# The question patterns that assistant/qa/question.py applies once per question (parse_question);
# the others of the list below are applied to passages in assistant/qa/typed.py.
_QUESTION_RES = {
    n.removeprefix("_")
    for n in """_NEW_ONE_RE PARTITIVE_QUESTION_RE _GENDER_SPLIT_RE _PERSON_ROLE_RE
    _CHANGE_QUESTION_RE PERCENT_QUESTION_RE NAME_QUESTION_RE _NAMED_THING_RE
    ORGANISATIONS_QUESTION_RE LANGUAGE_RE _FOLLOW_UP_RE QUANTITY_RE MONEY_QUESTION_RE
    _COUNT_RE""".split()
}
# name -> (module, attribute, kind): kind "re" never matches, "map" empty, "none" returns None,
# "false" returns False, "value:X" sets a number. Module "settings": the attribute is a key of
# the settings object (rapport_settings.get_settings(), which every Service.open here reads).
RULES: dict[str, tuple[str, str, str]] = {
    **{
        f"answer.{n}": (
            "assistant.qa.question"
            if n.removeprefix("_") in _QUESTION_RES
            else "assistant.qa.typed",
            n.removeprefix("_") if n == "_LANGUAGE_RE" else n,
            "re",
        )
        for n in [
            "_NEW_ONE_RE",
            "PARTITIVE_QUESTION_RE",
            "_GENDER_SPLIT_RE",
            "_PERSON_ROLE_RE",
            "_CHANGE_QUESTION_RE",
            "PERCENT_QUESTION_RE",
            "NAME_QUESTION_RE",
            "_NAMED_THING_RE",
            "ORGANISATIONS_QUESTION_RE",
            "_LANGUAGE_RE",
            "_CHANGE_OF_COUNT_RE",
            "_FOLLOW_UP_RE",
            "QUANTITY_RE",
            "MONEY_QUESTION_RE",
            "_COUNT_RE",
        ]
    },
    "answer.Answerer._specific": ("assistant.qa.answer", "Answerer._specific", "identity"),
    "answer.Answerer._named_municipalities": (
        "assistant.qa.answer",
        "Answerer._named_municipalities",
        "none",
    ),
    "answer.Answerer._next_report": ("assistant.qa.answer", "Answerer._next_report", "none"),
    "silence.topic_head": ("assistant.qa.question", "topic_head", "none"),
    "silence.is_name": ("assistant.qa.silence", "is_name", "false"),
    "silence.ablation_drop": ("settings", "answer.silence.ablation_drop", "value:-1e9"),
}


def switch_off(name: str) -> None:
    target, leaf, kind = _target(name)
    if kind == "re":
        value = NEVER
    elif kind == "map":
        value = type(getattr(target, leaf))()
    elif kind == "none":
        value = lambda *a, **k: None  # noqa: E731
    elif kind == "false":
        value = lambda *a, **k: False  # noqa: E731
    elif kind == "identity":
        value = lambda self, question, evidence: evidence  # noqa: E731
    else:
        value = float(kind.split(":", 1)[1])
    setattr(target, leaf, value)


class Watched:
    """A compiled pattern that notes whether it matched anything since the last reset."""

    def __init__(self, pattern: re.Pattern) -> None:
        self.pattern, self.fired = pattern, False

    def _note(self, result):
        self.fired = self.fired or bool(result)
        return result

    def search(self, *a, **k):
        return self._note(self.pattern.search(*a, **k))

    def match(self, *a, **k):
        return self._note(self.pattern.match(*a, **k))

    def fullmatch(self, *a, **k):
        return self._note(self.pattern.fullmatch(*a, **k))

    def findall(self, *a, **k):
        return self._note(self.pattern.findall(*a, **k))

    def finditer(self, *a, **k):
        found = list(self.pattern.finditer(*a, **k))
        self._note(found)
        return iter(found)

    def sub(self, *a, **k):
        return self.pattern.sub(*a, **k)

    def split(self, *a, **k):
        return self.pattern.split(*a, **k)

    def __getattr__(self, name):
        return getattr(self.pattern, name)


def _target(rule: str):
    import importlib

    module_name, attr, kind = RULES[rule]
    owner, _, leaf = attr.rpartition(".")
    if module_name == "settings":  # the cached settings object: set in place, read by Service
        from rapport_settings import get_settings

        target = get_settings()
        for part in owner.split("."):
            target = getattr(target, part)
        return target, leaf, kind
    module = importlib.import_module(module_name)
    return (getattr(module, owner) if owner else module), leaf, kind


def questions() -> list[tuple[str, str, str, bool]]:
    """(set, id, question, answerable) for the dev corpus and the samples' tuning sets."""
    from assistant.evaluate import load_questions
    from benchmarks.devcorpus_eval import DEFAULT_CORPUS

    out = [
        ("dev", q["id"], q["question"], q["kind"] != "negative")
        for q in json.loads((DEFAULT_CORPUS / "questions.json").read_text())
    ]
    for name in SAMPLE_SETS:
        out += [
            (name, q.id, q.question, bool(q.evidence))
            for q in load_questions(ROOT / "tests" / "data" / name)
        ]
    return out


def run(rules: list[str], dev_store: str, samples_store: str, out) -> None:
    """Baseline with every rule watched, then each rule off on the questions it fired on
    (every question for a rule that is not a single pattern)."""
    from assistant.service import Service
    from benchmarks.devcorpus_eval import DEFAULT_CORPUS, citation_ok, page_texts

    texts = page_texts(DEFAULT_CORPUS / "pdf")
    qs = questions()

    def services():
        return {
            "dev": Service.open(dev_store, llm=None),
            "samples": Service.open(samples_store, llm=None),
        }

    def answer(svc, q) -> tuple[bool, int]:
        cites = svc["dev" if q[0] == "dev" else "samples"].ask(q[2]).to_json()["citations"]
        bad = sum(not citation_ok(c, texts) for c in cites) if q[0] == "dev" else 0
        return bool(cites), bad

    watched = {}
    for rule in rules:
        target, leaf, kind = _target(rule)
        if kind == "re":
            watched[rule] = Watched(getattr(target, leaf))
            setattr(target, leaf, watched[rule])
    svc = services()
    base, fired = {}, {rule: set() for rule in rules}
    for n, q in enumerate(qs):
        for w in watched.values():
            w.fired = False
        base[q[:2]] = answer(svc, q)
        for rule, w in watched.items():
            if w.fired:
                fired[rule].add(q[:2])
        if n % 50 == 0:
            print(f"  baseline {n}/{len(qs)}", file=sys.stderr, flush=True)
    for rule, w in watched.items():
        target, leaf, _ = _target(rule)
        setattr(target, leaf, w.pattern)
    out.write(
        json.dumps({"rule": "baseline", "answers": {"|".join(k): v for k, v in base.items()}})
        + "\n"
    )
    for n, rule in enumerate(rules):
        target, leaf, kind = _target(rule)
        touched = [q for q in qs if q[:2] in fired[rule]] if kind == "re" else qs
        if not touched:
            out.write(json.dumps({"rule": rule, "touched": 0, "changes": []}) + "\n")
            continue
        original = getattr(target, leaf)
        switch_off(rule)
        try:
            svc = services()
            changes = []
            for q in touched:
                got = answer(svc, q)
                if got != base[q[:2]]:
                    changes.append(
                        {
                            "set": q[0],
                            "id": q[1],
                            "answerable": q[3],
                            "before": base[q[:2]],
                            "after": got,
                        }
                    )
        finally:
            setattr(target, leaf, original)
        out.write(json.dumps({"rule": rule, "touched": len(touched), "changes": changes}) + "\n")
        out.flush()
        print(
            f"[{n + 1}/{len(rules)}] {rule}: {len(touched)} questions, {_summary(changes)}",
            file=sys.stderr,
            flush=True,
        )


def _summary(changes: list[dict]) -> str:
    """Net effect per set: +answered / -answered on answerable, +spoke on unanswerable, bad."""
    by: dict[str, list[int]] = {}
    for c in changes:
        row = by.setdefault(c["set"], [0, 0, 0])
        delta = int(c["after"][0]) - int(c["before"][0])
        row[0 if c["answerable"] else 1] += delta
        row[2] += c["after"][1] - c["before"][1]
    return (
        "; ".join(
            f"{k}: answerable {v[0]:+d}, unanswerable cited {v[1]:+d}, bad {v[2]:+d}"
            for k, v in by.items()
        )
        or "no change"
    )


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--dev-store", required=True)
    ap.add_argument("--samples-store", required=True)
    ap.add_argument("--rules", default="", help="comma-separated; default: all")
    ap.add_argument("--out", default="ablation.jsonl")
    args = ap.parse_args()
    rules = [r for r in args.rules.split(",") if r] or list(RULES)
    with open(args.out, "w", encoding="utf-8") as out:
        run(rules, args.dev_store, args.samples_store, out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
