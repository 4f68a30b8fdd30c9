"""The fast suggestion path gives exactly what the straightforward one gave.

tests/support/suggest_reference.py keeps the scoring path as it was before issue 13's
speed work (every regex on every sentence, every term a Contribution, full sorts); the
shipped path must produce the same suggestions, scores, reasons and dropped lines, to
the last float. The CT24 sample is the first 160 sentences of CheckThat! 2024 English
dev-test (claims/text/data/ORIGIN.md has its provenance), one paragraph each.
"""

from pathlib import Path

import pytest

from claims.text import features
from claims.text.model import load
from claims.text.suggest import analyse
from tests.support import suggest_reference as reference

HERE = Path(__file__).resolve().parent
SEED = HERE.parent / "claims" / "demo" / "sputnik-russia-belarus-2023-12-13.txt"
CT24_SAMPLE = HERE / "data" / "suggest" / "ct24-dev-test-sample.txt"
# Dates written every way the month rule knows, and ways it must not be fooled.
DATES = """On 13 December 2023 the ministry said 41.2% of 9,000 soldiers left in mid-March.
The treaty was signed in Sept. 2019 and ratified on May 5th, by Moscow, not in may.
Marching bands played in DECEMBER; the decembrist revolt failed in 1825, historians said.
В декабре 2023 года Минск подписал соглашение, сообщило министерство 5 мая.
Am 3. März 2023 wurde der Vertrag im Bundestag beschlossen, sagte Berlin im Oktober.
Le 14 juillet 2022, Paris a signé un accord avec Madrid, selon le ministère en août.
El 2 de enero de 2020 el Gobierno firmó el acuerdo, dijo Madrid el pasado mayo 2021.
The ſeptember figures and the \u212aelvin scale came up in 2021, the agency said.
Last year, yesterday and next month the Agency for Statistics reported 3 numbers.
İstanbul hosted NATO in 2004, officials said, and Ankara agreed in November."""

FURNITURE = """Photo: AP / John Smith
(c) 2020 Example Media. All rights reserved, the company said in 2020.
Getty Images / Staff: the minister signed the decree on Monday, 3 May 2021.
Фото: РИА Новости / Иван Петров
Subscribe to our newsletter for 5 more stories from Moscow.
The talks - Sputnik International, 1920, 13.12.2023
Officials said: 41,000 troops | 12 brigades took part in 2022."""


def _texts():
    yield "seed", SEED.read_text(encoding="utf-8")
    yield "ct24", CT24_SAMPLE.read_text(encoding="utf-8")
    yield "dates", DATES
    yield "dates, one sentence each", DATES.replace("\n", "\n\n")
    yield "furniture", FURNITURE


@pytest.mark.parametrize("name, text", list(_texts()), ids=lambda v: v[:20])
def test_the_fast_path_suggests_exactly_what_the_reference_path_did(name, text):
    assert analyse(text) == reference.analyse(text)


def test_the_month_pre_check_never_hides_a_month_the_full_rule_finds():
    lines = CT24_SAMPLE.read_text(encoding="utf-8").split("\n\n") + DATES.splitlines()
    lines += ["ſeptember 3", "\u212aelvin", "MAI 2020", "5 МАЯ", "dic.", "Déc 1999"]
    for line in lines:
        assert features.month_mentions(line) == features._MONTH.findall(line), line


def test_the_model_scores_every_dev_test_sentence_as_the_reference_does():
    model = load()
    for line in CT24_SAMPLE.read_text(encoding="utf-8").split("\n\n"):
        values = {"f:number": 1.0, "f:actors": 2 / 3}
        logit, parts = model.contributions(line, values)
        assert (logit, parts) == reference.contributions(model, line, values)
        assert model.logit(line, values) == logit


def test_the_calendar_word_pre_check_agrees_with_the_full_rule():
    text = "\n".join(t for _, t in _texts())
    words = features.words_of(text) + ["ſeptember", "İyun", "Марта", "DEC", "Decembrist", "Mai"]
    for word in words:
        assert features._is_calendar_word(word) == reference._is_calendar_word(word), word
