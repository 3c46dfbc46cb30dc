"""What a question was taken to mean: parsed once per request, read by every later step.

`parse_question` runs every pattern that the answer path applies to the question's text: the
municipalities and years it names (`understand`), the kind of fact it asks for
(assistant.qa.reader.answer_type), its informative words (assistant.qa.silence.informative_words)
and the question-kind checks of the typed evidence (a count, an amount of money, a percentage,
a name ...). The result is a frozen `Question`; the steps after it (the retriever too) read its
fields instead of matching the raw text again. Patterns applied to passage sentences stay with
the code that applies them (assistant/qa/typed.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from assistant.qa.answer_types import MONEY_QUESTION_RE, QUANTITY_RE
from assistant.qa.reader import answer_type
from assistant.qa.silence import _GENERIC, PAST_TENSE_RE, informative_words
from ingest.metadata import Municipality
from vectorstore.swedish import STOP_WORDS

# A year the text names ("2023"), not part of a longer number.
_YEAR_RE = re.compile(r"(?<!\d)(20[1-3]\d)(?!\d)")
# "sedan 2023", "från och med 2023", "efter 2023", "fler nu än 2023": the year is a point of
# comparison, not a filter.
_SINCE_YEAR_RE = re.compile(
    r"\b(?:sedan|från och med|fr\.o\.m\.|efter|jämfört med|än)\s+(?:år\s+)?(20[1-3]\d)\b", re.I
)
# Words that ask how something changed over the years.
_COMPARISON_RE = re.compile(
    r"\b(förändr\w*|utveckl\w*|vux\w*|ökat?|minskat?|fler eller färre|jämför\w*|mellan åren|"
    r"sedan|från år till år|år för år)\b",
    re.I,
)
# Words that compare the one year named with the year before ("Har frånvaron fortsatt att
# minska 2024?", "fler eller färre besökare 2024?"): that year's report alone cannot answer.
_CHANGE_FROM_BEFORE_RE = re.compile(
    r"\b(fortsatt\w*|fortfarande|fler eller färre|mer eller mindre|högre eller lägre|jämfört|"
    r"förra året|föregående år|året innan|året före|ökat|minskat|förändrats|utvecklats|vuxit)\b",
    re.I,
)


@dataclass(frozen=True)
class Understood:
    municipalities: list[str]
    years: list[int]  # the years to search
    compares_years: bool = False
    named_years: list[int] = field(default_factory=list)  # the years the question asks about


def understand(question: str, known: list[Municipality]) -> Understood:
    """Municipalities and years named in a question ('Hur gick det för Hofors 2023?'), and
    whether it compares years ('Har ABC-grupperna vuxit sedan 2023?')."""
    names = []
    for m in known:
        if any(p.search(question) for p in m.question_patterns()):
            names.append(m.name)
    since = {int(y) for y in _SINCE_YEAR_RE.findall(question)}
    years = sorted({int(y) for y in _YEAR_RE.findall(question)} - since)
    compares = bool(since) or len(years) > 1 or bool(_COMPARISON_RE.search(question))
    named = list(years)
    if len(years) == 1 and since:
        years = []  # "fler 2024 än 2023": both years
    elif len(years) == 1 and _CHANGE_FROM_BEFORE_RE.search(question):
        years = [years[0] - 1, years[0]]
    return Understood(names, years, compares, named)


# "Hur många pappor ...": the counted noun. Words after "många" that are not what is counted.
_COUNT_RE = re.compile(r"\bhur många\s+([^\W\d_][\w-]*)(?:\s+([^\W\d_][\w-]*))?", re.IGNORECASE)
COUNT_ADJECTIVES = set("nya fler olika andra egna extra unika".split())  # "Hur många nya X"
NOT_COUNTED = COUNT_ADJECTIVES | set(
    """kom deltog fick har hade var är blev gick tog lämnade besökte gjorde går får deltar
    kommer fanns finns av ur som i på under procent gånger gång
    kronor kr tkr mkr mnkr miljoner""".split()
)  # "Hur många gånger ...?" counts occasions, "Hur många tkr ...?" money: neither names a thing
# "Hur många deltog i den nya gruppen som startade i oktober?": one new or extra thing among
# others, which a total of all of them ("151 unga i samtalsgrupperna") does not count
# ("den nya gruppen", "Filipstads nya grupp")
_NEW_ONE_RE = re.compile(r"\b(?:den|det|[\w-]+s)\s+(nya|extra)\s+[\w-]+", re.IGNORECASE)
# "Hur många av deltagarna var kvinnor?": a count of the women (or girls, or mothers), which
# "Av de 64 kursdeltagarna fick 45 anställning" is not
FEMALE = r"kvinn\w*|flick\w*|tjej\w*|mamm\w*|mödrar\w*|döttrar\w*"
MALE = r"män|männen|pojk\w*|kill\w*|papp\w*|fäder\w*|söner\w*"
# "flickor respektive pojkar", "mellan kvinnor och män", "könsfördelningen": a split by
# gender ("mammor och pappor" alone are the parents)
_GENDER_SPLIT_RE = re.compile(
    rf"\b(?:(?:{FEMALE})\s+respektive\s+(?:{MALE})|(?:{MALE})\s+respektive\s+(?:{FEMALE})"
    rf"|mellan\s+(?:{FEMALE})\s+och\s+(?:{MALE})|mellan\s+(?:{MALE})\s+och\s+(?:{FEMALE})"
    rf"|könsfördelning\w*|kön)\b",
    re.I,
)
# A person asked by role ("Vad heter samordnaren/ordföranden/projektledaren ...?")
_PERSON_ROLE_RE = re.compile(
    r"\w*(?:are|aren|arna|ledare|ledaren|ordförande|ordföranden|chef|chefen|rektor|rektorn|"
    r"assistent|assistenten|assistenterna|coach|coachen|direktör|direktören)",
    re.I,
)
_CHANGE_QUESTION_RE = re.compile(
    r"\bhur mycket\b.*\b(sjönk|minskade|ökade|steg|sjunkit|minskat|ökat|stigit|"
    r"förändrades|förändrats)\b",
    re.I,
)
PARTITIVE_QUESTION_RE = re.compile(r"\bhur många av\b", re.IGNORECASE)
PERCENT_QUESTION_RE = re.compile(r"\b(procent|andel|andelen|procentuell\w*)\b|%", re.IGNORECASE)
# "Vad heter samordnaren?": the answer is a name, which a sentence about the role may lack
NAME_QUESTION_RE = re.compile(r"\b(vad heter|vilket namn|vad hette)\b", re.IGNORECASE)
# The thing a "Vad heter ...?" asks the name of: the words up to a preposition or clause
_NAMED_THING_RE = re.compile(
    r"\b(?:vad heter|vad hette)\s+(?:den|det|de|dess|deras)?\s*"
    r"(.*?)(?=\s+(?:i|på|för|som|där|vid|med|hos|inom)\b|[,?]|$)",
    re.IGNORECASE,
)
# "Vilka privata arbetsgivare ...?", "Vilka är de elva företagen ...?", "På vilka skolor ...?":
# which organisations, which only their names answer ("nya platser hos privata arbetsgivare"
# says that there were some, not which)
ORGANISATIONS_QUESTION_RE = re.compile(
    r"\bvilk(?:a|et|en)\s+(?:(?:var|är)\s+(?:de\s+)?)?(?:[\w-]+\s+){0,2}?([\w-]*(?:arbetsgivar(?:e|na|en)|"
    r"företag(?:en|et)?|arbetsplats(?:er|erna|en)?|förening(?:ar|arna|en)?|organisation(?:en|er|erna)?|"
    r"aktör(?:en|er|erna)?|partner(?:s|na)?|parter(?:na)?|myndighet(?:en|er|erna)?|skol(?:or|orna|a|an)|bolag(?:en|et)?))\b",
    re.IGNORECASE,
)
# Kinds that any organisation's name answers ("Vilka externa parter ...?"); for the others the
# sentence must say that the named one is of that kind ("Vilka industriföretag ...?" is not
# answered by a list of partners)
_ANY_ORGANISATION = re.compile(r"(organisation|aktör|partner|parter|myndighet)", re.IGNORECASE)
# Also applied to passages (assistant/qa/typed.py): a language they name
LANGUAGE_RE = re.compile(
    r"\b(svenska|engelska|arabiska|somaliska|tigrinja|tigrinska|dari|persiska|farsi|kurdiska|turkiska|"
    r"finska|meänkieli|samiska|romani|jiddisch|ukrainska|polska|ryska|bosniska|serbiska|kroatiska|"
    r"albanska|spanska|franska|tyska|pashto|amhariska|thailändska|teckenspråk)\b"
)  # lower case, as Swedish writes a language: "Svenska kyrkan" is not one
_WORD_RE = re.compile(r"\d[\d ]*(?:,\d+)?|[^\W\d_][\w-]*")
# "Vilka kommuner ...?", "Har någon kommun ...?", "Vad har kommunerna gjort ...?": a question
# over all municipalities, which the survey answers one municipality at a time.
WHICH_MUNICIPALITIES_RE = re.compile(
    r"\b(kommuner|kommunerna|någon kommun|vilken kommun|hur många kommuner)\b", re.IGNORECASE
)
_FOLLOW_UP_RE = re.compile(
    r"^(och|men|hur är det|vad gäller|samma|det|den|de|dess|deras)\b|\b(det|dem|detta|den)\?$",
    re.IGNORECASE,
)
# "Hur stor andel ...?", "Hur hög var ...?": the word that completes "hur" (Question.frame)
_FRAME_RE = re.compile(r"^\W*hur\s+([^\W\d_]+)", re.IGNORECASE)
# "Vad har Filipstad gjort för att bygga ut bredbandet på landsbygden?", "Hur har Olofström
# arbetat med äldreomsorgen?": what one municipality did about a topic, named after the
# preposition (up to a second clause "och vad/hur ..."). After "för att" a verb comes first.
_OPEN_TOPIC_RE = re.compile(
    r"^\W*(?:vad har|vad gjorde|vad gör|hur har|hur arbetar|hur arbetade|hur jobbar|vilka insatser)"
    r"\b.*?\b(för att|för|inom|med|kring|mot)\s+(.+?)(?:,|\s+och\s+(?:vad|hur|vilk\w*|när)\b|\?|$)",
    re.IGNORECASE,
)
# "Vad har Ljusdal gjort ...?", "Vilka insatser ...?", "Hur arbetar Klippan med ...?": asks
# what was done, which passages on the municipality's conditions do not tell
_WORK_RE = re.compile(
    r"\b(gjort|gjorde|gör|genomfört|genomförde|genomförts|arbetat|arbetar|arbetade|jobbar|"
    r"jobbat|satsat|satsar|satsade|erbjudit|erbjuder|ordnat|ordnar|insats\w*|aktivitet\w*)\b",
    re.IGNORECASE,
)
# "Har någon kommun erbjudit skuldrådgivning ...?", "Vilka kommuner har använt bidraget till
# insatser mot våld ...?": the same asked of all reports; the verb comes first
_ANY_TOPIC_RE = re.compile(
    r"^\W*(?:har någon(?: av)? kommun(?:erna)?|har några kommuner|vilka kommuner har|"
    r"vilken kommun har|finns det någon kommun som(?: har)?)"
    r"\s+\w+\s+(?:(?:stats)?bidraget\s+|medlen\s+|pengar(?:na)?\s+)?"
    r"(?:(för att|till att|på att|till|med|på|för|mot|inom)\s+)?(.+?)"
    r"(?:,|\s+och\s+(?:vad|hur|vilk\w*|när|i så fall)\b|\?|$)",
    re.IGNORECASE,
)
_CONTENT_WORD_RE = re.compile(r"[^\W\d_][\w-]*")
_CONJUNCTIONS = {"och", "eller", "samt"}
# Words that say how or for whom, not what the topic is ("stöd till föräldrar": föräldrar)
_TOPIC_GENERIC = set(
    """folk personer invånare invånarna människor stöd stödet hjälp arbete statsbidraget
    bidraget bidrag pengarna fler mer nya nytt ny ut upp in till fram""".split()
)


def topic_head(question: str, municipality_words: set[str], pattern=_OPEN_TOPIC_RE) -> str | None:
    """The first word of the topic a "Vad har X gjort för/med/inom ..." question asks about
    ("bredbandet" of "för att bygga ut bredbandet på landsbygden"), or None."""
    m = pattern.search(question)
    if not m:
        return None
    words = [
        w
        for w in re.findall(r"[^\W\d_][\w-]*", m.group(2))
        if w.lower() not in STOP_WORDS
        and w.lower() not in _GENERIC  # the frame words informative_words drops
        and w.lower() not in _TOPIC_GENERIC
        and w.lower() not in municipality_words
    ]
    if (m.group(1) or "").lower() in ("för att", "till att", "på att"):
        words = words[1:]  # the verb: "bygga", "stötta", "skapa"
    return words[0] if words and len(words[0]) >= 4 else None


@dataclass(frozen=True)
class Question:
    """A question as the answer path reads it. Fields that name a kind of question are empty
    (False, None, ()) when the question is not of that kind."""

    text: str
    municipalities: tuple[str, ...] = ()  # named in the text (understand)
    years: tuple[int, ...] = ()  # the years to search
    named_years: tuple[int, ...] = ()  # the years the text asks about
    compares_years: bool = False
    answer_type: str = "description"  # one of assistant.qa.reader.ANSWER_TYPES
    words: tuple[str, ...] = ()  # informative words, municipality names aside
    asked: frozenset[str] = frozenset()  # every word and figure of the text, lower case
    follow_up: bool = False  # "Och i Hofors?": continues the previous question
    which_municipalities: bool = False  # "Vilka kommuner ...?"
    # a figure answers: "Hur många/mycket ...", "Vad kostade ...", "Vilken hyra ..."
    quantity: bool = False
    counts: bool = False  # "Hur många ..."
    counted_noun: str | None = None  # "pappor" of "Hur många pappor ...?"
    counted_phrase: str = ""  # the noun with a counting adjective: "extra vuxna"
    counted_pair: str | None = None  # "pappor" of "Hur många mammor och pappor ...?"
    new_one: bool = False  # "Hur många deltog i den nya gruppen ...?"
    partitive: bool = False  # "Hur många av ..."
    percent: bool = False  # "procent", "andel"
    money: bool = False  # a cost, budget, outcome
    change: bool = False  # "Hur mycket minskade ...?"
    # "mellan flickor och pojkar": the informative words without the split, else None
    gender_split: tuple[str, ...] | None = None
    languages: frozenset[str] = frozenset()  # languages named, "svenska" aside
    # a name answers: "Vad heter ...?", "Vilka företag ...?"
    name_question: bool = False
    organisations: str | None = None  # the kind of organisation: "industriföretag"
    named_words: tuple[str, ...] = ()  # what the name is of: "samordnaren", "industriföretag"
    person: bool = False  # the name of a person asked by role ("samordnaren")
    # the first word of the topic a "Vad har X gjort för ...?" question asks about, and of
    # one asked of all reports ("Har någon kommun erbjudit skuldrådgivning?"); see silence.py
    topic: str | None = None
    any_topic: str | None = None
    # the word that completes the question word: "stor" of "Hur stor andel ...?", "hög" of
    # "Hur hög var ...?"; it asks how much, it names no topic the reports must mention
    frame: str | None = None
    asks_work: bool = False  # what was done: "Vad har X gjort ...?", "Vilka insatser ...?"

    @property
    def asks_name(self) -> bool:
        return self.name_question or self.organisations is not None

    def alternatives(self, words: list[str] | None = None) -> list[list[str]]:
        """The content words (`words`, in question order; default: the informative words)
        grouped: words joined by "och"/"eller"/"samt" (with at most one word between the
        conjunction and the second word: "digitalisering eller digital kompetens") form one
        group, any of which answers it ("Vilka kommuner erbjuder föräldraskapsstöd eller
        föräldragrupper?"); every other word is its own group."""
        content = list(self.words if words is None else words)
        tokens = _CONTENT_WORD_RE.findall(self.text)
        parent = {w: w for w in content}

        def root(w: str) -> str:
            while parent[w] != w:
                w = parent[w]
            return w

        for i, tok in enumerate(tokens):
            if tok.lower() not in _CONJUNCTIONS:
                continue
            left = next((t for t in reversed(tokens[max(0, i - 2) : i]) if t in parent), None)
            right = [t for t in tokens[i + 1 : i + 3] if t in parent]
            if left is None or not right:
                continue
            for r in right:
                parent[root(r)] = root(left)
        groups: dict[str, list[str]] = {}
        for w in content:
            groups.setdefault(root(w), []).append(w)
        return list(groups.values())


def counted_noun(question: str) -> str | None:
    """The noun a 'Hur många X ...?' question counts, or None ('Hur många deltog?',
    'Hur många besvarade enkäten?': a verb in the past tense, people not named)."""
    m = _COUNT_RE.search(question)
    if not m:
        return None
    for word in m.groups():
        if word and PAST_TENSE_RE.search(word.lower()):
            return None
        if word and word.lower() not in NOT_COUNTED:
            return word
        # "Hur många nya X", "Hur många ur personalen": the next word is counted
        if word and word.lower() not in COUNT_ADJECTIVES and word.lower() != "ur":
            return None  # a verb or preposition: the count is of people, unnamed
    return None


def follows_up(text: str) -> bool:
    """Does the text continue a previous question ('Och i Hofors?', 'Vad kostade det?'):
    a follow-up opening or ending, or three words or fewer?"""
    words = re.findall(r"[^\W\d_]{3,}", text)
    return bool(_FOLLOW_UP_RE.search(text.strip()) or len(words) <= 3)


def without_filters(text: str, municipalities: list[str]) -> str:
    """The text without the municipality names (and their genitives) and years it names:
    the topic a follow-up carries on."""
    for name in municipalities:
        text = re.sub(re.escape(name) + r"s?", "", text)
    return _YEAR_RE.sub("", text)


def _counted(text: str, noun: str | None) -> tuple[str, str | None]:
    """The counted noun with its counting adjective ("extra vuxna"), and the word it is paired
    with ("mammor och pappor")."""
    if not noun:
        return "", None
    adjective = re.search(rf"\b(\w+)\s+{re.escape(noun)}\b", text)
    with_adjective = adjective and adjective.group(1).lower() in COUNT_ADJECTIVES
    phrase = f"{adjective.group(1)} {noun}" if with_adjective else noun
    pair = re.search(rf"\b{re.escape(noun)}\s+(?:och|eller)\s+([^\W\d_][\w-]*)", text, re.I)
    return phrase, pair.group(1) if pair else None


def parse_question(
    text: str, *, municipalities=(), municipality_words: set[str] | frozenset[str] = frozenset()
) -> Question:
    """Parse `text` once. `municipalities`: the known ingest.metadata.Municipality list (for
    the names and years it names); `municipality_words`: their lower-case names and genitives
    (not informative words)."""
    understood = understand(text, list(municipalities))

    def words(of: str) -> tuple[str, ...]:
        return tuple(informative_words(of, set(municipality_words)))

    counting = bool(_COUNT_RE.search(text))
    noun = counted_noun(text)
    phrase, pair = _counted(text, noun)
    named = _NAMED_THING_RE.search(text)
    kind = ORGANISATIONS_QUESTION_RE.search(text)
    named_words = named.group(1).split() if named else []
    if kind and not _ANY_ORGANISATION.search(kind.group(1)):
        named_words.append(kind.group(1))
    return Question(
        text=text,
        municipalities=tuple(understood.municipalities),
        years=tuple(understood.years),
        named_years=tuple(understood.named_years),
        compares_years=understood.compares_years,
        answer_type=answer_type(text),
        words=words(text),
        asked=frozenset(w.lower() for w in _WORD_RE.findall(text)),
        follow_up=follows_up(text),
        which_municipalities=bool(WHICH_MUNICIPALITIES_RE.search(text)),
        quantity=bool(QUANTITY_RE.search(text)),
        counts=counting,
        counted_noun=noun,
        counted_phrase=phrase,
        counted_pair=pair,
        new_one=bool(_NEW_ONE_RE.search(text)) and counting,
        partitive=bool(PARTITIVE_QUESTION_RE.search(text)),
        percent=bool(PERCENT_QUESTION_RE.search(text)),
        money=bool(MONEY_QUESTION_RE.search(text)),
        change=bool(_CHANGE_QUESTION_RE.search(text)),
        gender_split=(
            words(_GENDER_SPLIT_RE.sub(" ", text)) if _GENDER_SPLIT_RE.search(text) else None
        ),
        languages=frozenset(LANGUAGE_RE.findall(text)) - {"svenska"},
        name_question=bool(NAME_QUESTION_RE.search(text)),
        organisations=kind.group(1) if kind else None,
        named_words=tuple(named_words),
        person=bool(named_words and _PERSON_ROLE_RE.fullmatch(named_words[-1])),
        topic=topic_head(text, set(municipality_words)),
        any_topic=topic_head(text, set(municipality_words), _ANY_TOPIC_RE),
        frame=frame.group(1) if (frame := _FRAME_RE.search(text)) else None,
        asks_work=bool(_WORK_RE.search(text)),
    )
