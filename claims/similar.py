"""Earlier claims like this one, so a reviewer reuses work instead of checking twice.

Claims are compared on their content words (Claim.similarity_key, see
claims/textkey.py) with pg_trgm's measure: trigrams of lower-cased alphanumeric
words padded with two spaces in front and one behind, similarity = shared
trigrams / all distinct trigrams. A claim is similar at SIMILARITY_THRESHOLD or
above; the best LIMIT are listed, most similar first, then oldest first.

PostgreSQL answers `%` from the GIN trigram index on similarity_key (migration
0004) with pg_trgm.similarity_threshold set for the query, then orders by
similarity(). Other databases (SQLite in development) compute the same measure
in Python, in single precision as PostgreSQL returns it, so both give the same
ranking. The Python path reads every claim's key: fine for a development
database, not for production, which runs on PostgreSQL.
"""

import re
import struct
from dataclasses import dataclass

from django.contrib.postgres.lookups import TrigramSimilar
from django.contrib.postgres.search import TrigramSimilarity
from django.db import connection, transaction
from django.db.models import F, FloatField, Prefetch, Value
from django.db.models.functions import Cast

from .models import Claim, Verdict
from .textkey import similarity_key

# "The same claim, reworded": on content words, paraphrases of one claim score
# 0.58-1.0 and different claims about the same actors about 0.2-0.3
# (tests/test_similar_claims.py). Above pg_trgm's default of 0.3 the GIN scan can
# skip more of the frequent trigrams' postings (benchmarks/similar_claims.py). It is
# set for each query, so a server configured otherwise still ranks like SQLite.
SIMILARITY_THRESHOLD = 0.5
LIMIT = 5
_WORD = re.compile(r"[^\W_]+")


def trigrams(text: str) -> set[str]:
    """pg_trgm's trigram set of text."""
    found = set()
    for word in _WORD.findall(text.lower()):
        padded = f"  {word} "
        found.update(padded[i : i + 3] for i in range(len(padded) - 2))
    return found


def _float4(value: float) -> float:
    return struct.unpack("f", struct.pack("f", value))[0]


def trigram_similarity(a: str, b: str) -> float:
    """pg_trgm's similarity(a, b), as a float4 like PostgreSQL returns it."""
    ta, tb = trigrams(a), trigrams(b)
    if not ta or not tb:
        return 0.0
    shared = len(ta & tb)
    return _float4(shared / (len(ta) + len(tb) - shared))


@dataclass(frozen=True, slots=True)
class SimilarClaim:
    claim: Claim
    similarity: float
    verdict: Verdict | None  # the approved verdict, if the claim was verified


def _with_verdicts(queryset):
    approved = Verdict.objects.approved().select_related("rating")
    return queryset.select_related("article").prefetch_related(
        Prefetch("verdicts", queryset=approved, to_attr="approved_verdicts")
    )


def trigram_queryset(key):
    """PostgreSQL: claims whose key is `%` key (from the GIN index), most similar first.

    Run it where pg_trgm.similarity_threshold is set (see _postgres).
    """
    return (
        Claim.objects.filter(TrigramSimilar(F("similarity_key"), Value(key)))
        .annotate(similarity=Cast(TrigramSimilarity("similarity_key", key), FloatField()))
        .order_by("-similarity", "pk")
    )


def _postgres(key, exclude_pk, limit):
    queryset = trigram_queryset(key)
    if exclude_pk is not None:
        queryset = queryset.exclude(pk=exclude_pk)
    with transaction.atomic(), connection.cursor() as cursor:
        # Local to this transaction (is_local=true), whatever the server default.
        cursor.execute(
            "SELECT set_config('pg_trgm.similarity_threshold', %s, true)",
            [str(SIMILARITY_THRESHOLD)],
        )
        found = list(_with_verdicts(queryset)[:limit])
    return [(claim, _float4(claim.similarity)) for claim in found]


def _python(key, exclude_pk, limit):
    wanted = trigrams(key)
    if not wanted:
        return []
    scored = []
    rows = Claim.objects.values_list("pk", "similarity_key").iterator(chunk_size=2000)
    for pk, other in rows:
        if pk == exclude_pk:
            continue
        theirs = trigrams(other)
        shared = len(wanted & theirs)
        if not shared:
            continue
        similarity = _float4(shared / (len(wanted) + len(theirs) - shared))
        if similarity >= SIMILARITY_THRESHOLD:
            scored.append((-similarity, pk))
    scored.sort()
    top = scored[:limit]
    claims = _with_verdicts(Claim.objects.filter(pk__in=[pk for _, pk in top])).in_bulk()
    return [(claims[pk], -negative) for negative, pk in top]


def similar_claims(*, text, exclude=None, limit=LIMIT) -> list[SimilarClaim]:
    """The claims most similar to text (best first), each with its approved verdict."""
    key = similarity_key(text)
    if not key:
        return []
    exclude_pk = getattr(exclude, "pk", exclude)
    find = _postgres if connection.vendor == "postgresql" else _python
    return [
        SimilarClaim(claim, similarity, (claim.approved_verdicts or [None])[0])
        for claim, similarity in find(key, exclude_pk, limit)
    ]


def claim_similar(claim, *, limit=LIMIT) -> list[SimilarClaim]:
    """Earlier claims like this one (the claim itself left out)."""
    return similar_claims(text=claim.text, exclude=claim, limit=limit)
