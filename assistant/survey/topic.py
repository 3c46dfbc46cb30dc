"""What a question asks about, and whether a text names it: the survey's topic signals.

A question's content words (frame words such as "erbjuder" aside) each weigh their idf in the
reports; words coordinated by "och"/"eller" form one alternative group ("föräldraskapsstöd
eller föräldragrupper", "barn och unga"): a text covers the group when it names any of its
words, as a word, a compound part or a near synonym from the thesaurus. The survey's
decision (assistant/survey/surveyor.py) uses the covered share as evidence, not as a rule.

The survey takes `mentions` from assistant/qa/typed.py; `units` is its own variant of
assistant/qa/evidence.py's `evidence_units`.
"""

from __future__ import annotations

import re

from assistant.qa.verify import normalize_for_match, split_sentences
from ingest.records import Chunk

_WORD_RE = re.compile(r"[^\W\d_][\w-]*")
_CONJUNCTIONS = {"och", "eller", "samt"}


def units(chunk: Chunk) -> list[str]:
    """Sentences of prose and whole rows of tables, as candidate evidence."""
    out = []
    prose: list[str] = []
    for line in chunk.text.split("\n"):
        if " | " in line:
            out.append(line.strip())
        else:
            prose.append(line)
    text = normalize_for_match("\n".join(prose))
    for sentence in split_sentences(text):
        section = chunk.section
        if (
            section
            and sentence.startswith(section + " ")
            and sentence[len(section) + 1 :][:1].isupper()
        ):
            sentence = sentence[len(section) + 1 :]
        sentence = sentence.lstrip("• ")
        if len(sentence.split()) >= 4:
            out.append(sentence)
    return out


def alternative_groups(question: str, content: list[str]) -> list[list[str]]:
    """The question's content words grouped: words joined by "och"/"eller" (with at most one
    word between the conjunction and the second word: "digitalisering eller digital
    kompetens") form one group, any of which answers it; every other word is its own group.
    `content`: the question's content words, in order."""
    tokens = _WORD_RE.findall(question)
    wanted = {w for w in content}
    parent = {w: w for w in content}

    def root(w: str) -> str:
        while parent[w] != w:
            w = parent[w]
        return w

    for i, tok in enumerate(tokens):
        if tok.lower() not in _CONJUNCTIONS:
            continue
        left = next((t for t in reversed(tokens[max(0, i - 2) : i]) if t in wanted), None)
        right = [t for t in tokens[i + 1 : i + 3] if t in wanted]
        if left is None or not right:
            continue
        for r in right:
            parent[root(r)] = root(left)
    groups: dict[str, list[str]] = {}
    for w in content:
        groups.setdefault(root(w), []).append(w)
    return list(groups.values())
