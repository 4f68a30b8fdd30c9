"""The pre-checks of the suggestion features never hide a match (claims.text.features).

A case-insensitive rule (months, relative dates, comparison and attribution phrases) runs
on a sentence only when a word it needs is among the sentence's folded words. That is
exact only if fold() equates every character the regex case folding equates with a
letter of those words, and keeps every character one character of the same kind (word or
not), so that whole words stay whole words. Both are checked here on every code point.

The model's tokens are made from the features' words when those are the same tokens
(claims.text.model.tokens_of_words): checked here against tokens(), with lower() keeping
each character's kind on every code point.
"""

import re
import sys

import pytest

from claims.text import features, model
from claims.text.words import LIST_LANGUAGES, MONTHS, words_for

EVERY_CHARACTER = "".join(
    chr(code) for code in range(sys.maxunicode + 1) if not 0xD800 <= code <= 0xDFFF
)


def _rule_words():
    phrases = list(MONTHS)
    for language in LIST_LANGUAGES:
        lists = words_for(language)
        phrases += list(lists["comparison"]) + list(lists["attribution"])
        phrases += list(lists["relative_dates"])
    return phrases


def test_the_fold_keeps_every_character_one_character_of_the_same_kind():
    folded = features.fold(EVERY_CHARACTER)
    assert len(folded) == len(EVERY_CHARACTER)
    word = re.compile(r"\w")
    assert [m.start() for m in word.finditer(folded)] == [
        m.start() for m in word.finditer(EVERY_CHARACTER)
    ]


@pytest.mark.parametrize("letter", sorted({c for p in _rule_words() for c in p if c.isalnum()}))
def test_the_fold_equates_what_the_case_insensitive_rules_equate(letter):
    same = re.compile(re.escape(letter), re.IGNORECASE).findall(EVERY_CHARACTER)
    assert {features.fold(char) for char in same} == {features.fold(letter)}, same


LINES = [
    "The ministry said on Monday that more than 41.2% left.",
    "MORE THAN half, the agency SAID, a YEAR LATER.",
    "İncrease of 5% and \u017feptember figures, according to \u212aiev.",
    "Last week's figures were the highest, he told reporters; up-to-date records.",
    "По данным министерства, более 100 человек, сообщили в понедельник.",
    "Laut Angaben stieg die Zahl um mehr als 10 Prozent, sagte Berlin im März.",
    "Selon le ministère, jusqu'à 20 pour cent de plus, a déclaré Paris.",
    "Según el Gobierno, más de 20 por ciento, dijo Madrid en comparación con 2020.",
    "Вчера и на прошлой неделе; у п’ятницю та минулого року; gestern, letzte Woche.",
    "Aujourd’hui et l'an dernier, hier; ayer, el año pasado y este año.",
    "said_x and xsaid and said2 are not said; records_ and record-breaking are.",
]


@pytest.mark.parametrize("language", ["en", "ru", "de", "fr", "es", "uk"])
def test_the_phrase_pre_checks_never_hide_a_phrase(language):
    lists = features.lists_for(language)
    rules = [lists.comparison_rule, lists.attribution_rule, lists.relative_dates_rule]
    for line in LINES:
        runs = features.folded_words(line)
        for rule in rules:
            assert rule.findall(line, runs) == rule.pattern.findall(line)


def test_the_pieces_of_the_words_hold_every_folded_word_without_an_underscore():
    texts = LINES + ["I’m at the U.S.-led co-op's HQ_2 on 3.5.2021, ſo İt said_x."]
    for text in texts:
        words_lower = [w.lower().replace("’", "'") for w in features.words_of(text)]
        pieces = features._folded_pieces(text, words_lower)
        assert {w for w in features.folded_words(text) if "_" not in w} <= pieces, text


def test_lower_casing_keeps_each_character_one_of_the_same_kind_but_the_dotted_capital_i():
    text = EVERY_CHARACTER.replace("\u0130", "")
    lowered = text.lower()
    assert len(lowered) == len(text)
    for kind in (r"\w", r"\d", r"[^\W\d_]", r"['’.\- ]"):
        kind = re.compile(kind)
        assert [m.start() for m in kind.finditer(lowered)] == [
            m.start() for m in kind.finditer(text)
        ]


@pytest.mark.parametrize(
    "text",
    LINES
    + [
        "",
        "—",
        "The U.S.-led co-op’s rock'n'roll won’t stop.",
        "Covid19 hit 9,000 people in 2021 (5%), and ²three more.",
        "İSTANBUL and ΟΔΟΣ:Α and ΟΔΟΣ Α, ſo it goes.",
        "Plain words only, with “quotes” and ‘single’ ones – dashes too.",
    ],
)
def test_tokens_made_from_the_words_are_the_tokens_of_the_text(text):
    assert model.tokens_of_words(text, features.words_of(text)) == model.tokens(text)
