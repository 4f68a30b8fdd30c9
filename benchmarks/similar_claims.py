"""Similar-claim lookup on PostgreSQL: the band index against the pg_trgm GIN query.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench .venv/bin/python \
        benchmarks/similar_claims.py [--claims 100000] [--queries 200]

Migrates the database named by DATABASE_URL, loads synthetic claims once (kept
for later runs, under an article titled "benchmark: similar claims"; rows are
bulk-inserted, so their band keys are filled by COPY), then, in one run, prints
the recall of the band index (claims.queries.banded_queryset) against today's
pg_trgm result sets (trigram_queryset at the threshold) for near-duplicates,
rewordings and new claims, and the median/p95 of both lookups end to end
(candidates, scoring, verdict prefetch). Target: median under 50 ms at 1M claims.
The machine is shared; compare numbers from the same run.
"""

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "workbench.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402

from claims import queries as similar  # noqa: E402
from claims.models import Article, Claim  # noqa: E402
from claims.queries import banded_queryset, similar_claims, trigram_queryset  # noqa: E402
from claims.text.similarity import band_keys, similarity_key  # noqa: E402

TITLE = "benchmark: similar claims"
# Real claims share their function words and differ in their content words, whose
# frequencies follow Zipf's law over the whole vocabulary (function words take the
# first hundred ranks). Pseudo-words built from English-like syllables give similar
# trigram statistics without shipping a word list; a corpus of near-identical
# templates would instead make every claim similar to every other.
FUNCTION_WORDS = """the of and in to a was by on for with that has from at is were as have
its their after than more over about against into said will been not also""".split()
ONSETS = """b c d f g h j k l m n p r s t v w z br cr dr fr gr pr tr st sp sk sl sm sn pl bl
cl fl gl ch sh th wh qu""".split()
NUCLEI = "a e i o u y ai ea ee oo ou ie".split()
CODAS = ["", "", "", "n", "r", "s", "t", "l", "m", "nd", "st", "rt", "ck", "ng", "x"]
VOCABULARY = 40_000
FUNCTION_RANKS = 100


def vocabulary(rng):
    words = set()
    while len(words) < VOCABULARY:
        syllables = rng.randint(1, 3)
        words.add(
            "".join(
                rng.choice(ONSETS) + rng.choice(NUCLEI) + rng.choice(CODAS)
                for _ in range(syllables)
            )
        )
    words = sorted(words)
    rng.shuffle(words)
    cumulative, total = [], 0.0
    for rank in range(1, len(words) + 1):
        total += 1 / (rank + FUNCTION_RANKS)
        cumulative.append(total)
    return words, cumulative


def claim_text(rng, vocab):
    words, cumulative = vocab
    tokens = []
    for _ in range(rng.randint(9, 22)):
        roll = rng.random()
        if roll < 0.4:
            tokens.append(rng.choice(FUNCTION_WORDS))
        elif roll < 0.47:
            tokens.append(str(rng.choice([rng.randint(1990, 2024), rng.randint(2, 5000)])))
        else:
            tokens.append(rng.choices(words, cum_weights=cumulative)[0])
    if rng.random() < 0.5:
        tokens[0] = tokens[0].capitalize()
    return " ".join(tokens).capitalize() + "."


def load(count, rng, vocab, reload):
    article = Article.objects.filter(title=TITLE).first() or Article.objects.create(
        title=TITLE, body="", publisher="benchmark"
    )
    if reload:
        article.claims.all().delete()
    have = article.claims.count()
    batch = []
    for _ in range(count - have):
        text = claim_text(rng, vocab)
        batch.append(
            Claim(
                article=article,
                text=text,
                quote=text,
                start=0,
                end=len(text),
                similarity_key=similarity_key(text),  # bulk_create skips Claim.save()
            )
        )
        if len(batch) == 5000:
            Claim.objects.bulk_create(batch)
            batch = []
    if batch:
        Claim.objects.bulk_create(batch)
    fill_bands(article)
    with connection.cursor() as cursor:
        # What autovacuum does in production: merge the GIN index's pending list (rows
        # inserted since the last vacuum, scanned linearly by every query) and refresh
        # the planner's statistics.
        cursor.execute("VACUUM ANALYZE claims_claim")
        cursor.execute("VACUUM ANALYZE claims_claimband")
    return article.claims.count()


def fill_bands(article):
    """Band keys for the bulk-created claims (Claim.save() keeps them otherwise), by COPY
    with the index built afterwards, as a one-off backfill would."""
    # Read first: the connection serves nothing else while a COPY runs.
    missing = list(article.claims.filter(bands__isnull=True).values_list("pk", "similarity_key"))
    if not missing:
        return
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DROP INDEX claims_claimband_key")
        with cursor.copy("COPY claims_claimband (claim_id, key) FROM STDIN") as copy:
            for pk, key in missing:
                for band in band_keys(key):
                    copy.write_row((pk, band))
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # check the rows' claims now
        cursor.execute("CREATE INDEX claims_claimband_key ON claims_claimband (key, claim_id)")


