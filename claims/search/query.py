"""The search box's syntax, parsed once and written out for each backend.

The syntax is PostgreSQL's websearch_to_tsquery: words are all required, "a quoted
phrase" must appear as written, -word or -"a phrase" must not appear, and OR (any
case) between terms offers alternatives; AND binds tighter than OR, so
`budget union OR state` means (budget and union) or state. PostgreSQL receives the
canonical form of the parsed query (to_websearch) so that both backends answer the
same query; SQLite's FTS5 receives the same tree written in its own syntax (to_fts5).

A group with nothing to look for (only exclusions) is dropped: "everything without X"
is not a search a reviewer means, and it would scan every row. Pure Python (no Django).
"""

import re
from dataclasses import dataclass, field

# Word characters as both tokenizers split them (PostgreSQL's parser keeps a few joiners
# such as "-" and "." inside a token; FTS5's unicode61 splits on them: see to_fts5).
_WORD = re.compile(r"\w+")
_TOKEN = re.compile(r'(-?)"([^"]*)"?|(\S+)')
MAX_TERMS = 32  # a pasted paragraph is not a query: only its first words count


@dataclass(frozen=True, slots=True)
class Term:
    words: tuple[str, ...]  # one word, or a phrase
    raw: str  # as typed (without the leading "-"), for PostgreSQL's own tokenizer
    negated: bool = False
    phrase: bool = False


@dataclass(slots=True)
class Group:
    terms: list[Term] = field(default_factory=list)

    @property
    def positive(self):
        return [t for t in self.terms if not t.negated]


@dataclass(slots=True)
class Query:
    groups: list[Group]

    def __bool__(self):
        return bool(self.groups)

    @property
    def words(self):
        """Every word looked for (not the excluded ones), for highlighting."""
        return [w for g in self.groups for t in g.positive for w in t.words]


def parse(text: str) -> Query:
    groups, current, count = [], Group(), 0
    for match in _TOKEN.finditer(text or ""):
        negated_phrase, phrase, bare = match.groups()
        if bare is not None and bare.lower() == "or":
            if current.terms:
                groups.append(current)
            current = Group()
            continue
        if phrase is not None:
            raw, negated, is_phrase = phrase, bool(negated_phrase), True
        else:
            negated = bare.startswith("-") and len(bare) > 1
            raw, is_phrase = (bare[1:] if negated else bare), False
        words = tuple(w.lower() for w in _WORD.findall(raw))
        if not words or count >= MAX_TERMS:
            continue
        count += 1
        current.terms.append(
            Term(words=words, raw=raw, negated=negated, phrase=is_phrase or len(words) > 1)
        )
    if current.terms:
        groups.append(current)
    return Query([g for g in groups if g.positive])


def _pg_term(term):
    # Quotes are websearch_to_tsquery syntax: only the ones we write remain.
    raw = term.raw.replace('"', " ").strip()
    body = f'"{raw}"' if term.phrase and not _joined(raw) else raw
    return f"-{body}" if term.negated else body


def _joined(raw):
    """One typed token with joiners (well-known, mil.by): PostgreSQL's parser reads it
    as a compound and matches it as a phrase by itself."""
    return not any(ch.isspace() for ch in raw)


def to_websearch(query: Query) -> str:
    """The canonical text handed to websearch_to_tsquery."""
    return " or ".join(" ".join(_pg_term(t) for t in g.terms) for g in query.groups)


def to_websearch_without_phrases(query: Query) -> str:
    """A wider query for a query with phrases: each phrase's words required anywhere,
    excluded phrases left out (every row the query finds, this one finds too); "" when
    the query has no phrase to widen. A row is checked for a phrase only by reading its
    document, so PostgreSQL checks at most a bounded number of rows this query finds."""
    if not any(
        t.phrase and not t.negated and not _joined(t.raw) for g in query.groups for t in g.terms
    ):
        return ""
    groups = []
    for group in query.groups:
        terms = []
        for term in group.terms:
            if term.negated and term.phrase:
                continue
            raw = term.raw.replace('"', " ").strip()
            terms.append(f"-{raw}" if term.negated else raw)
        groups.append(" ".join(terms))
    return " or ".join(groups)


def _fts5_term(term):
    return '"' + " ".join(term.words) + '"'  # a string (or phrase) in FTS5: no syntax inside


def to_fts5(query: Query) -> str:
    """The same tree as an FTS5 MATCH expression."""
    groups = []
    for group in query.groups:
        expr = " AND ".join(_fts5_term(t) for t in group.positive)
        for term in group.terms:
            if term.negated:
                expr = f"({expr}) NOT {_fts5_term(term)}"
        groups.append(f"({expr})")
    return " OR ".join(groups)
