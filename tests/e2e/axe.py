"""Accessibility checks with axe-core (from npm, see package.json) for any browser test.

The site's own pages must have no violation at all, whatever its impact (minor and moderate
included). The Wagtail admin's pages are Wagtail's: `assert_no_new_admin_violations` fails
only on findings that are not among Wagtail's own known ones (WAGTAIL_ADMIN_FINDINGS), so
that nothing our code adds to the admin goes unnoticed; the known ones are listed in the
accessibility statement's known problems (demo/statement.py).
"""

from pathlib import Path

AXE_JS = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
ALL_IMPACTS = {"minor", "moderate", "serious", "critical"}

# Wagtail's own findings on the admin pages coordinators use, as (rule, selector fragment):
# a violation is Wagtail's when every node it names matches one of these. Keep in step with
# the Wagtail problem in the accessibility statement (demo/statement.py).
WAGTAIL_ADMIN_FINDINGS: set[tuple[str, str]] = {
    # Draftail, Wagtail's rich-text editor: its editable area (role=textbox) is described by
    # its placeholder but has no accessible name (found on every page form with rich text).
    ("aria-input-field-name", 'div[aria-describedby="placeholder-'),
}


def axe_violations(page, *, impacts=ALL_IMPACTS, skip_rules=()) -> list[dict]:
    """Run axe-core (WCAG 2.0/2.1 A and AA rules) on the page; return its findings."""
    if not AXE_JS.exists():
        raise AssertionError("axe-core is missing: run 'npm ci' (make test does)")
    # A click that navigates returns before the next document exists; axe must not be
    # injected into the page that is going away (its <head> is already gone).
    page.wait_for_load_state("load")
    page.wait_for_function("document.head !== null && document.readyState === 'complete'")
    page.add_script_tag(path=str(AXE_JS))
    result = page.evaluate(
        """async () => await axe.run(document, {
            runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']},
            resultTypes: ['violations'],
        })"""
    )
    return [
        v for v in result["violations"] if v.get("impact") in impacts and v["id"] not in skip_rules
    ]


def _report(page, violations, what: str) -> str:
    lines = [f"axe found {len(violations)} {what} on {page.url}:"]
    for v in violations:
        targets = ", ".join(str(n["target"]) for n in v["nodes"][:5])
        lines.append(f"- [{v['impact']}] {v['id']}: {v['help']} -> {targets}")
    return "\n".join(lines)


def _has_userbar(page) -> bool:
    return page.locator("wagtail-userbar").count() > 0


def assert_accessible(page) -> None:
    """Fail with a readable list when axe finds any problem on a page of the site.

    On a page that shows the Wagtail userbar (to editors and coordinators) axe's `region`
    rule is skipped: the userbar's own unlabelled regions are Wagtail's, being fixed apart
    (issue 16's glitches) and listed in the accessibility statement meanwhile."""
    skip = ("region",) if _has_userbar(page) else ()
    violations = axe_violations(page, skip_rules=skip)
    if violations:
        raise AssertionError(_report(page, violations, "accessibility problem(s)"))


def _is_wagtails(violation: dict) -> bool:
    return all(
        any(
            rule == violation["id"] and fragment in str(node["target"])
            for rule, fragment in WAGTAIL_ADMIN_FINDINGS
        )
        for node in violation["nodes"]
    )


def admin_violations_not_wagtails(page) -> list[str]:
    """On a Wagtail admin page: the findings that are not Wagtail's own known ones, as
    readable lines (empty when there are none)."""
    ours = [v for v in axe_violations(page) if not _is_wagtails(v)]
    return [_report(page, ours, "admin problem(s) not known as Wagtail's")] if ours else []


def axe_rule_violations(page, rules: list[str]) -> list[dict]:
    """Run only the named axe rules (of any tag, e.g. the best-practice `region`); every
    finding counts, whatever its impact."""
    if not AXE_JS.exists():
        raise AssertionError("axe-core is missing: run 'npm ci' (make test does)")
    # A click that navigates returns before the next document exists; axe must not be
    # injected into the page that is going away (its <head> is already gone).
    page.wait_for_load_state("load")
    page.wait_for_function("document.head !== null && document.readyState === 'complete'")
    page.add_script_tag(path=str(AXE_JS))
    result = page.evaluate(
        """async (rules) => await axe.run(document, {
            runOnly: {type: 'rule', values: rules}, resultTypes: ['violations'],
        })""",
        rules,
    )
    return result["violations"]
