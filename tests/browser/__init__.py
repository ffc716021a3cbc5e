"""Headless Chromium for browser tests: Playwright for Python driving Debian's Chromium.

A browser test module takes over the fixtures and marks its browser tests:

    from tests import browser as browser_support

    browser, screenshots = browser_support.browser, browser_support.screenshots

    @pytest.mark.browser
    @browser_support.browser_db
    def test_something(live_server, browser, screenshots):
        page = browser.new_page()
        page.goto(live_server.url)
        screenshots(page, "startseite")

Without Playwright or Chromium the tests skip and say why; with the environment variable CI set
they fail instead, so that a CI machine cannot pass by skipping them. `.ci/run` installs Chromium.
Screenshots land in test-artifacts/<test name>/ at the repository root (git-ignored).
"""

import itertools
import os
import re
import shutil
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"

# Browser tests serve pages from a live server thread, so they need committed data; the
# serialized rollback restores what the migrations created (the page tree's root, the default
# site) for the tests that run after them.
browser_db = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def unavailable(reason):
    if os.environ.get("CI"):
        pytest.fail(f"{reason}; CI is set, so browser tests must run rather than skip.")
    pytest.skip(reason)


@pytest.fixture
def browser(monkeypatch):
    """A headless Chromium, closed after the test."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        unavailable("Playwright for Python is not installed (pip install -e '.[test]')")
    if not os.access(CHROMIUM, os.X_OK):
        unavailable(f"No Chromium at {CHROMIUM} (apt-get install chromium)")
    # Playwright's sync API keeps an event loop running in the test's thread, and Django
    # refuses database access from such a thread unless told that it is safe here.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=LAUNCH_ARGS
        )
        yield chromium
        chromium.close()


@pytest.fixture
def screenshots(request):
    """`screenshots(page, "name")` saves a numbered full-page screenshot of the test's steps."""
    directory = ARTIFACTS / re.sub(r"[^\w.-]+", "_", request.node.name)
    shutil.rmtree(directory, ignore_errors=True)
    directory.mkdir(parents=True)
    numbers = itertools.count(1)

    def take(page, name):
        path = directory / f"{next(numbers):02d}-{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take
