"""Load the demo article with a few claims. Safe to run again: nothing is duplicated."""

import datetime
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from claims.demo.reviews import load_demo_reviews
from claims.models import Article
from claims.services import article_create, claim_create

DEMO_DIR = Path(__file__).resolve().parents[2] / "demo"
SEED_FILE = DEMO_DIR / "sputnik-russia-belarus-2023-12-13.txt"
REASON = "load_demo command"

ARTICLE = {
    "title": "How Deep Does Russia-Belarus Military Cooperation Go?",
    "publisher": "Sputnik International",
    "published": datetime.date(2023, 12, 13),
    "language": "en",
}

# (self-contained claim, exact quote in the body, attributed to)
CLAIMS = [
    (
        "In 2009 Russia and Belarus signed an agreement on joint protection of the Union "
        "State's airspace borders and a united regional air defense system.",
        "In 2009, Moscow and Minsk signed an agreement on the joint protection of the airspace "
        "borders of the Union State",
        "Sputnik International",
    ),
    (
        "In 2022 a joint Russian-Belarusian military contingent of several thousand soldiers "
        "was deployed in Belarus.",
        "In 2022, a joint Russian-Belarussian military contingent of several thousand soldiers "
        "was deployed in Belarus",
        "Sputnik International",
    ),
    (
        "In 2023 Russia and Belarus agreed to station Russian tactical nuclear weapons in Belarus.",
        "A year later, Moscow and Minsk agreed to have Russian tactical nuclear weapons stationed "
        "on Belarus soil.",
        "Sputnik International",
    ),
    (
        "Russia and Belarus have held the Union Shield joint military exercises every year since "
        "2006 and biennially since 2009.",
        "The Russian and Belarusian Armed Forces also conduct the Union Shield joint military "
        "exercises every year since 2006 and biennially since 2009.",
        "Sputnik International",
    ),
]


class Command(BaseCommand):
    help = "Load the demo article (from the shared seed) with a few claims. Idempotent."

    @transaction.atomic
    def handle(self, *args, **options):
        body = SEED_FILE.read_text(encoding="utf-8")
        article = Article.objects.filter(
            title=ARTICLE["title"], publisher=ARTICLE["publisher"]
        ).first()
        if article is None:
            article = article_create(body=body, user=None, reason=REASON, **ARTICLE)
        made = 0
        for text, quote, attributed_to in CLAIMS:
            start = article.body.find(quote)
            if start < 0:
                raise CommandError(f"demo quote not found in the article body: {quote[:60]!r}")
            if article.claims.filter(start=start, end=start + len(quote)).exists():
                continue
            claim_create(
                article=article,
                quote=quote,
                start=start,
                text=text,
                attributed_to=attributed_to,
                user=None,
                reason=REASON,
            )
            made += 1
        self.stdout.write(
            f"Demo article {article.pk}: {made} claim(s) added, {article.claims.count()} in all."
        )
        claim_set = load_demo_reviews(article, reason=REASON)
        verified = claim_set.claims.verified().count()
        self.stdout.write(
            f"Demo claim set {claim_set.slug!r}: {claim_set.claims.count()} claims, "
            f"{verified} verified."
        )
