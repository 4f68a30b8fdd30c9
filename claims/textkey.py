"""The words of a claim that make it this claim: what "similar claims" compares.

Function words ("the", "of", "in", in the languages claims/language.py knows)
are shared by every sentence; comparing them makes every claim look a little
like every other and makes a trigram index read most of the table. The key
keeps the content words, lower-cased, in order.
"""

import re

from .language import STOPWORDS

_WORD = re.compile(r"[^\W_]+")
FUNCTION_WORDS = frozenset(
    word for words in STOPWORDS.values() for word in words.split()
) | frozenset("a an were been being had did does do its their his her which who also".split())


def similarity_key(text: str) -> str:
    return " ".join(w for w in _WORD.findall((text or "").lower()) if w not in FUNCTION_WORDS)
