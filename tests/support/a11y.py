"""axe-core in the browser tests: the serious and critical violations of a page.

axe.min.js (vendored from the npm registry, see vendor/ORIGIN.md) is evaluated through
the DevTools protocol, which the pages' Content-Security-Policy (scripts from 'self'
only) does not govern, so the app's policy needs no exception for the tests.
"""

from pathlib import Path

AXE = Path(__file__).resolve().parent / "vendor" / "axe.min.js"
SEVERE = ("serious", "critical")

_RUN = """async () => {
    const result = await axe.run(document, {resultTypes: ["violations"]});
    return result.violations.map(v => ({
        id: v.id, impact: v.impact, help: v.help,
        nodes: v.nodes.slice(0, 5).map(n => n.target.join(" ") + " :: " + n.failureSummary),
    }));
}"""


def axe_violations(page, impacts=SEVERE):
    """The page's axe violations of the given impacts (serious and critical by default)."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(AXE.read_text(encoding="utf-8"))
    return [v for v in page.evaluate(_RUN) if v["impact"] in impacts]


def assert_accessible(page, where):
    found = axe_violations(page)
    assert not found, f"axe on {where}: " + "; ".join(
        f"{v['impact']} {v['id']} ({v['help']}): {v['nodes']}" for v in found
    )