def queries(count, rng, vocab):
    """A third near-duplicates of stored claims (one word dropped), a third rewordings
    (one word dropped, two replaced: similarity about 0.5-0.7), a third new claims."""
    pks = sorted(Claim.objects.filter(article__title=TITLE).values_list("pk", flat=True))
    chosen = rng.sample(pks, 2 * (count // 3))
    stored = Claim.objects.in_bulk(chosen)
    near, reworded = [], []
    for n, pk in enumerate(chosen):
        words = stored[pk].text.rstrip(".").split()
        del words[rng.randrange(1, len(words))]
        if n % 2:
            for _ in range(2):
                words[rng.randrange(len(words))] = claim_text(rng, vocab).split()[0].lower()
            reworded.append(" ".join(words))
        else:
            near.append(" ".join(words))
    fresh = [claim_text(rng, vocab) for _ in range(count - len(near) - len(reworded))]
    return near, reworded, fresh


def old_similar_claims(text, limit):
    """Today's lookup before the band index: pg_trgm's `%` from the GIN trigram index."""
    key = similarity_key(text)
    if not key:
        return []
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT set_config('pg_trgm.similarity_threshold', %s, true)",
            [str(similar.SIMILARITY_THRESHOLD)],
        )
        return list(similar._with_verdicts(trigram_queryset(key))[:limit])


def timed(texts, find=None):
    runs, hits = [], 0
    for text in texts:
        start = time.perf_counter()
        found = find(text, 5) if find else similar_claims(text=text, limit=5)
        runs.append((time.perf_counter() - start) * 1000)
        hits += bool(found)
    return runs, hits


def recall(texts):
    """Every claim at or above the threshold, by pg_trgm's index (today's result set),
    against the band index's: the share of today's found again, and top-5 agreement."""
    wanted = got = same_top = 0
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT set_config('pg_trgm.similarity_threshold', %s, true)",
                [str(similar.SIMILARITY_THRESHOLD)],
            )
        for text in texts:
            key = similarity_key(text)
            old = list(trigram_queryset(key).values_list("pk", flat=True))
            new = list(banded_queryset(key).values_list("pk", flat=True))
            wanted += len(old)
            got += len(set(old) & set(new))
            same_top += old[:5] == new[:5]
    return wanted, got, same_top


def summary(label, runs, hits, total):
    runs = sorted(runs)
    p95 = runs[int(0.95 * (len(runs) - 1))]
    print(
        f"{label}: median {statistics.median(runs):.1f} ms, p95 {p95:.1f} ms, "
        f"max {runs[-1]:.1f} ms; {hits}/{total} queries found similar claims"
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--claims", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--reload", action="store_true", help="replace the loaded claims")
    parser.add_argument(
        "--threshold",
        type=float,
        default=similar.SIMILARITY_THRESHOLD,
        help="similarity threshold to try (default: the one claims/queries.py uses)",
    )
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("This benchmark needs PostgreSQL: set DATABASE_URL=postgres://...")

    similar.SIMILARITY_THRESHOLD = args.threshold
    print(f"threshold {args.threshold}")
    call_command("migrate", verbosity=0)
    rng = random.Random(4)
    vocab = vocabulary(rng)
    start = time.perf_counter()
    total = load(args.claims, rng, vocab, args.reload)
    took = time.perf_counter() - start
    print(f"{total:,} claims in the benchmark article (loaded in {took:.0f} s)")
    # Its own seed: the loading generator's would repeat the stored claims as "new" ones.
    near, reworded, fresh = queries(args.queries, random.Random(2024), vocab)
    texts = near + reworded + fresh
    timed(texts[:10])  # warm the cache and the connection

    print(f"load average before: {os.getloadavg()} (2 cores shared with other work)")
    for label, sample in (("near-duplicates", near), ("rewordings", reworded), ("new", fresh)):
        wanted, got, same_top = recall(sample)
        print(
            f"{label}: today's pg_trgm sets hold {wanted} claims, the band index found {got} "
            f"(recall {got / max(wanted, 1):.4f}); same top 5 in {same_top}/{len(sample)}"
        )
    for label, find in (
        ("old: pg_trgm GIN (similarity_threshold 0.5)", old_similar_claims),
        ("new: MinHash bands + exact similarity()", None),
    ):
        runs, hits = timed(texts, find)
        summary(label, runs, hits, len(texts))
        a, b = len(near), len(near) + len(reworded)
        print(
            f"  medians: near-duplicates {statistics.median(runs[:a]):.1f} ms, rewordings "
            f"{statistics.median(runs[a:b]):.1f} ms, new {statistics.median(runs[b:]):.1f} ms"
        )
    plan = banded_queryset(similarity_key(texts[0]))[:5].explain(analyze=True)
    print("  new plan: " + " | ".join(line.strip()[:160] for line in plan.splitlines()[:14]))
    print(f"load average after: {os.getloadavg()}")


if __name__ == "__main__":
    main()
