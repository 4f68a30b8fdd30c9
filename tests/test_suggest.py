"""Claim suggestion: segmentation offsets, boilerplate filtering and ranking."""

import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from claims.text.segmenter import split_sentences
from claims.text.suggest import MAX_TEXT_CHARS, analyse, suggest_claims

SEED = Path(__file__).resolve().parent.parent / "claims" / "demo"
SEED_FILE = SEED / "sputnik-russia-belarus-2023-12-13.txt"
BOILERPLATE = [
    "Subscribe",
    "Newsfeed",
    "loader",
    "Chats",
    "Military",
    "Multimedia",
    "0",
    "Заголовок открываемого материала",
    "To participate in the discussion",
    "log in or register",
    "Get the latest defense news from around the world",
    "SU-30SM, SU-35S, and SU-34 flying in formation",
    "© Sputnik / Viktor Tolochko",
    "Joint military drills of Russia and Belarus, February 2022 - Sputnik International",
    "Polonez-M",
    "How Deep Does Russia-Belarus Military Cooperation Go?",
]
DATED_STATEMENTS = [
    "Moscow has ratified an agreement with Minsk",
    "In 2009, Moscow and Minsk signed an agreement",
    "In 2022, a joint Russian-Belarussian military contingent of several thousand soldiers",
    "A year later, Moscow and Minsk agreed to have Russian tactical nuclear weapons",
    "every year since 2006 and biennially since 2009",
]


@pytest.fixture(scope="module")
def seed_text():
    return SEED_FILE.read_text(encoding="utf-8")


def test_every_sentence_of_the_seed_round_trips_its_offsets(seed_text):
    sentences = split_sentences(seed_text)
    assert sentences
    for sentence in sentences:
        assert seed_text[sentence.start : sentence.end] == sentence.text
    cyrillic = [s for s in sentences if s.text == "Заголовок открываемого материала"]
    assert len(cyrillic) == 1
    start = seed_text.index("Заголовок")
    assert (cyrillic[0].start, cyrillic[0].end) == (start, start + len(cyrillic[0].text))


def test_seed_suggestions_include_the_dated_statements_first(seed_text):
    suggestions = suggest_claims(seed_text)
    top = [s.text for s in suggestions[: len(DATED_STATEMENTS)]]
    for statement in DATED_STATEMENTS:
        assert any(statement in text for text in top), statement
    for s in suggestions:
        assert seed_text[s.start : s.end] == s.text
        assert 0 <= s.score <= 1
        assert s.reason


def test_seed_suggestions_contain_none_of_the_boilerplate(seed_text):
    texts = [s.text for s in suggest_claims(seed_text)]
    for furniture in BOILERPLATE:
        assert not any(text.startswith(furniture) for text in texts), furniture


def test_dropped_lines_say_why(seed_text):
    _, dropped = analyse(seed_text)
    why = {d.text: d.why for d in dropped}
    assert why["Subscribe"].startswith("site prompt")
    assert why["0"] == "counter or symbol, no words"
    credit = next(text for text in why if text.startswith("© Sputnik"))
    assert why[credit] == "photo or copyright credit"
    assert why["Заголовок открываемого материала"].startswith("too short")


def test_reason_names_the_features_that_made_the_score(seed_text):
    by_text = {s.text[:30]: s for s in suggest_claims(seed_text)}
    reason = by_text["In 2009, Moscow and Minsk sign"].reason
    assert "date (2009, 2017)" in reason
    assert "named actors (Moscow, Minsk" in reason
    assert "official action (signed" in reason
    assert "number (thousand)" in by_text["In 2022, a joint Russian-Belar"].reason


def test_ranking_is_deterministic(seed_text):
    assert suggest_claims(seed_text) == suggest_claims(seed_text)


@pytest.mark.parametrize(
    "text, expected",
    [
        (
            "Mr. Smith met Dr. Jones in the U.S. capital. They signed it on Jan. 5 at 3 p.m. "
            "and left.",
            [
                "Mr. Smith met Dr. Jones in the U.S. capital.",
                "They signed it on Jan. 5 at 3 p.m. and left.",
            ],
        ),
        (
            'He said "The treaty is dead." Then he left. Was it? Yes!',
            ['He said "The treaty is dead."', "Then he left.", "Was it?", "Yes!"],
        ),
        (
            "Inflation hit 3.5% in 2023. J. K. Rowling agreed.",
            ["Inflation hit 3.5% in 2023.", "J. K. Rowling agreed."],
        ),
        (
            "Это было в 2009 г. в Минске, т.е. давно. Договор подписали.",
            ["Это было в 2009 г. в Минске, т.е. давно.", "Договор подписали."],
        ),
        ("北京是首都。上海很大！", ["北京是首都。", "上海很大！"]),
        (
            "Der Vertrag wurde z.B. im Jan. unterzeichnet. Danach nicht.",
            ["Der Vertrag wurde z.B. im Jan. unterzeichnet.", "Danach nicht."],
        ),
        (
            "Er wurde am 3. März 2023 beschlossen. Born in 1999. March came.",
            ["Er wurde am 3. März 2023 beschlossen.", "Born in 1999.", "March came."],
        ),
    ],
)
def test_segmentation_copes_with_abbreviations_quotes_and_other_scripts(text, expected):
    sentences = split_sentences(text)
    assert [s.text for s in sentences] == expected
    for s in sentences:
        assert text[s.start : s.end] == s.text


