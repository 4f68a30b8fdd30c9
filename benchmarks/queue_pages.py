"""How fast the reviewer's pages answer with many claims (default 100,000).

    DATABASE_URL=postgres://... python benchmarks/queue_pages.py [--claims N] [--runs R]

Seeds the database once (bulk inserts, no history: this measures reading), then
requests each page through Django's test client as a signed-in editor and
prints the median and worst time and the number of queries per page. Run it on
a database you can throw away: it adds users, articles and claims.
"""

import argparse
import os
import random
import re
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "workbench.settings")

import django  # noqa: E402

django.setup()

from django.apps import apps  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402

from claims.defaults import ensure_defaults  # noqa: E402
from claims.models import Article, Claim, ClaimSet, Rating, Verdict  # noqa: E402

BODY = "In 2009, Moscow and Minsk signed an air defense agreement. " * 20
QUOTE = "In 2009, Moscow and Minsk signed an air defense agreement."
STATUSES = [s for s in Claim.Status.values]


def user(name, group):
    from django.contrib.auth.models import Group, User

    found, created = User.objects.get_or_create(username=name)
    if created:
        found.groups.add(Group.objects.get(name=group))
    return found


def seed(n):
    ensure_defaults(apps)
    editor, reviewer = user("bench-editor", "editor"), user("bench-reviewer", "reviewer")
    have = Claim.objects.count()
    if have >= n:
        return editor
    rng = random.Random(5)
    articles = Article.objects.bulk_create(
        Article(title=f"Bench article {i}", body=BODY) for i in range(max(1, (n - have) // 50))
    )
    ratings = list(Rating.objects.all())
    batch, verdicts = [], []
    for i in range(have, n):
        status = rng.choice(STATUSES)
        batch.append(
            Claim(
                article=rng.choice(articles),
                text=f"Bench claim {i}: {QUOTE}",
                quote=QUOTE,
                start=0,
                end=len(QUOTE),
                status=status,
                dismissed_reason="bench" if status == "dismissed" else "",
                assignee=rng.choice([None, None, editor, reviewer]),
            )
        )
        if len(batch) == 5000 or i == n - 1:
            made = Claim.objects.bulk_create(batch)
            for claim in made:
                if claim.status in ("awaiting_approval", "verified"):
                    verdicts.append(
                        Verdict(
                            claim=claim,
                            rating=rng.choice(ratings),
                            rationale="bench",
                            author=reviewer,
                            state="approved" if claim.status == "verified" else "proposed",
                            approver=editor if claim.status == "verified" else None,
                        )
                    )
            Verdict.objects.bulk_create(verdicts)
            batch, verdicts = [], []
    claim_set, _ = ClaimSet.objects.get_or_create(slug="bench", defaults={"name": "Bench"})
    claim_set.claims.add(*Claim.objects.order_by("pk").values_list("pk", flat=True)[:5000])
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ANALYZE")
    return editor


def measure(client, url, runs):
    times, queries = [], 0
    for _ in range(runs):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
        queries = len(captured)
    return statistics.median(times), max(times), queries, response


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--claims", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    editor = seed(args.claims)
    print(
        f"{Claim.objects.count():,} claims on {connection.vendor} "
        f"(seeded in {time.perf_counter() - started:.0f} s)"
    )
    # Not the test environment: its template instrumentation would dominate the timings.
    client = Client(HTTP_HOST="localhost")
    client.force_login(editor)
    queue = reverse("claims:queue")
    claim = Claim.objects.order_by("pk").first()
    pages = {
        "queue: assigned to me": queue + "?view=mine",
        "queue: awaiting my approval": queue + "?view=approval",
        "queue: unassigned": queue + "?view=unassigned",
        "queue: recently changed": queue + "?view=recent",
        "queue: filtered by status+rating": queue
        + f"?view=recent&status=verified&rating={Rating.objects.first().pk}",
        "claim page": reverse("claims:claim_detail", args=[claim.pk]),
        "claim set page (5,000 claims)": reverse("claims:claimset_detail", args=["bench"]),
        "claim set list": reverse("claims:claimset_list"),
        "search": reverse("claims:search") + "?q=claim+99999",
    }
    print(f"{'page':40} {'median ms':>10} {'worst ms':>10} {'queries':>8}")
    for name, url in pages.items():
        median, worst, queries, response = measure(client, url, args.runs)
        print(f"{name:40} {median:10.1f} {worst:10.1f} {queries:8}")
    # Deep in the list: follow the cursor 20 pages on.
    url = queue + "?view=recent"
    for _ in range(20):
        html = client.get(url).content.decode()
        url = queue + re.search(r'href="(\?[^"]*after=[^"]*)" rel="next"', html)[1].replace(
            "&amp;", "&"
        )
    median, worst, queries, _ = measure(client, url, args.runs)
    print(f"{'queue: recently changed, page 21':40} {median:10.1f} {worst:10.1f} {queries:8}")


if __name__ == "__main__":
    main()
