"""axe-core in the browser tests: added to every page of a browser context, run on a page as it is.

The copy of axe-core bundled by axe-playwright-python, so nothing is fetched at run time. It is
added by an init script, which Chromium runs outside the page's Content-Security-Policy, so the
pages' policy stays as strict as in production. A page fails on any violation of impact
"critical" or "serious": text below WCAG AA contrast, a field or button without a name, a table
that scrolls out of a keyboard's reach...
"""

from axe_playwright_python.base import AXE_SCRIPT
from playwright.sync_api import BrowserContext, Page

FAILING_IMPACTS = frozenset({"critical", "serious"})


def axe_add(context: BrowserContext) -> None:
    """Load axe-core into every page the context opens from now on."""
    context.add_init_script(script=AXE_SCRIPT)


def serious_violations(page: Page, *, where: str = "") -> list[str]:
    """axe's critical and serious violations on the page as it is now: one entry a node.

    `where` is added after the page's URL in each entry (for example " at phone size").
    """
    results = page.evaluate("axe.run({resultTypes: ['violations']})")
    found = []
    for violation in results["violations"]:
        if violation["impact"] not in FAILING_IMPACTS:
            continue
        for node in violation["nodes"]:
            found.append(
                f"{page.url}{where}: {violation['id']} ({violation['impact']}) "
                f"{' '.join(map(str, node['target']))}\n    {node['html'][:200]}\n    "
                + node["failureSummary"].replace("\n", " ")
            )
    return found


def assert_no_serious_violations(found: list[str]) -> None:
    assert not found, f"{len(found)} critical or serious accessibility violations:\n" + "\n".join(found)
