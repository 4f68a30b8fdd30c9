"""Built-in table of verdict labels fact-checkers publish, mapped onto our rating scale.

The ClaimReview importer reads a review's own label (`reviewRating.alternateName`, else
`name`) and looks it up here before it ever looks at the number: numbers mean different
things on different scales ("Falso" is 4 of 1..6 for one checker and 2 of 1..7 for
another), labels do not. Admins add or override labels in the admin (Rating labels),
and `import_claimreview --map THEIRS=OURS` overrides both for one import.

The targets are the labels of our default scale (claims/defaults.py): True, Mostly true,
Mixed, Mostly false, False, Unverifiable. The mapping is editorial: "misleading" in any
language is "Mostly false" (an element of truth used to mislead), "missing context" is
"Mixed", "unproven"/"no evidence" is "Unverifiable". Satire, opinion and labels that do
not rate truth are left out on purpose: such a review needs a person's `--map`.

Labels are checked against verdicts fact-checkers really published: the collection in
tests/data/claimreview/ and the table of Fact Check Tools API verdicts in the MuMiN
dataset's repository (MuMiN-dataset/mumin-trawl, data/verdict_annotations.csv), where
"Errado", "Mentira", "Predominantemente falso", "C'est faux", "C'est plutôt faux" and
"Mainly false" come from.

Pure data and one function: no Django (claims.text contract).
"""

import re
import unicodedata

