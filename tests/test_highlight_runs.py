"""Highlighting cuts the body into runs (and paragraphs of spans) in one sweep; it must
cut exactly as the definition says: each run is covered by the claims whose span
contains it, in the order the claims were given, and uncovered text runs together."""

import random
from types import SimpleNamespace

from claims.text.display import paragraph_breaks, paragraphs, runs


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


def paragraphs_by_definition(body, claims, sentences, furniture):
    """(paragraph start, [(text, start, claim ids, sentence, first, why)]) per paragraph."""
    claim_spans = [(c.start, c.end, c) for c in claims if 0 <= c.start < c.end <= len(body)]
    sentence_spans = [(s, e) for s, e in sentences if 0 <= s < e <= len(body)]
    furniture_spans = [(s, e, w) for s, e, w in furniture if 0 <= s < e <= len(body)]
    breaks = paragraph_breaks(body)
    cuts = sorted(
        {0, len(body), *breaks}
        | {x for s, e, _ in claim_spans for x in (s, e)}
        | {x for s, e in sentence_spans for x in (s, e)}
        | {x for s, e, _ in furniture_spans for x in (s, e)}
    )
    out, seen = [(0, [])], set()
    for a, b in zip(cuts, cuts[1:], strict=False):
        if a in breaks:
            out.append((a, []))
        covering = [c.id for s, e, c in claim_spans if s <= a and b <= e]
        sentence = next((s for s, e in sentence_spans if s <= a and b <= e), None)
        why = next((w for s, e, w in furniture_spans if s <= a and b <= e), "")
        spans = out[-1][1]
        if (
            spans
            and not covering
            and not spans[-1][2]
            and (sentence, why)
            == (
                spans[-1][3],
                spans[-1][5],
            )
        ):
            spans[-1] = (spans[-1][0] + body[a:b], *spans[-1][1:])
            continue
        first = sentence is not None and sentence not in seen
        seen.add(sentence)
        spans.append((body[a:b], a, covering, sentence, first, why))
    return [p for p in out if p[1]]


def test_paragraphs_cut_claims_sentences_and_furniture_by_the_definition():
    rng = random.Random(16)

    def spans(body, count):
        found = []
        for _ in range(count):
            start = rng.randint(-2, len(body) + 2)
            found.append((start, start + rng.randint(-3, 60)))
        return found

    for _ in range(500):
        body = "".join(rng.choice("ab .\n") for _ in range(rng.randint(0, 200)))
        claims = [SimpleNamespace(id=i, start=s, end=e) for i, (s, e) in enumerate(spans(body, 25))]
        sentences = spans(body, rng.randint(0, 6))
        furniture = [(s, e, f"why {i}") for i, (s, e) in enumerate(spans(body, 4))]
        got = [
            (
                p.start,
                [
                    (x.text, x.start, [c.id for c in x.claims], x.sentence, x.first, x.furniture)
                    for x in p.spans
                ],
            )
            for p in paragraphs(body, claims, sentences=sentences, furniture=furniture)
        ]
        assert got == paragraphs_by_definition(body, claims, sentences, furniture)
