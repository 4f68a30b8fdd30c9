"""Text analysis in pure Python: no Django, no models, so its tests need no database.

words       every word list (actions, hedges, months, stop words, abbreviations...)
segmenter   sentences with exact character offsets
suggest     check-worthiness suggestions with reasons, page furniture dropped
features    what a fact-checker looks for in a sentence (dates, numbers, actors, hedges...)
model       the trained check-worthiness model, applied in pure Python (weights in data/)
training    rebuilds that model with scikit-learn (dev dependency; never imported at run time)
stemming    terms of a text stemmed by its language (shared by passages and similarity)
passages    the passages of a source text that best match a claim (stemmed by language)
similarity  similarity keys (stemmed by language) and pg_trgm-compatible trigram similarity
language    the language of a text (py3langid), or "" when unsure
display     highlighting runs and line diffs, as data for escaped templates
"""

# Pasted or captured text beyond this is refused by the callers, not truncated silently.
MAX_TEXT_CHARS = 2_000_000