# (language, label as published, our label). Spellings with and without accents are
# listed where publishers use both; case never matters (see normalise).
LABELS = [
    # English
    ("en", "True", "True"),
    ("en", "Correct", "True"),
    ("en", "Accurate", "True"),
    ("en", "Correct attribution", "True"),
    ("en", "Mostly true", "Mostly true"),
    ("en", "Mostly correct", "Mostly true"),
    ("en", "Half true", "Mixed"),
    ("en", "Half-true", "Mixed"),
    ("en", "Mixed", "Mixed"),
    ("en", "Mixture", "Mixed"),
    ("en", "Partly true", "Mixed"),
    ("en", "Missing context", "Mixed"),
    ("en", "Needs context", "Mixed"),
    ("en", "Exaggerated", "Mixed"),
    ("en", "Exaggerates", "Mixed"),
    ("en", "Mostly false", "Mostly false"),
    ("en", "Partly false", "Mostly false"),
    ("en", "Mainly false", "Mostly false"),
    ("en", "Partially false", "Mostly false"),
    ("en", "Misleading", "Mostly false"),
    ("en", "Inaccurate", "Mostly false"),
    ("en", "False", "False"),
    ("en", "Incorrect", "False"),
    ("en", "Fake", "False"),
    ("en", "Pants on fire", "False"),
    ("en", "Pants on fire!", "False"),
    ("en", "Fabricated", "False"),
    ("en", "Unproven", "Unverifiable"),
    ("en", "Unverified", "Unverifiable"),
    ("en", "Unsupported", "Unverifiable"),
    ("en", "Unsubstantiated", "Unverifiable"),
    ("en", "No evidence", "Unverifiable"),
    ("en", "Unverifiable", "Unverifiable"),
    # Spanish
    ("es", "Verdadero", "True"),
    ("es", "Cierto", "True"),
    ("es", "Correcto", "True"),
    ("es", "Mayormente verdadero", "Mostly true"),
    ("es", "Casi cierto", "Mostly true"),
    ("es", "Verdad a medias", "Mixed"),
    ("es", "Mixto", "Mixed"),
    ("es", "Exagerado", "Mixed"),
    ("es", "Sin contexto", "Mixed"),
    ("es", "Falta contexto", "Mixed"),
    ("es", "Engañoso", "Mostly false"),
    ("es", "Enganoso", "Mostly false"),
    ("es", "Mayormente falso", "Mostly false"),
    ("es", "Parcialmente falso", "Mostly false"),
    ("es", "Inexacto", "Mostly false"),
    ("es", "Falso", "False"),
    ("es", "Bulo", "False"),
    ("es", "Sin evidencia", "Unverifiable"),
    ("es", "No verificable", "Unverifiable"),
    ("es", "Insostenible", "Unverifiable"),
    # Portuguese
    ("pt", "Verdadeiro", "True"),
    ("pt", "Verdade", "True"),
    ("pt", "Verdadeiro, mas", "Mostly true"),
    ("pt", "Impreciso", "Mixed"),
    ("pt", "Fora de contexto", "Mixed"),
    ("pt", "Sem contexto", "Mixed"),
    ("pt", "Exagerado", "Mixed"),
    ("pt", "Enganoso", "Mostly false"),
    ("pt", "Distorcido", "Mostly false"),
    ("pt", "Parcialmente falso", "Mostly false"),
    ("pt", "Predominantemente falso", "Mostly false"),
    ("pt", "Falso", "False"),
    ("pt", "Errado", "False"),
    ("pt", "Mentira", "False"),
    ("pt", "Insustentável", "Unverifiable"),
    ("pt", "Não verificável", "Unverifiable"),
    ("pt", "Sem provas", "Unverifiable"),
    # French
    ("fr", "Vrai", "True"),
    ("fr", "Plutôt vrai", "Mostly true"),
    ("fr", "C'est plus compliqué", "Mixed"),
    ("fr", "Manque de contexte", "Mixed"),
    ("fr", "À nuancer", "Mixed"),
    ("fr", "Exagéré", "Mixed"),
    ("fr", "Trompeur", "Mostly false"),
    ("fr", "Plutôt faux", "Mostly false"),
    ("fr", "C'est plutôt faux", "Mostly false"),
    ("fr", "Partiellement faux", "Mostly false"),
    ("fr", "Inexact", "Mostly false"),
    ("fr", "Infondé, trompeur", "Mostly false"),
    ("fr", "Faux", "False"),
    ("fr", "C'est faux", "False"),
    ("fr", "Infondé", "Unverifiable"),
    ("fr", "Invérifiable", "Unverifiable"),
    # German
    ("de", "Wahr", "True"),
    ("de", "Richtig", "True"),
    ("de", "Größtenteils richtig", "Mostly true"),
    ("de", "Größtenteils wahr", "Mostly true"),
    ("de", "Halbwahr", "Mixed"),
    ("de", "Teilweise richtig", "Mixed"),
    ("de", "Fehlender Kontext", "Mixed"),
    ("de", "Irreführend", "Mostly false"),
    ("de", "Teilweise falsch", "Mostly false"),
    ("de", "Größtenteils falsch", "Mostly false"),
    ("de", "Falsch", "False"),
    ("de", "Frei erfunden", "False"),
    ("de", "Manipuliert", "False"),
    ("de", "Unbelegt", "Unverifiable"),
    # Italian
    ("it", "Vero", "True"),
    ("it", "C'eri quasi", "Mostly true"),
    ("it", "Nì", "Mixed"),
    ("it", "Impreciso", "Mixed"),
    ("it", "Fuorviante", "Mostly false"),
    ("it", "Parzialmente falso", "Mostly false"),
    ("it", "Falso", "False"),
    ("it", "Pinocchio andante", "False"),
    ("it", "Panzana pazzesca", "False"),
    ("it", "Senza prove", "Unverifiable"),
    # Russian
    ("ru", "Правда", "True"),
    ("ru", "В основном правда", "Mostly true"),
    ("ru", "Скорее правда", "Mostly true"),
    ("ru", "Полуправда", "Mixed"),
    ("ru", "Манипуляция", "Mostly false"),
    ("ru", "Вводит в заблуждение", "Mostly false"),
    ("ru", "Скорее неправда", "Mostly false"),
    ("ru", "Неправда", "False"),
    ("ru", "Ложь", "False"),
    ("ru", "Фейк", "False"),
    ("ru", "Не подтверждено", "Unverifiable"),
    # Ukrainian
    ("uk", "Правда", "True"),
    ("uk", "Переважно правда", "Mostly true"),
    ("uk", "Напівправда", "Mixed"),
    ("uk", "Перебільшення", "Mixed"),
    ("uk", "Маніпуляція", "Mostly false"),
    ("uk", "Переважно неправда", "Mostly false"),
    ("uk", "Неправда", "False"),
    ("uk", "Фейк", "False"),
    ("uk", "Без доказів", "Unverifiable"),
    ("uk", "Неможливо перевірити", "Unverifiable"),
    # Arabic
    ("ar", "صحيح", "True"),
    ("ar", "صحيح جزئيا", "Mixed"),
    ("ar", "مضلل", "Mostly false"),
    ("ar", "غير دقيق", "Mostly false"),
    ("ar", "خطأ", "False"),
    ("ar", "زائف", "False"),
    ("ar", "كاذب", "False"),
    ("ar", "مفبرك", "False"),
    ("ar", "غير مؤكد", "Unverifiable"),
    # Danish (TjekDet, Mediemøllen)
    ("da", "Sandt", "True"),
    ("da", "Delvist sandt", "Mixed"),
    ("da", "Manglende kontekst", "Mixed"),
    ("da", "Misvisende", "Mostly false"),
    ("da", "Vildledende", "Mostly false"),
    ("da", "Delvist falsk", "Mostly false"),
    ("da", "Falsk", "False"),
    ("da", "Usandt", "False"),
    # Hindi
    ("hi", "सही", "True"),
    ("hi", "सच", "True"),
    ("hi", "आंशिक रूप से सही", "Mixed"),
    ("hi", "भ्रामक", "Mostly false"),
    ("hi", "आंशिक रूप से गलत", "Mostly false"),
    ("hi", "गलत", "False"),
    ("hi", "ग़लत", "False"),
    ("hi", "झूठा", "False"),
    ("hi", "फर्जी", "False"),
    ("hi", "फ़र्ज़ी", "False"),
    ("hi", "अपुष्ट", "Unverifiable"),
]

_SPACE = re.compile(r"\s+")
_EDGES = " \t\n\"'“”«»„.!¡?¿:;-–—"


def normalise(label):
    """The form labels are compared in: NFC, case-folded, one space, no edge punctuation."""
    text = unicodedata.normalize("NFC", str(label)).replace("’", "'").replace("`", "'")
    return _SPACE.sub(" ", text).strip(_EDGES).casefold()


def builtin_table():
    """{normalised label: (our label, [languages])}. Same spelling, same verdict across
    languages ("Falso" is False in es, pt and it); a test keeps it so."""
    table = {}
    for language, label, ours in LABELS:
        key = normalise(label)
        found = table.setdefault(key, (ours, []))
        found[1].append(language)
    return table
