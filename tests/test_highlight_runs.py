"""Highlighting cuts the body into runs in one sweep; it must cut exactly as the
definition says: each run is covered by the claims whose span contains it, in the
order the claims were given, and uncovered text runs together."""

import random
from types import SimpleNamespace

from claims.text.display import runs


def by_definition(body, claims):
    spans = [(c.start, c.end, c) for c in claims if 0 <= c.start < c.end <= len(body)]
    cuts = sorted({0, len(body), *(s for s, _, _ in spans), *(e for _, e, _ in spans)})
    out = []
    for a, b in zip(cuts, cuts[1:], strict=False):
        covering = [c.id for s, e, c in spans if s <= a and b <= e]
        if out and not covering and not out[-1][2]:
            out[-1] = (out[-1][0] + body[a:b], out[-1][1], [])
        else:
            out.append((body[a:b], a, covering))
    return out


def test_runs_cut_overlapping_nested_and_invalid_spans_by_the_definition():
    rng = random.Random(15)
    for _ in range(500):
        body = "".join(rng.choice("ab .") for _ in range(rng.randint(0, 200)))
        claims = []
        for i in range(rng.randint(0, 25)):
            start = rng.randint(-2, len(body) + 2)
            claims.append(SimpleNamespace(id=i, start=start, end=start + rng.randint(-3, 60)))
        got = [(r.text, r.start, [c.id for c in r.claims]) for r in runs(body, claims)]
        assert got == by_definition(body, claims)
