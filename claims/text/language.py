"""The language of an article body or a sentence, by py3langid (the identifier
trafilatura uses: character n-gram naive Bayes over 97 languages, shipped with the
package, nothing downloaded).

Captures carry no language, and pasted text often comes without one. When the text gives
too little to go on (a few words, numbers and names) or the identifier is unsure, the
answer is "" (unknown) rather than a guess.

The identifier chooses among LANGUAGES only: the languages the desk handles and the
project has stemmers or word lists for, plus a few large ones. Across all 97, a short
Russian sentence is as often called Macedonian or Bulgarian (py3langid's own advice for
a known set of languages is to restrict it).
"""

import re
from functools import lru_cache
from itertools import islice

SAMPLE_CHARS = 20_000
# Two words are enough when the identifier is sure ("C'est faux.", "Nie prawda."); names
# alone ("Joe Biden") leave it unsure, and MIN_CONFIDENCE declines them.
MIN_WORDS = 2
# A forced guess (min_confidence=0) has no confidence check behind it: it needs a third word.
MIN_WORDS_FORCED = 3
MIN_CONFIDENCE = 0.6

LANGUAGES = (
    "en ru uk be de fr es it pt pl nl sv da no fi cs sk hu ro el tr ar fa he hi ta ne "
    "zh ja ko id lt lv et ca eu ga hy sr hr"
).split()

_WORD = re.compile(r"[^\W\d_]{2,}")


@lru_cache(maxsize=1)
def _identifier():
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    identifier.set_languages(LANGUAGES)
    return identifier


def guess_language(text: str, *, min_confidence: float = MIN_CONFIDENCE) -> str:
    """An ISO 639-1 code, or "" when the text gives too little to go on.

    min_confidence=0 takes the identifier's best guess however unsure (still "" under
    MIN_WORDS_FORCED words): for a caller that needs the same answer for a text every time more
    than an abstention, like similarity keys, where a short Russian sentence at 0.58 is
    better stemmed as Russian than not at all."""
    sample = (text or "")[:SAMPLE_CHARS]
    needed = MIN_WORDS if min_confidence > 0 else MIN_WORDS_FORCED
    # Counting stops at the words needed: listing every word of a long sample took a fifth
    # as long as identifying its language.
    if len(list(islice(_WORD.finditer(sample), needed))) < needed:
        return ""
    language, confidence = _identifier().classify(sample)
    return language if confidence >= min_confidence else ""
