"""The reviewer UI's layout: one view module per page, templates in a folder per page."""

import ast
from pathlib import Path

import pytest
from django.template.loader import get_template

VIEWS = Path(__file__).resolve().parent.parent / "claims" / "views"
TEMPLATES = VIEWS.parent / "templates" / "claims"
# What a page's module may import from its siblings: helpers, not another page
# (articlehtml: the article page's long parts written in Python).
SHARED = {"access", "articlehtml", "common", "forms"}


def sibling_imports(path):
    tree = ast.parse(path.read_text(), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level == 1:
            if node.module:
                yield node.module.split(".")[0]
            else:
                yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module.startswith("claims.views."):
                yield node.module.split(".")[2]


@pytest.mark.parametrize("path", sorted(VIEWS.glob("*.py")), ids=lambda p: p.name)
def test_view_modules_do_not_import_each_other(path):
    assert set(sibling_imports(path)) <= SHARED


def test_templates_are_per_page_with_no_includes_folder():
    assert not (TEMPLATES / "includes").exists()
    assert not list(TEMPLATES.glob("*.html"))


@pytest.mark.parametrize(
    "name",
    [
        "claims/claim/detail.html#evidence_item",
        "claims/claim/detail.html#passages_note",
        "claims/claim/detail.html#claim_sets_panel",
    ],
)
def test_the_partials_that_htmx_swaps_load_by_name(name):
    assert get_template(name) is not None
