"""Languages in claims.text: identification, stemming by language for passages, word lists
per language for suggestions, and the tokenisation fixes (decimals, "I'm")."""

import pytest

from claims.text.features import actors, known_names, sentence_features, words_of
from claims.text.language import guess_language
from claims.text.passages import match_passages
from claims.text.stemming import stemmer_for, terms
from claims.text.suggest import analyse, boilerplate_reason, suggest_claims

# Written for these tests: a Russian ministry page (navigation, distractors sharing words,
# the passage a reviewer would pick), and a claim that inflects the same words differently.
RUSSIAN_SOURCE = """Министерство обороны Республики Беларусь
Главная | Новости | Контакты
Сотрудничество в области противовоздушной обороны
Союзное государство давно проводит совместные учения. Учения проходят регулярно.
3 февраля 2009 года в Москве президенты России и Белоруссии подписали соглашение о \
совместной охране внешней границы Союзного государства в воздушном пространстве и о создании \
единой региональной системы противовоздушной обороны.
Соглашение вступило в силу после ратификации парламентами обеих стран.
В 2017 году протокол уточнил порядок управления региональной системой.
В 2022 году в Белоруссии была развернута региональная группировка войск численностью \
несколько тысяч военнослужащих.
Подпишитесь на нашу рассылку
"""
RUSSIAN_CLAIM = (
    "В 2009 году Москва и Минск подписали соглашение о совместной защите воздушных границ "
    "Союзного государства."
)


def test_a_russian_claim_finds_its_passage_in_a_russian_source():
    best = match_passages(RUSSIAN_CLAIM, RUSSIAN_SOURCE)[0]
    assert best.text.startswith("3 февраля 2009 года в Москве президенты")
    assert RUSSIAN_SOURCE[best.start : best.end] == best.text
    # "Москва" matches "Москве", "воздушных" matches "воздушном": Russian stemming.
    assert {"2009", "Москва", "подписали", "соглашение", "воздушных"} <= set(best.terms)
    troops = match_passages(
        "В 2022 году в Белоруссию развернули тысячи военнослужащих.", RUSSIAN_SOURCE
    )
    assert troops[0].text.startswith("В 2022 году в Белоруссии была развернута")


def test_stemmers_follow_the_language():
    russian = stemmer_for("ru")
    assert russian("москва") == russian("москве") == russian("москвой")
    german = stemmer_for("de")
    assert german("verträge") == german("vertrag") or german("verträgen") == german("verträge")
    ukrainian = stemmer_for("uk")
    assert ukrainian("україни") == ukrainian("україна") == ukrainian("україною")
    english = stemmer_for("en")
    assert english("soldiers") == "soldier"


def test_decimals_stay_one_term_in_passages():
    assert [t for t, _ in terms("Inflation reached 41.2 percent, or 41,2 in Russian style.")][
        :3
    ] == ["inflation", "reach", "41.2"]
    text = (
        "Turnout was 41 percent in the north and 2 percent higher in the south.\n"
        "Turnout reached 41.2 percent nationwide, the commission said.\n"
    )
    best = match_passages("Turnout was 41.2 percent.", text, top=1)[0]
    assert best.text.startswith("Turnout reached 41.2 percent")
    assert "41.2" in best.terms
    assert match_passages("It cost 2.5 million.", "Two rooms and 5 chairs. Then 2 more.") == []


@pytest.mark.parametrize(
    "text, language",
    [
        ("Україна отримала нову партію військової допомоги від партнерів.", "uk"),
        ("Le gouvernement a annoncé une hausse des impôts de 5 %.", "fr"),
        ("El gobierno anunció un aumento del 5 % en los impuestos.", "es"),
        ("Der Bundestag hat das Gesetz am Freitag beschlossen.", "de"),
        ("Правительство объявило о повышении налогов на пять процентов.", "ru"),
        ("Il governo ha approvato la nuova legge sul bilancio.", "it"),
        ("Minsk 2009", ""),
        # Two words, when the identifier is sure of them; names alone are declined.
        ("C'est faux.", "fr"),
        ("Nie prawda.", "pl"),
        ("Das stimmt.", "de"),
        ("Нет данных.", "ru"),
        ("Joe Biden", ""),
        ("Angela Merkel", ""),
        ("Volodymyr Zelensky", ""),
    ],
)
def test_short_samples_in_the_desks_languages_are_identified(text, language):
    assert guess_language(text) == language


