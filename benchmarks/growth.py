"""How each reviewer page and query grows with the desk: 10k / 100k / 1M claims.

    python benchmarks/growth.py [--sizes 10000,100000,1000000] [--runs 9] [--keep]

PostgreSQL only (the production database). For every size it uses its own database,
bench15_<size> on the server of DATABASE_URL (default postgres://postgres@127.0.0.1:5432),
created, migrated and filled on first use, reused afterwards (--drop removes them).
The data is generated in bulk by SQL: articles, claims (with a verdict for those awaiting
approval or verified, and two history rows each), one source with one capture and one
evidence row per claim, claim sets (one of 50,000 claims), the similar-claims band rows
(ClaimBand: keys computed in Python, loaded by COPY), plus one heavy article
(1,500 claims), one heavy claim (300 evidence rows, 2,000 history rows) for the page
measures. Texts are drawn from the words of the seed article (Zipf-like: frequent words
often, rare ones seldom), so searches see realistic posting lists.

Prints, per page and query, the median at each size and the growth exponent k in
time ~ n^k (least squares over the sizes): 0 is flat, 1 is linear. Each size is measured
in a child process (one Django setup per database).
"""

import argparse
import json
import math
import os
import statistics
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from growth_data import generate, vocabulary  # noqa: E402

SERVER = os.getenv("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres")


def database_url(size):
    parts = urlsplit(SERVER)
    return urlunsplit(parts._replace(path=f"/bench15_{size}"))


# -- measuring (child) ---------------------------------------------------------------


def timed(fn, runs):
    fn()  # warm: plans cached, pages in the buffer cache
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def measures(runs):
    from django.contrib.auth.models import User
    from django.test import Client
    from django.urls import reverse
    from django.utils import timezone

    from claims import queries
    from claims.models import Article, Claim, ClaimSet
    from claims.search import Filters, search
    from sources.models import Source

    words = vocabulary()
    editor = User.objects.get(username="bench-editor")
    client = Client(HTTP_HOST="127.0.0.1")  # localhost is the replay host in development
    client.force_login(editor)

    def page(url):
        def get():
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)

        return get

    claim = Claim.objects.order_by("pk").first()
    heavy_claim = Claim.objects.get(text__startswith="Heavy claim")
    heavy_article = Article.objects.get(title="Heavy article")
    source = Source.objects.order_by("pk").first()
    big_set = ClaimSet.objects.get(slug="set-1")
    queue = reverse("claims:queue")
    search_url = reverse("claims:search")
    common, rare = words[5], "zhodino7"
    cutoff = timezone.now() - timedelta(days=30)
    result = {
        "search claims: common word": lambda: search(q=common),
        "search claims: rare word": lambda: search(q=rare),
        "search claims: no match": lambda: search(q="qqqxyzzy"),
        "search claims: phrase": lambda: search(q=f'"{words[3]} {words[4]}"'),
        "search claims: status filter": lambda: search(
            q=common, filters=Filters(status="verified")
        ),
        "search sources: common word": lambda: search(q=common, kind="sources"),
        "search articles: rare word": lambda: search(q=rare, kind="articles"),
        "similar claims (band index)": lambda: queries.claim_similar(claim),
        "per-status counts": queries.status_counts,
        "recheck due query (batch 200)": lambda: list(
            Source.objects.due_for_recheck(cutoff)
            .order_by("last_checked_at")
            .values_list("pk", flat=True)[:200]
        ),
        "page: queue (recent)": page(queue + "?view=recent"),
        "page: queue filter, no match": page(
            queue + f"?view=recent&status=verified&article={heavy_article.pk}"
        ),
        "page: search (everything)": page(search_url + f"?q={rare}"),
        "page: search (claims, common)": page(search_url + f"?q={common}&kind=claims"),
        "page: claim": page(reverse("claims:claim_detail", args=[claim.pk])),
        "page: claim (300 evidence, 2,000 history)": page(
            reverse("claims:claim_detail", args=[heavy_claim.pk])
        ),
        "page: article (1,500 claims)": page(
            reverse("claims:article_detail", args=[heavy_article.pk])
        ),
        "page: source": page(reverse("claims:source_detail", args=[source.pk])),
        "page: claim sets": page(reverse("claims:claimset_list")),
        "page: claim set (50,000 claims)": page(
            reverse("claims:claimset_detail", args=[big_set.slug])
        ),
    }
    if editor.is_staff is False:
        editor.is_staff = editor.is_superuser = True
        editor.save()
    result["admin: sources changelist"] = page(reverse("admin:sources_source_changelist"))
    result["admin: claims changelist"] = page(reverse("admin:claims_claim_changelist"))
    return {name: timed(fn, runs) for name, fn in result.items()}


def child(size, runs, generate_only=False):
    os.environ["DATABASE_URL"] = database_url(size)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "workbench.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    generate(size)
    print(json.dumps({} if generate_only else measures(runs)))


# -- parent ------------------------------------------------------------------------


def ensure_database(size):
    import psycopg

    with psycopg.connect(SERVER, autocommit=True) as conn:
        name = f"bench15_{size}"
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def drop_database(size):
    import psycopg

    with psycopg.connect(SERVER, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "bench15_{size}"')


def exponent(sizes, medians):
    xs = [math.log(s) for s in sizes]
    ys = [math.log(max(m, 0.01)) for m in medians]
    mx, my = statistics.mean(xs), statistics.mean(ys)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / sum(
        (x - mx) ** 2 for x in xs
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--drop", action="store_true", help="drop the bench databases and stop")
    parser.add_argument(
        "--generate-only", action="store_true", help="fill the databases, measure nothing"
    )
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    if args.child:
        return child(args.child, args.runs, args.generate_only)
    if args.drop:
        for size in sizes:
            drop_database(size)
        return None
    results = {}
    for size in sizes:
        ensure_database(size)
        out = subprocess.run(
            [sys.executable, __file__, "--child", str(size), "--runs", str(args.runs)]
            + (["--generate-only"] if args.generate_only else []),
            capture_output=True,
            text=True,
            check=False,
        )
        if out.returncode:
            sys.exit(f"size {size}: {out.stderr.strip().splitlines()[-1]}")
        sys.stderr.write(out.stderr)
        results[size] = json.loads(out.stdout.strip().splitlines()[-1])
    if args.generate_only:
        return None
    names = list(results[sizes[0]])
    header = "".join(f"{f'{s:,}':>12}" for s in sizes)
    print(f"{'median ms':44}{header}{'exponent':>10}")
    for name in names:
        medians = [results[s][name] for s in sizes]
        k = exponent(sizes, medians) if len(sizes) > 1 else float("nan")
        print(f"{name:44}" + "".join(f"{m:12.1f}" for m in medians) + f"{k:10.2f}")
    return None


if __name__ == "__main__":
    main()
