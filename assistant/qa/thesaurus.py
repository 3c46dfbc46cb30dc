"""Query expansion from a small domain thesaurus (config/synonymer.txt).

Caseworkers ask in their own words ("mammor och pappor", "skolket", "socialbidrag"); the
reports use theirs ("vårdnadshavare", "frånvaro", "ekonomiskt bistånd"). A group of the
thesaurus lists words for one thing; a question that contains a member (all its words,
compared as Swedish stems) also searches for the other members, each with a lower weight
than the question's own words, so that an expansion can add evidence but not outvote the
question.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from rapport_settings import RetrievalSettings
from vectorstore.swedish import analyze

THESAURUS_FILE = Path(__file__).resolve().parents[2] / "config" / "synonymer.txt"


class ThesaurusError(ValueError):
    pass


class Thesaurus:
    def __init__(
        self, groups: list[list[str]], weight: float | None = None, close_group: int | None = None
    ) -> None:
        """`weight`: of an expansion, relative to a question term (default: the setting
        `retrieval.expansion_weight`'s default). `close_group`: groups with at most this many
        members are near synonyms, see closest() (default: `retrieval.near_synonym_group`'s
        default)."""
        defaults = RetrievalSettings()
        self.weight = defaults.expansion_weight if weight is None else weight
        self.close_group = defaults.near_synonym_group if close_group is None else close_group
        # Each member as the set of its stems; a member without content words is dropped.
        self.groups = [
            [terms for terms in (tuple(analyze(m)) for m in group) if terms] for group in groups
        ]

    @classmethod
    def parse(
        cls, text: str, weight: float | None = None, close_group: int | None = None
    ) -> Thesaurus:
        groups = []
        for n, line in enumerate(text.splitlines(), 1):
            line = line.split("#", 1)[0].strip()
            if not line:
                continue
            members = [m.strip() for m in line.split(",") if m.strip()]
            if len(members) < 2:
                raise ThesaurusError(
                    f"rad {n}: en grupp behöver minst två ord, åtskilda med kommatecken: {line!r}"
                )
            groups.append(members)
        return cls(groups, weight, close_group)

    @classmethod
    def load(
        cls,
        path: str | Path = THESAURUS_FILE,
        weight: float | None = None,
        close_group: int | None = None,
    ) -> Thesaurus:
        path = Path(path)
        if not path.exists():
            return cls([], weight, close_group)
        return cls.parse(path.read_text(encoding="utf-8"), weight, close_group)

    def expansions(
        self, question_terms: set[str] | list[str], context: set[str] | list[str] = ()
    ) -> dict[str, float]:
        """Extra query terms (stem -> weight) for a question's analysed terms. With `context`
        (the whole question's terms), `question_terms` are one word's, and a member that
        holds the word with the words around it counts too ("offentliga" in "offentliga
        platser")."""
        present = set(question_terms)
        around = present | set(context)
        out: dict[str, float] = {}
        for group in self.groups:
            if any(
                set(member) <= present or (set(member) & present and set(member) <= around)
                for member in group
            ):
                for member in group:
                    for term in member:
                        if term not in present:
                            out[term] = self.weight
        return out

    def closest(self, terms: set[str]) -> set[str]:
        """The terms of the smallest group that has one of `terms` as a member: the nearest
        synonyms ("pappor" -> "fäder", not every word for parents). A broad group (more than
        `close_group` members: "pojkar" is in one with every word for children) gives none."""
        groups = [
            g for g in self.groups if len(g) <= self.close_group and any(set(m) <= terms for m in g)
        ]
        if not groups:
            return set()
        return {t for member in min(groups, key=len) for t in member}


@lru_cache(maxsize=4)
def default_thesaurus(weight: float | None = None, close_group: int | None = None) -> Thesaurus:
    return Thesaurus.load(weight=weight, close_group=close_group)