def test_a_forced_guess_still_needs_three_words():
    # Names alone would get a random language's stemmer in similarity keys.
    assert guess_language("Donald Trump", min_confidence=0) == ""
    assert guess_language("Это неправда, сказал он.", min_confidence=0) == "ru"


def test_i_am_is_first_person_not_a_named_actor():
    for sentence in ("Then I'm going to Paris.", "And I'll tell you, I'd do it.", "So I’ve won."):
        words = words_of(sentence)
        assert not any(a.startswith("I") and len(a) <= 4 for a in actors(words, set())), sentence
        keys = {f.key for f in sentence_features(sentence, words, set())}
        assert "first_person" in keys
    assert "I'm" not in known_names([words_of("Yes, I'm sure and I'll go.")])


def test_a_russian_article_is_scored_with_russian_lists_and_keeps_furniture_out():
    body = (
        "Подписаться\n"
        "Фото: РИА Новости / Иван Петров\n"
        "В 2009 году Москва и Минск подписали соглашение о совместной охране границы, "
        "сообщило Министерство обороны.\n"
        "Возможно, мы думаем, что армия будет расти.\n"
    )
    suggestions, dropped = analyse(body)
    assert {d.text for d in dropped} >= {"Подписаться", "Фото: РИА Новости / Иван Петров"}
    first, second = suggestions
    assert first.text.startswith("В 2009 году")
    assert (first.language, first.scorer) == ("ru", "features")
    assert "date (2009)" in first.reason and "attributed" in first.reason
    assert "less checkable: prediction or opinion" in second.reason
    assert first.score > second.score


def test_english_suggestions_carry_the_words_that_moved_the_model():
    text = (
        "The unemployment rate fell to 3.5 percent in 2019, the lowest in fifty years. "
        "I think we should all be grateful tonight for the people here."
    )
    first, second = suggest_claims(text)
    assert first.text.startswith("The unemployment rate")
    assert first.scorer == "model" and first.worthy and not second.worthy
    raised = [r for r in first.reasons if r.effect == "raised"]
    assert any(r.kind == "feature" and r.label.startswith("date (2019") for r in raised)
    assert any(r.kind == "word" for r in raised)
    lowered = [r for r in second.reasons if r.effect == "lowered"]
    assert lowered, second.reasons
    assert "words for:" in first.reason


def test_the_shipped_model_records_its_provenance_and_measures():
    from claims.text.model import MODEL_PATH, load

    model = load()
    assert model.languages == {"en"} and 0 < model.threshold < 1
    assert MODEL_PATH.stat().st_size < 20 * 1024 * 1024
    assert (MODEL_PATH.parent / "ORIGIN.md").read_text().count("CheckThat!") >= 2


def test_train_checkworthiness_refuses_a_folder_without_the_data(tmp_path):
    from django.core.management import CommandError, call_command

    with pytest.raises(CommandError, match="no CheckThat! data"):
        call_command(
            "train_checkworthiness", "--data", str(tmp_path), "--output", str(tmp_path / "m")
        )


