"""Accessibility checks with axe-core (from npm, see package.json) for any browser test."""

from pathlib import Path

AXE_JS = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
BLOCKING = {"serious", "critical"}


def axe_violations(page, *, impacts=BLOCKING) -> list[dict]:
    """Run axe-core (WCAG 2.0/2.1 A and AA rules) on the page; return the blocking findings."""
    if not AXE_JS.exists():
        raise AssertionError("axe-core is missing: run 'npm ci' (make test does)")
    page.add_script_tag(path=str(AXE_JS))
    result = page.evaluate(
        """async () => await axe.run(document, {
            runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']},
            resultTypes: ['violations'],
        })"""
    )
    return [v for v in result["violations"] if v.get("impact") in impacts]


def assert_accessible(page) -> None:
    """Fail with a readable list when axe finds serious or critical problems."""
    violations = axe_violations(page)
    if violations:
        lines = [f"axe found {len(violations)} serious/critical problem(s) on {page.url}:"]
        for v in violations:
            targets = ", ".join(str(n["target"]) for n in v["nodes"][:5])
            lines.append(f"- [{v['impact']}] {v['id']}: {v['help']} -> {targets}")
        raise AssertionError("\n".join(lines))


def axe_rule_violations(page, rules: list[str]) -> list[dict]:
    """Run only the named axe rules (of any tag, e.g. the best-practice `region`); every
    finding counts, whatever its impact."""
    if not AXE_JS.exists():
        raise AssertionError("axe-core is missing: run 'npm ci' (make test does)")
    page.add_script_tag(path=str(AXE_JS))
    result = page.evaluate(
        """async (rules) => await axe.run(document, {
            runOnly: {type: 'rule', values: rules}, resultTypes: ['violations'],
        })""",
        rules,
    )
    return result["violations"]
