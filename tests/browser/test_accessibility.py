"""BITV 2.0 / WCAG 2.1 AA in a real browser: axe-core in headless Chromium on every key page,
at desktop and at phone width, with screenshots saved to test-artifacts/accessibility/.

Also checks what axe cannot: the skip link is the first thing the keyboard reaches and is
visible then, no request leaves for another host, and the half-year report prints as a clean
A4 document (no navigation, one page per section).
"""

import re
import shutil
from pathlib import Path

import pytest
from django.conf import settings

from tests.browser import CHROMIUM, LAUNCH_ARGS, unavailable
from tests.scenarios import marked_site

# The live server reads the data from another thread, hence real transactions; the serialized
# rollback brings back what the migrations created (root page, locale, site) after each flush.
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
# The phone is 320 CSS pixels wide, the width WCAG 1.4.10 (reflow) asks content to fit.
VIEWPORTS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 320, "height": 640}}
ARTIFACTS = Path(settings.BASE_DIR) / "test-artifacts" / "accessibility"


@pytest.fixture(scope="module")
def axe():
    try:
        from axe_playwright_python.sync_playwright import Axe
    except ImportError:
        unavailable("axe-playwright-python is not installed (pip install -e '.[test]')")
    return Axe()


@pytest.fixture
def site(site_root):
    site = marked_site(site_root)
    # Every URL is worked out now: once Playwright runs, this thread's code runs in a greenlet
    # in which Django hands out a different database connection.
    site["paths"] = {
        "startseite": "/",
        "ergebnisregister": site["results"].url,
        "ergebnis": site["result"].url,
        "sitzungskalender": site["meetings"].url,
        "sitzung": site["held"].url,
        "mitglieder": site["members_page"].url,
        "suche": "/suche/?q=Sitzung",
        "halbjahresbericht": site["report"].url,
        "themenfeld": site["topic_admin"].url,
        "barrierefreiheit": site["accessibility"].url,
        "nicht-gefunden": "/gibt-es-nicht/",
    }
    return site


@pytest.fixture
def browser(site, live_server, monkeypatch):
    """Chromium for one test, started after the test data exists and stopped before the
    database is cleaned up. (Module scope would leave Playwright's greenlet running while
    pytest-django restores the database for the next test, on the wrong connection.)"""
    # Playwright's sync API runs an event loop in this thread; Django refuses database access
    # from a thread with a running loop unless told that this is intended.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    try:
        from playwright.sync_api import Error, sync_playwright
    except ImportError:
        unavailable("playwright is not installed")
    if not Path(CHROMIUM).exists():
        unavailable(f"No Chromium at {CHROMIUM} (apt-get install chromium)")
    playwright = sync_playwright().start()
    try:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
    except Error as error:
        playwright.stop()
        unavailable(f"Chromium does not start: {error}")
    yield browser
    browser.close()
    playwright.stop()


@pytest.fixture(scope="module")
def artifacts():
    shutil.rmtree(ARTIFACTS, ignore_errors=True)
    ARTIFACTS.mkdir(parents=True)
    return ARTIFACTS


# The page, or a table's scroll box, wider than what the window shows of it.
WIDER_THAN_THE_WINDOW = """() => {
    const wider = [];
    if (document.documentElement.scrollWidth > window.innerWidth) wider.push("page");
    document.querySelectorAll(".table-scroll").forEach((box, index) => {
        if (box.scrollWidth > box.clientWidth + 1) wider.push(`table ${index + 1}`);
    });
    return wider;
}"""


# Table wrappers that are a tab stop without scrolling, or scroll without being one.
MISMARKED_TABLES = """() => [...document.querySelectorAll(".table-scroll")]
    .filter((box) => {
        const scrolls = box.scrollWidth > box.clientWidth + 1;
        return (box.getAttribute("tabindex") === "0") !== scrolls;
    })
    .map((box) => box.getAttribute("aria-label") || box.getAttribute("aria-labelledby"))"""


def describe(violations):
    lines = []
    for violation in violations:
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']}")
        for node in violation["nodes"][:5]:
            lines.append(f"    {', '.join(node['target'])}: {node['failureSummary']}")
    return "\n".join(lines)


