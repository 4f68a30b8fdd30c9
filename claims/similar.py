"""Earlier claims like this one, so a reviewer reuses work instead of checking twice.

PostgreSQL ranks with pg_trgm: the `%` operator (similarity at or above the
extension's threshold, 0.3 by default) is answered from the GIN trigram index on
claims_claim.text (migration 0004), then rows are ordered by similarity().
Other databases (SQLite in development) use the same measure computed in Python:
pg_trgm's trigrams (lower-cased alphanumeric words padded with two spaces in
front and one behind) and similarity = shared / (all distinct), in single
precision as PostgreSQL returns it, so both give the same ranking on small data.
The Python path reads every claim: fine for a development database, not for
production, which runs on PostgreSQL.
"""

import re
import struct
from dataclasses import dataclass

from django.contrib.postgres.lookups import TrigramSimilar
from django.contrib.postgres.search import TrigramSimilarity
from django.db import connection
from django.db.models import F, FloatField, Prefetch, Value
from django.db.models.functions import Cast

from .models import Claim, Verdict

SIMILARITY_THRESHOLD = 0.3  # pg_trgm.similarity_threshold's default, used by `%`
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


def trigram_queryset(text):
    """PostgreSQL: claims whose text is `%` text (from the GIN index), most similar first."""
    return (
        Claim.objects.filter(TrigramSimilar(F("text"), Value(text)))
        .annotate(similarity=Cast(TrigramSimilarity("text", text), FloatField()))
        .order_by("-similarity", "pk")
    )


def _postgres(text, exclude_pk, limit):
    queryset = trigram_queryset(text)
    if exclude_pk is not None:
        queryset = queryset.exclude(pk=exclude_pk)
    return [(claim, _float4(claim.similarity)) for claim in _with_verdicts(queryset)[:limit]]


def _python(text, exclude_pk, limit):
    wanted = trigrams(text)
    if not wanted:
        return []
    scored = []
    for pk, other in Claim.objects.values_list("pk", "text").iterator(chunk_size=2000):
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
    text = (text or "").strip()
    if not text:
        return []
    exclude_pk = getattr(exclude, "pk", exclude)
    find = _postgres if connection.vendor == "postgresql" else _python
    return [
        SimilarClaim(claim, similarity, (claim.approved_verdicts or [None])[0])
        for claim, similarity in find(text, exclude_pk, limit)
    ]


def claim_similar(claim, *, limit=LIMIT) -> list[SimilarClaim]:
    """Earlier claims like this one (the claim itself left out)."""
    return similar_claims(text=claim.text, exclude=claim, limit=limit)
