"""claimreview_diff A B: which ClaimReviews changed between two JSON-LD files, field by field.

Reviews are matched by their `url` and claimReviewed (else claimReviewed and author
name). Every field path whose value differs is printed ("~"), with reviews only in A ("-")
or only in B ("+"). Exit status 0 when both hold the same reviews with the same fields, 1 otherwise,
so a round trip can be checked in a script.
"""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from claims.text.jsonld import (
    DocumentError,
    claimreview_nodes,
    id_index,
    parse_document,
    pruned,
    resolve,
    text_of,
)


def _reviews(path):
    try:
        roots, _ = parse_document(Path(path).read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError) as exc:
        raise CommandError(f"Cannot read {path}: {exc}") from None
    except DocumentError as exc:
        raise CommandError(f"{path}: {exc}") from None
    index = id_index(roots)
    found = {}
    for node in claimreview_nodes(roots):
        node = pruned(resolve(node, index))
        node.pop("@context", None)
        # One page may review several claims under one URL (AFP's wrap-ups do), so the
        # claim is part of the key.
        url, claim = text_of(node.get("url")), text_of(node.get("claimReviewed"))
        key = f"{url} / {claim}" if url else f"{claim} / {text_of(node.get('author'))}"
        found[key] = node
    return found


def _leaves(value, path=""):
    if isinstance(value, dict):
        for key in sorted(value):
            yield from _leaves(value[key], f"{path}.{key}" if path else key)
    elif isinstance(value, list) and len(value) != 1:
        for i, element in enumerate(value):
            yield from _leaves(element, f"{path}[{i}]")
    elif isinstance(value, list):
        yield from _leaves(value[0], path)  # one value or a list of one: the same in JSON-LD
    else:
        yield path, value


def diff(a, b):
    """Lines describing every difference between two {key: review} maps."""
    lines = []
    for key in a.keys() - b.keys():
        lines.append(f"- {key}: only in the first file")
    for key in b.keys() - a.keys():
        lines.append(f"+ {key}: only in the second file")
    for key in sorted(a.keys() & b.keys()):
        left, right = dict(_leaves(a[key])), dict(_leaves(b[key]))
        for field in sorted(left.keys() | right.keys()):
            if left.get(field) != right.get(field):
                before = json.dumps(left.get(field), ensure_ascii=False)
                after = json.dumps(right.get(field), ensure_ascii=False)
                lines.append(f"~ {key}: {field}: {before} -> {after}")
    return sorted(lines)


class Command(BaseCommand):
    help = "Compare the ClaimReviews of two JSON-LD files field by field (exit 1 if any differ)."

    def add_arguments(self, parser):
        parser.add_argument("first")
        parser.add_argument("second")

    def handle(self, *args, **options):
        a, b = _reviews(options["first"]), _reviews(options["second"])
        lines = diff(a, b)
        for line in lines:
            self.stdout.write(line)
        self.stdout.write(f"{len(a)} and {len(b)} review(s); {len(lines)} difference(s).")
        if lines:
            raise SystemExit(1)
