"""The words of a claim that make it this claim: what "similar claims" compares.

Function words ("the", "of", "in", in the languages claims/language.py knows)
are shared by every sentence; comparing them makes every claim look a little
like every other and makes a trigram index read most of the table. The key
keeps the content words, lower-cased, in order.
"""

import re

from .language import STOPWORDS

_WORD = re.compile(r"[^\W_]+")
ENGLISH_FUNCTION_WORDS = """
    a an the and or but if then so than that this these those there here what which who whom
    whose when where why how all any both each few more most other some such no nor not only
    own same too very can will would shall should could may might must do does did doing done
    be is am are was were been being have has had having i me my we us our you your he him
    his she her it its they them their about above after again against at before below
    between by down during for from in into of off on once out over through to under until
    up upon with within without also as just while because since per via
"""
FUNCTION_WORDS = frozenset(
    word for words in STOPWORDS.values() for word in words.split()
) | frozenset(ENGLISH_FUNCTION_WORDS.split())


def similarity_key(text: str) -> str:
    return " ".join(w for w in _WORD.findall((text or "").lower()) if w not in FUNCTION_WORDS)
