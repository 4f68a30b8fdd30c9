"""The layout DESIGN.md describes, beyond the import-linter contracts in pyproject.toml:
no module-level import cycle, and claims.text usable with Django absent."""

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("workbench", "claims", "sources")


def _modules():
    """{dotted name: path} for every module of the project's packages (migrations too)."""
    found = {}
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            parts = list(path.relative_to(ROOT).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            found[".".join(parts)] = path
    return found


def _module_level_imports(tree):
    """Import statements that run when the module is imported: not those inside functions."""
    pending = list(tree.body)
    while pending:
        node = pending.pop()
        if isinstance(node, ast.Import | ast.ImportFrom):
            yield node
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
            continue
        else:
            pending.extend(ast.iter_child_nodes(node))


def _targets(name, path, node, modules):
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    base = node.module or ""
    if node.level:
        anchor = package.split(".")
        anchor = anchor[: len(anchor) - (node.level - 1)]
        base = ".".join(anchor + ([base] if base else []))
    found = []
    for alias in node.names:
        submodule = f"{base}.{alias.name}"
        found.append(submodule if submodule in modules else base)
    return found


def import_graph():
    modules = _modules()
    graph = {}
    for name, path in modules.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        graph[name] = {
            target
            for node in _module_level_imports(tree)
            for target in _targets(name, path, node, modules)
            if target in modules and target != name
        }
    return graph


def cycles(graph):
    """Strongly connected components with more than one module (Tarjan)."""
    index, low, stack, on_stack, found = {}, {}, [], set(), []

    def visit(node):
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in graph[node]:
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = set()
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.add(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_the_cycle_finder_finds_a_cycle():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_there_is_no_module_level_import_cycle():
    graph = import_graph()
    assert "claims.services.workflow" in graph["claims.services"]
    assert cycles(graph) == []


def test_text_analysis_runs_with_django_absent():
    # Importing django raises ImportError when sys.modules holds None for it.
    script = (
        "import sys\n"
        "sys.modules['django'] = None\n"
        "from claims.text import display, language, passages, segmenter, similarity, suggest\n"
        "text = 'On 12 May 2023 the ministry said 41.2% of 9,000 soldiers left Minsk.'\n"
        "assert suggest.suggest_claims(text)\n"
        "assert passages.match_passages('soldiers left Minsk', text)\n"
        "assert similarity.similarity_key(text)\n"
        "assert segmenter.split_sentences(text)\n"
        "language.guess_language(text)\n"
        "display.line_diff('a', 'b')\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