def test_key_pages_have_no_wcag_21_aa_violations(live_server, browser, axe, artifacts, site):
    options = {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]}
    report = {}
    too_wide = {}
    tab_stops = {}
    foreign_requests = []
    for viewport_name, viewport in VIEWPORTS.items():
        context = browser.new_context(viewport=viewport, locale="de-DE")
        page = context.new_page()
        page.on(
            "request",
            lambda request: (
                foreign_requests.append(request.url)
                if not request.url.startswith((live_server.url, "data:"))
                else None
            ),
        )
        for name, path in site["paths"].items():
            response = page.goto(live_server.url + path)
            expected_status = 404 if name == "nicht-gefunden" else 200
            assert response.status == expected_status, (name, response.status)
            result = axe.run(page, options=options)
            report[f"{name} ({viewport_name})"] = result.response["violations"]
            page.screenshot(path=artifacts / f"{name}-{viewport_name}.png", full_page=True)
            wider = page.evaluate(WIDER_THAN_THE_WINDOW)
            if wider:
                too_wide[f"{name} ({viewport_name})"] = wider
            mismarked = page.evaluate(MISMARKED_TABLES)
            if mismarked:
                tab_stops[f"{name} ({viewport_name})"] = mismarked
        context.close()

    summary = "\n".join(
        f"{key}: {len(violations)} violation(s)" for key, violations in report.items()
    )
    (artifacts / "axe-summary.txt").write_text(summary + "\n")
    failures = {key: violations for key, violations in report.items() if violations}
    assert not failures, "\n\n".join(f"{key}\n{describe(v)}" for key, v in failures.items())
    assert foreign_requests == [], "the site must not load anything from another host"
    # WCAG 1.4.10: nothing to scroll sideways at phone width, tables included, which stack.
    assert too_wide == {}, too_wide
    # A table's wrapper is a tab stop exactly when it scrolls (static/js/site.js).
    assert tab_stops == {}, tab_stops


def test_skip_link_is_first_and_visible_on_focus(live_server, browser, site):
    context = browser.new_context(viewport=VIEWPORTS["desktop"])
    page = context.new_page()
    page.goto(live_server.url + site["paths"]["ergebnisregister"])
    assert page.locator("html").get_attribute("lang") == "de"

    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.className")
    assert focused == "skip-link"
    box = page.locator(".skip-link").bounding_box()
    assert box and box["x"] >= 0 and box["y"] >= 0, "the skip link shows when focused"
    outline = page.evaluate(
        "getComputedStyle(document.activeElement).outlineStyle + ' '"
        " + getComputedStyle(document.activeElement).backgroundColor"
    )
    assert outline != "none rgba(0, 0, 0, 0)", "focus must be visible"

    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    context.close()


def test_report_prints_as_a4_without_navigation_one_section_per_page(
    live_server, browser, artifacts, site
):
    context = browser.new_context()
    page = context.new_page()
    page.goto(live_server.url + site["paths"]["halbjahresbericht"])
    page.emulate_media(media="print")

    for selector in (".site-nav-bar", ".site-search", ".site-footer", ".breadcrumbs"):
        assert not page.locator(selector).is_visible(), f"{selector} must not print"
    assert page.locator(".report__sender").is_visible()
    # Links print with their address.
    link_after = page.evaluate(
        "getComputedStyle(document.querySelector('.report a[href^=\"http\"]'), '::after').content"
    )
    assert "attr(href)" in link_after or "plauen.de" in link_after

    pdf = page.pdf(path=artifacts / "halbjahresbericht.pdf", format="A4", prefer_css_page_size=True)
    pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf))
    # Title and summary, then meetings and results each on a page of their own.
    assert pages >= 3, pages
    mediabox = re.search(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)", pdf)
    width, height = (float(value) for value in mediabox.groups())
    assert (round(width), round(height)) == (595, 842), "A4 is 595 × 842 points"
    context.close()


def test_a_table_wider_than_its_column_becomes_a_tab_stop(live_server, browser, site):
    """static/js/site.js: the register's table fits, so its wrapper is no tab stop; made wider
    than the window, it scrolls, and the keyboard can reach it to scroll."""
    context = browser.new_context(viewport=VIEWPORTS["desktop"])
    page = context.new_page()
    page.goto(live_server.url + site["paths"]["ergebnisregister"])
    wrapper = page.locator(".table-scroll").first
    assert wrapper.get_attribute("tabindex") is None

    page.evaluate(
        "document.querySelector('.table-scroll table').style.minWidth = '3000px';"
        "window.dispatchEvent(new Event('resize'));"
    )

    assert wrapper.get_attribute("tabindex") == "0"
    context.close()
