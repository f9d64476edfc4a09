"""Browser tests: Playwright driving the system's Chromium, with axe-core from npm.

They run when Chromium and axe-core are installed (`.ci/run` installs both) and are
skipped, saying why, when either is missing.
"""

import os
import shutil
from pathlib import Path

import pytest
from django.core.management import call_command

HERE = Path(__file__).resolve().parent
AXE = HERE / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = HERE / "artifacts"
PAKS_DEMO_FILES = HERE.parents[1] / "paks" / "demo_files"
CHROMIUM = os.environ.get("PAKS_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"

# Playwright's sync API runs an event loop in this thread; the live server's database
# work happens in its own thread, and the fixtures below only run outside the loop.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(config, items):
    reason = None
    if not Path(CHROMIUM).exists():
        reason = f"Chromium not found at {CHROMIUM} (apt-get install chromium)"
    elif not AXE.exists():
        reason = "axe-core not installed (npm ci --prefix tests/browser)"
    else:
        try:
            import playwright  # noqa: F401
        except ImportError:
            reason = "playwright is not installed (pip install -e '.[dev]')"
    if reason and os.environ.get("PAKS_REQUIRE_BROWSER"):
        raise pytest.UsageError(f"browser tests required but cannot run: {reason}")
    if reason:
        for item in items:
            if "browser" in item.keywords:
                item.add_marker(pytest.mark.skip(reason=reason))


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def demo_site(live_server, transactional_db, monkeypatch):
    # The demo accounts' passwords are random unless given; the tests sign in with these.
    monkeypatch.setenv("PAKS_DEMO_EDITOR_PASSWORD", "paks-editor-demo")
    monkeypatch.setenv("PAKS_DEMO_FOCAL_PASSWORD", "paks-focal-demo")
    call_command("load_reference", verbosity=0)
    call_command("load_demo", verbosity=0)
    ARTIFACTS.mkdir(exist_ok=True)
    return live_server


def run_axe(page) -> list[dict]:
    """axe-core's WCAG 2.0/2.1/2.2 A and AA rules on the current page; the violations found."""
    # Evaluated through the browser's DevTools protocol, as no inline script may run under
    # the pages' Content-Security-Policy (which stays on during these tests).
    page.evaluate(AXE.read_text())
    result = page.evaluate(
        """() => axe.run(document, {runOnly: {type: 'tag', values:
            ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']}})"""
    )
    return [
        {"id": v["id"], "help": v["help"], "targets": [n["target"] for n in v["nodes"]][:5]}
        for v in result["violations"]
    ]
