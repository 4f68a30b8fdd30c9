"""Text analysis in pure Python: no Django, no models, so its tests need no database.

words       every word list (actions, hedges, months, stop words, abbreviations...)
segmenter   sentences with exact character offsets
suggest     check-worthiness suggestions with reasons, page furniture dropped
passages    the passages of a source text that best match a claim
similarity  similarity keys and pg_trgm-compatible trigram similarity
language    a small guess at a text's language
display     highlighting runs and line diffs, as data for escaped templates
"""

# Pasted or captured text beyond this is refused by the callers, not truncated silently.
MAX_TEXT_CHARS = 2_000_000