def test_german_common_nouns_are_not_named_actors():
    lines = [
        "Bundeskanzler Olaf Scholz hat am Dienstag in Berlin ein Hilfspaket für die Ukraine "
        "angekündigt.",
        "Vielleicht wird die Summe im nächsten Jahr noch steigen, meinen einige Beobachter.",
        "Die Inflation lag bei 3,8 Prozent, teilte das Statistische Bundesamt mit.",
        "Nach Angaben des Verteidigungsministeriums kostet es 500 Millionen Euro.",
    ]
    words = [words_of(line) for line in lines]
    names = known_names(words)
    found = [actors(each, names, "de") for each in words]
    assert found[0] == ["Olaf Scholz", "Berlin", "Ukraine"]
    assert found[1] == []  # "die Summe", "im nächsten Jahr", "einige Beobachter"
    assert "Bundesamt" in found[2] and "Inflation" not in found[2] and "Prozent" not in found[2]
    assert "Verteidigungsministeriums" in found[3] and "Millionen Euro" not in found[3]
    # The rule is German's: English keeps every capitalised run.
    assert "Hilfspaket" in actors(words[0], names, "en")


def test_ukrainian_months_number_words_and_official_actions_count():
    text = "Уряд 3 лютого 2024 року виділив 2 мільярди гривень, повідомило Міністерство фінансів."
    found = {f.key: f.items for f in sentence_features(text, words_of(text), set(), "uk")}
    assert "лютого" in found["date"] and "мільярди" in found["number"]
    assert found["action"] == ("виділив",)
    # Whole month names only: "трава" (grass) and "червоний" (red) are no months.
    grass = "Червоний прапор лежав на траві біля будинку, де працювали люди."
    assert "date" not in {f.key for f in sentence_features(grass, words_of(grass), set(), "uk")}


@pytest.mark.parametrize(
    "share, reprint",
    [
        (
            "Partager cet article sur Facebook ou par e-mail avec vos amis.",
            "Reproduction interdite sans autorisation de la rédaction.",
        ),
        (
            "Comparte este artículo en Facebook o por correo con tus amigos.",
            "Prohibida su reproducción sin autorización expresa del editor.",
        ),
        (
            "Поділіться цією статтею у Facebook або електронною поштою з друзями.",
            "Передрук лише з дозволу редакції, з посиланням на джерело.",
        ),
        (
            "Поделитесь этой статьей в Facebook или по почте с друзьями.",
            "Перепечатка материалов возможна только с письменного разрешения редакции.",
        ),
        (
            "Teilen Sie diesen Artikel auf Facebook oder per E-Mail mit Freunden.",
            "Kopieren nur mit Genehmigung der Redaktion gestattet.",
        ),
        (
            "Share this article on Facebook or by email with your friends.",
            "This material may not be reproduced without written permission.",
        ),
    ],
)
def test_share_and_reprint_notices_are_furniture_in_the_desks_languages(share, reprint):
    for furniture in (share, reprint):
        assert boilerplate_reason(furniture, words_of(furniture)) == (
            "site prompt (subscribe, share, log in, more news)"
        ), furniture


@pytest.mark.parametrize(
    "language, sentence, dates",
    [
        (
            "ru",
            "Вчера министерство сообщило о 300 погибших на прошлой неделе.",
            ["Вчера", "на прошлой неделе"],
        ),
        (
            "uk",
            "У п’ятницю уряд виділив 2 мільярди гривень, як і минулого року.",
            ["п’ятницю", "минулого року"],
        ),
        (
            "de",
            "Gestern teilte das Ministerium mit, seit Montag seien 300 Soldaten verlegt.",
            ["Gestern", "Montag"],
        ),
        (
            "fr",
            "Hier, le ministère a annoncé 300 morts la semaine dernière.",
            ["Hier", "la semaine dernière"],
        ),
        (
            "es",
            "Ayer el ministerio anunció 300 muertos, más que el año pasado.",
            ["Ayer", "el año pasado"],
        ),
    ],
)
def test_relative_dates_count_in_the_desks_languages(language, sentence, dates):
    words = words_of(sentence)
    found = {f.key: f.items for f in sentence_features(sentence, words, set(), language)}
    assert set(dates) <= set(found["date"])
    assert "Montag" not in actors(words, set(), language)


def test_german_hier_is_here_not_yesterday():
    sentence = "Hier hat die Regierung 300 Soldaten stationiert, sagte das Ministerium."
    found = {f.key for f in sentence_features(sentence, words_of(sentence), set(), "de")}
    assert "date" not in found