def test_wrapped_lines_are_joined_but_short_lines_are_not():
    text = (
        "The ministry said on Monday that the agreement had been\n"
        "signed by both governments in Minsk.\nSubscribe\nloader\nlog in or register"
    )
    sentences = split_sentences(text)
    assert sentences[0].text == (
        "The ministry said on Monday that the agreement had been\n"
        "signed by both governments in Minsk."
    )
    assert [s.text for s in sentences[1:]] == ["Subscribe", "loader", "log in or register"]


def test_windows_line_endings_and_blank_lines_keep_offsets():
    text = "First claim was signed in 2009 by Moscow.\r\n\r\nSecond one in 2022 by Minsk.\r\n"
    for s in split_sentences(text):
        assert text[s.start : s.end] == s.text
    assert [s.text for s in split_sentences(text)] == [
        "First claim was signed in 2009 by Moscow.",
        "Second one in 2022 by Minsk.",
    ]


def test_credits_in_other_languages_are_dropped():
    _, dropped = analyse("Фото: РИА Новости / Иван Петров\nFoto: dpa / Max Mustermann, Berlin")
    assert [d.why for d in dropped] == ["photo or copyright credit"] * 2


def test_hedged_and_first_person_sentences_rank_below_plain_facts():
    text = (
        "We think the army might grow next year. "
        "The army grew by 12,000 soldiers in 2021, the ministry said."
    )
    ranked = suggest_claims(text)
    assert ranked[0].text.startswith("The army grew by 12,000")
    assert "less checkable" in ranked[1].reason


def test_empty_and_whitespace_text_give_no_suggestions():
    assert suggest_claims("") == []
    assert suggest_claims(" \n\n\t ") == []


def test_oversized_text_is_refused_not_processed():
    with pytest.raises(ValueError, match="limited to"):
        suggest_claims("a" * (MAX_TEXT_CHARS + 1))


def test_text_at_the_limit_gives_a_bounded_result():
    line = "In 2009, Moscow and Minsk signed an agreement on air defense, officials said. "
    text = (line * (MAX_TEXT_CHARS // len(line)))[:MAX_TEXT_CHARS]
    suggestions = suggest_claims(text, limit=10)
    assert len(suggestions) == 10
    assert all(text[s.start : s.end] == s.text for s in suggestions)


def test_suggest_claims_command_prints_ranked_suggestions(capsys):
    call_command("suggest_claims", str(SEED_FILE), "--limit", "3")
    out = capsys.readouterr().out
    assert out.splitlines()[0].startswith("  1. [2264-2442] score")
    assert "Subscribe" not in out


def test_suggest_claims_command_json_has_offsets_score_and_reason(capsys, seed_text):
    call_command("suggest_claims", str(SEED_FILE), "--json")
    document = json.loads(capsys.readouterr().out)
    assert document["characters"] == len(seed_text)
    first = document["suggestions"][0]
    assert set(first) == {
        *("rank", "start", "end", "text", "score", "reason"),
        *("reasons", "language", "scorer", "worthy"),
    }
    assert first["language"] == "en" and first["scorer"] == "model"
    assert {"label", "kind", "effect", "weight"} == set(first["reasons"][0])
    for item in document["suggestions"] + document["dropped"]:
        assert seed_text[item["start"] : item["end"]] == item["text"]
    assert {"Subscribe", "Заголовок открываемого материала"} <= {
        d["text"] for d in document["dropped"]
    }


def test_suggest_claims_command_refuses_bad_files(tmp_path):
    with pytest.raises(CommandError, match="cannot read"):
        call_command("suggest_claims", str(tmp_path / "missing.txt"))
    (tmp_path / "empty.txt").write_text("")
    with pytest.raises(CommandError, match="empty"):
        call_command("suggest_claims", str(tmp_path / "empty.txt"))
    (tmp_path / "latin1.txt").write_bytes("Caf\xe9 in 2009.".encode("latin-1"))
    with pytest.raises(CommandError, match="not UTF-8"):
        call_command("suggest_claims", str(tmp_path / "latin1.txt"))
    (tmp_path / "huge.txt").write_bytes(b"x" * (5 * 1024 * 1024))
    with pytest.raises(CommandError, match="limit"):
        call_command("suggest_claims", str(tmp_path / "huge.txt"))
