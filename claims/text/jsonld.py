"""Find ClaimReview nodes in JSON-LD as publishers and aggregators ship it.

Shapes read: one object, a list, `@graph` (nested too), a schema.org `DataFeed` whose
`dataFeedElement`s hold `item`s, ClaimReviews nested anywhere (`mainEntity`, `review`...),
the `<script type="application/ld+json">` blocks of an HTML page, and the claims of Google's
Fact Check Tools API (`claims:search`: `claims[].claimReview[]`, see api_claim_reviews).
Nodes referred to by `{"@id": ...}` alone are replaced by the node of that id found
elsewhere in the document (WordPress/Yoast pages put the author in the graph and refer
to it).

Pure Python (no Django): claims/services/claimreview.py does the importing.
"""

import json
from html.parser import HTMLParser

MAX_DEPTH = 24  # levels inside one review; real ones use 5 or 6


class DocumentError(ValueError):
    """The file cannot be read as JSON-LD at all (one line saying why)."""


class _ScriptBlocks(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.blocks, self._in = [], False

    def handle_starttag(self, tag, attrs):
        kind = (dict(attrs).get("type") or "").split(";")[0].strip().lower()
        self._in = tag == "script" and kind == "application/ld+json"
        if self._in:
            self.blocks.append("")

    def handle_endtag(self, tag):
        if tag == "script":
            self._in = False

    def handle_data(self, data):
        if self._in:
            self.blocks[-1] += data


def looks_like_html(text):
    head = text.lstrip()[:512].lower()
    return head.startswith("<") and ("<html" in head or "<!doctype" in head or "<script" in head)


def _loads(text, where):
    try:
        return json.loads(text)
    except RecursionError:
        raise DocumentError(f"{where} is nested too deeply to read") from None
    except json.JSONDecodeError as exc:
        raise DocumentError(f"{where} is not JSON: {exc}") from None


def parse_document(text):
    """(roots, notes): the parsed JSON-LD roots of a JSON file or an HTML page's blocks."""
    if not looks_like_html(text):
        return [_loads(text, "the file")], []
    parser = _ScriptBlocks()
    parser.feed(text)
    roots, notes = [], []
    for number, block in enumerate(parser.blocks, 1):
        if not block.strip():
            continue
        try:
            roots.append(_loads(block, f"JSON-LD block {number}"))
        except DocumentError as exc:
            notes.append(f"{exc}; block skipped")
    if not roots:
        raise DocumentError("the page has no readable <script type=application/ld+json> block")
    return roots, notes


def kinds(node):
    found = node.get("@type", [])
    found = found if isinstance(found, list) else [found]
    return {str(k).rsplit("/", 1)[-1].rsplit(":", 1)[-1] for k in found}


def _walk(roots):
    """Every dict in the documents, parents before children, without recursion."""
    stack = list(reversed(roots))
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            yield node
            stack.extend(reversed(list(node.values())))
        elif isinstance(node, list):
            stack.extend(reversed(node))


def claimreview_nodes(roots):
    """The ClaimReview dicts in document order (a ClaimReview inside another is not one)."""
    found, inside = [], set()
    for node in _walk(roots):
        if id(node) in inside:
            for value in node.values():
                _mark(value, inside)
            continue
        api = api_claim_reviews(node)
        if "ClaimReview" in kinds(node) or api:
            found.extend(api or [node])
            for value in node.values():
                _mark(value, inside)
    return found


# Google's Fact Check Tools API (claims:search) serves the ClaimReview markup fact-checkers
# publish as {text, claimant, claimDate, claimReview: [{publisher {name, site}, url, title,
# reviewDate, textualRating, languageCode}]}. Each review is read as the ClaimReview it was
# made from; a field the API leaves out stays out. `publisher.site` is a host name, not a
# URL, so it is not offered as the organisation's url.
_API_REVIEW = {
    "url": "url",
    "title": "name",
    "reviewDate": "datePublished",
    "languageCode": "inLanguage",
}


def api_claim_reviews(node):
    """The ClaimReviews of one Fact Check Tools API claim ([] for any other node)."""
    reviews = node.get("claimReview")
    if not isinstance(reviews, list) or "ClaimReview" in kinds(node):
        return []
    reviews = [r for r in reviews if isinstance(r, dict)]
    if not any("textualRating" in r or "publisher" in r for r in reviews):
        return []
    claim = {"@type": "Claim"}
    if node.get("claimant") not in (None, ""):
        claim["author"] = {"name": node["claimant"]}
    if node.get("claimDate") not in (None, ""):
        claim["datePublished"] = node["claimDate"]
    out = []
    for review in reviews:
        item = {"@type": "ClaimReview"}
        if "text" in node:
            item["claimReviewed"] = node["text"]
        if len(claim) > 1:
            item["itemReviewed"] = dict(claim)
        publisher = review.get("publisher")
        if isinstance(publisher, dict) and publisher.get("name") not in (None, ""):
            item["author"] = {"@type": "Organization", "name": publisher["name"]}
        if review.get("textualRating") not in (None, ""):
            item["reviewRating"] = {"@type": "Rating", "alternateName": review["textualRating"]}
        for theirs, ours in _API_REVIEW.items():
            if review.get(theirs) not in (None, ""):
                item[ours] = review[theirs]
        out.append(item)
    return out


def _mark(value, inside):
    if isinstance(value, dict):
        inside.add(id(value))
    elif isinstance(value, list):
        for element in value:
            _mark(element, inside)


def id_index(roots):
    """{@id: node} for nodes that say more than their id."""
    index = {}
    for node in _walk(roots):
        key = node.get("@id")
        if isinstance(key, str) and key and len(node) > 1:
            index.setdefault(key, node)
    return index


def resolve(value, index, _seen=()):
    """value with {"@id": x}-only references replaced by the node x (cycles left as refs)."""
    if isinstance(value, list):
        return [resolve(v, index, _seen) for v in value]
    if not isinstance(value, dict):
        return value
    key = value.get("@id")
    if len(value) == 1 and isinstance(key, str) and key in index and key not in _seen:
        return resolve(index[key], index, (*_seen, key))
    return {k: resolve(v, index, _seen) for k, v in value.items()}


def depth(value):
    """How deeply value nests (a scalar is 0), without recursion."""
    deepest, stack = 0, [(value, 0)]
    while stack:
        node, level = stack.pop()
        if isinstance(node, dict | list):
            level += 1
            deepest = max(deepest, level)
            if deepest > MAX_DEPTH:
                return deepest
            children = node.values() if isinstance(node, dict) else node
            stack.extend((child, level) for child in children)
    return deepest


def has_nul(value):
    stack = [value]
    while stack:
        node = stack.pop()
        if isinstance(node, str):
            if "\x00" in node:
                return True
        elif isinstance(node, dict):
            stack.extend(node.keys())
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return False


def pruned(value):
    """value without empty strings, nulls, empty lists and objects (they say nothing)."""
    if isinstance(value, dict):
        out = {k: pruned(v) for k, v in value.items()}
        return {k: v for k, v in out.items() if v not in ("", None, [], {})}
    if isinstance(value, list):
        out = [pruned(v) for v in value]
        return [v for v in out if v not in ("", None, [], {})]
    if isinstance(value, str):
        return value.strip()
    return value


def as_list(value):
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def first(value):
    values = as_list(value)
    return values[0] if values else None


def text_of(value):
    """A plain string from a string, a number or a {"name"/"headline"/"@value"} node."""
    value = first(value)
    if isinstance(value, dict):
        value = value.get("name") or value.get("headline") or value.get("@value") or ""
        value = first(value)
    if isinstance(value, bool) or value is None:
        return ""
    if isinstance(value, int | float):
        return f"{value:g}"
    return value.strip() if isinstance(value, str) else ""
