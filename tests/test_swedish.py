"""Swedish analysis: tokens, stop words, stemming, numbers, compounds."""

import pytest

from vectorstore.swedish import CompoundSplitter, analyze, derived_base, tokenize

pytestmark = pytest.mark.unit


def test_stop_words_dropped_content_words_kept():
    toks = tokenize("Det är inte så att kommunen har en budget för år 2023")
    assert toks == ["kommunen", "budget", "2023"]


def test_stemming_conflates_inflections():
    assert analyze("kommunen") == analyze("kommunens") == analyze("kommun")
    assert analyze("aktiviteterna") == analyze("aktiviteter") == analyze("aktivitet") == ["aktivit"]


def test_nfkc_lowercase_and_swedish_letters():
    # Full-width letters and a ligature, as PDF extraction sometimes yields.
    assert tokenize("ＫＯＭＭＵＮ ﬁnansiering Åtgärder Östra") == [
        "kommun",
        "finansiering",
        "åtgärder",
        "östra",
    ]


def test_numbers_with_group_spaces_are_one_term():
    assert tokenize("totalt 1 200 000 kr") == ["totalt", "1200000"]
    # No-break and narrow no-break spaces inside the number, as in reports.
    assert tokenize("1\u00a0200\u202f000") == ["1200000"]
    # A year next to a number is not glued to it: 2023 has four digits.
    assert tokenize("2023 200 barn") == ["2023", "200", "barn"]


def test_abbreviation_fragments_dropped():
    assert tokenize("bl.a. t.ex. skolor m.m.") == ["skolor"]


def test_splitter_uses_corpus_vocabulary_and_linking_s():
    sp = CompoundSplitter.from_texts(["aktiviteter under sommarlovet"])
    assert sp.split("sommarlovsaktiviteter") == ["sommarlov", "aktivit"]
    # Unattested parts: no split.
    assert CompoundSplitter.from_texts(["helt annat"]).split("sommarlovsaktiviteter") == []


def test_splitter_emits_whole_word_and_parts():
    sp = CompoundSplitter.from_texts(["stöd till föräldrar"])
    terms = analyze("föräldraskapsstöd", sp)
    assert terms[0] == "föräldraskapsstöd"
    assert {"föräldraskap", "stöd"} <= set(terms)
    # Derivational base shared with the plain word.
    assert set(analyze("föräldrar")) & set(terms) == {"föräldr"}


def test_splitter_prefers_frequent_parts():
    # "bilparken" splits as "bil|parken" or "bilp|arken"; both are attested,
    # and the split whose parts are more frequent wins, whichever comes first.
    assert CompoundSplitter({"bil": 9, "parken": 9, "bilp": 1, "arken": 1}).split("bilparken") == [
        "bil",
        "park",
    ]
    assert CompoundSplitter({"bil": 1, "parken": 1, "bilp": 9, "arken": 9}).split("bilparken") == [
        "bilp",
        "ark",
    ]


def test_splitter_three_parts_and_no_stop_word_parts():
    sp = CompoundSplitter({"barn": 3, "omsorg": 3, "plan": 3, "skola": 3})
    assert sp.split("barnomsorgsplan") == ["barn", "omsorg", "plan"]
    # "för" is a function word, not a compound constituent.
    assert sp.split("förskolan") == []


def test_short_words_are_not_split():
    sp = CompoundSplitter({"bar": 9, "nen": 9})
    assert sp.split("barnen") == []


def test_derived_base_requires_real_base():
    assert derived_base("utbildning") == "utbild"
    assert derived_base("ledning") is None  # base "led" too short to trust
    assert derived_base("kommun") is None


def test_splitter_prefers_fewer_parts_on_equal_frequency():
    sp = CompoundSplitter.from_texts(["verk samhet verksamhet berättelse"])
    assert sp.split("verksamhetsberättelse") == ["verksam", "berätt"]


def test_stemming_is_right_from_many_threads_at_once():
    """The web app answers questions in threads; a shared Snowball stemmer mixes up words."""
    import threading

    from vectorstore import swedish

    words = [
        f"{w}{suffix}"
        for w in ("kommun", "fritidsbank", "vårdnadshavar", "insats", "förälder")
        for suffix in ("", "en", "erna", "arna", "ens", "ernas")
    ]
    expected = {w: swedish.snowballstemmer.stemmer("swedish").stemWord(w) for w in words}
    errors: list[str] = []

    def work() -> None:
        for _ in range(200):
            swedish._stem_cache.clear()
            for w in words:
                try:
                    if swedish.stem(w) != expected[w]:
                        errors.append(w)
                except Exception as exc:  # noqa: BLE001 - any failure is the bug
                    errors.append(repr(exc))

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []


def test_neuter_definite_et_conflates_with_the_base_form():
    assert analyze("medborgarlöftet") == analyze("medborgarlöfte")
    assert analyze("projektet") == analyze("projekt")
    assert analyze("samhället") == analyze("samhälle")
    assert analyze("paket") != analyze("pak")  # short words keep their ending
