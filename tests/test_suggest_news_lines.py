"""News-page lines that are not statements: credits, bylines, date lines, link labels.

Trafilatura keeps them in a page's text (Reuters' "Reporting by ...; Editing by ...", BBC's
"Image caption, ...", CNN's "Updated 3:45 PM EST, ..."), and they read like claims to the
scorer: dates, names, numbers. They are dropped in front of it, in the desk's languages,
while statements that start with the same words stay.
"""

from pathlib import Path

import pytest

from claims.text.features import words_of
from claims.text.suggest import analyse, boilerplate_reason, news_line_reason

CT24_SAMPLE = Path(__file__).resolve().parent / "data" / "suggest" / "ct24-dev-test-sample.txt"


@pytest.mark.parametrize(
    "line, why",
    [
        ("Reporting by Andrew Osborn in Moscow; Editing by Mark Heinrich.", "byline"),
        ("Additional reporting by Guy Faulconbridge in London.", "byline"),
        ("Writing by Andrew Osborn; Editing by Mark Heinrich and Frances Kerry.", "byline"),
        ("By Andrew Roth in Moscow and Pjotr Sauer in Berlin.", "byline"),
        ("By Jane Doe and John Smith, CNN.", "byline"),
        ("Von Anna Müller und Jan Berg, Berlin.", "byline"),
        ("Par Jean Dupont et Marie Martin, à Paris.", "byline"),
        ("Image caption, Russian troops took part in drills in Belarus in 2022.", "credit"),
        ("(Photo by Alexander Nemenov/AFP via Getty Images)", "credit"),
        ("Copyright 2023 The Associated Press.", "credit"),
        ("Updated 3:45 PM EST, Wed December 13, 2023.", "date line"),
        ("Last updated on 14 December 2023 at 10:32 GMT.", "date line"),
        ("Published: Wed 13 Dec 2023 10.32 GMT.", "date line"),
        ("Mis à jour le 13 décembre 2023 à 10h32.", "date line"),
        ("Aktualisiert am 13.12.2023, 10:32 Uhr.", "date line"),
        ("Обновлено 13 декабря 2023, 10:32 МСК.", "date line"),
        ("Оновлено 13 грудня 2023 року, 10:32.", "date line"),
        ("Actualizado el 13 de diciembre de 2023, 10:32 CET.", "date line"),
        ("Watch: Footage shows Russian tanks crossing into Belarus in 2022.", "label"),
        ("МОСКВА, 13 дек — РИА Новости.", "dateline"),
        ("МИНСК, 13 декабря – Sputnik.", "dateline"),
        ("KYIV, Dec 13 (Reuters).", "dateline"),
        ("NEW YORK, Dec 13 (Reuters).", "dateline"),
        ("ЙОШКАР-ОЛА, 13 декабря — РИА Новости.", "dateline"),
        ("Подписывайтесь на наш канал в Telegram, чтобы первыми узнавать новости.", "prompt"),
        ("Підписуйтесь на наш канал у Telegram, щоб першими дізнаватися новини.", "prompt"),
        ("Tags: Russia, Belarus, nuclear weapons, defence, Minsk.", "label"),
        ("Editor's note: This story has been updated with comment from the Kremlin.", "label"),
        ("Correction: An earlier version of this article misstated the number of troops.", "label"),
        ("The Associated Press contributed to this report.", "site prompt"),
        ("Click to share on Twitter (Opens in new window).", "site prompt"),
        ("Continue reading the main story.", "site prompt"),
        ("Our Standards: The Thomson Reuters Trust Principles.", "site prompt"),
        ("Listen to this article, 5 minutes.", "site prompt"),
        ("Explore more on these topics: Russia, Belarus, Nuclear weapons.", "site prompt"),
        (
            "This article was originally published on The Conversation under a Creative "
            "Commons license.",
            "site prompt",
        ),
    ],
)
def test_news_page_lines_are_dropped_with_their_reason(line, why):
    assert why in boilerplate_reason(line, words_of(line))


@pytest.mark.parametrize(
    "statement",
    [
        "By 2030, the EU plans to cut emissions by 55 percent.",
        "By Monday, Russia had moved 30,000 troops to the border.",
        "Published figures show that 41% of soldiers left in 2023.",
        "Updated 2023 figures show unemployment fell to 4 percent.",
        "Published on Monday, the report said 41% of soldiers had left.",
        "Reporting by the New York Times found 300 cases in 2021.",
        "Photos of the parade show 40 tanks in Red Square on 9 May 2023.",
        "Copyright law was reformed in 2019, the European Commission said.",
        "Corrections officers said 300 inmates were moved in 2021.",
        "Recommended doses were halved in 2020, the ministry said.",
        "Von Berlin aus hat die Regierung 500 Soldaten nach Litauen geschickt.",
        "Par ailleurs, le gouvernement a annoncé 3 milliards d'euros en 2024.",
        "NATO, which has had 31 members since 2023, said it would send 300 troops.",
        "THE MINISTRY, 2023: 300 soldiers were deployed in Belarus that year.",
        "МОСКВА, по данным мэрии, потратила 3 миллиарда рублей в 2023 году.",
    ],
)
def test_statements_that_start_like_them_stay(statement):
    assert news_line_reason(statement) is None
    assert boilerplate_reason(statement, words_of(statement)) is None


def test_no_debate_sentence_of_the_ct24_sample_is_taken_for_a_news_line():
    sentences = [line for line in CT24_SAMPLE.read_text(encoding="utf-8").split("\n") if line]
    assert len(sentences) >= 100
    assert [s for s in sentences if news_line_reason(s)] == []


def test_a_wire_story_suggests_its_statements_and_none_of_its_credits():
    body = (
        "Russia moves nuclear weapons to Belarus\n"
        "By Andrew Osborn and Guy Faulconbridge\n"
        "Updated 3:45 PM EST, Wed December 13, 2023\n"
        "Image caption, Russian troops took part in drills in Belarus in 2022. "
        "Photo: Reuters\n"
        "In 2009, Moscow and Minsk signed an agreement on joint protection of the border.\n"
        "The defence ministry said 9,000 soldiers were deployed in Belarus in 2022.\n"
        "Watch: Footage shows Russian tanks crossing into Belarus in 2022.\n"
        "Reporting by Andrew Osborn in Moscow; Editing by Mark Heinrich.\n"
        "Our Standards: The Thomson Reuters Trust Principles.\n"
    )
    suggestions, dropped = analyse(body)
    assert sorted(s.text[:20] for s in suggestions) == [
        "In 2009, Moscow and ",
        "The defence ministry",
    ]
    reasons = {d.text[:12]: d.why for d in dropped}
    assert reasons["Image captio"] == "photo or copyright credit"
    assert reasons["Reporting by"] == "byline or credit line"
    assert reasons["Updated 3:45"] == "date line (published or updated)"
