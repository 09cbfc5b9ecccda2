"""Playwright on Debian's Chromium against Django's live server, with an axe-core check helper."""

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.helpers import ensure_task_areas

# Playwright's sync API runs an event loop in this thread; the ORM calls the tests make are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    # axe-core is injected as a script; the portal's strict CSP would (rightly) block it.
    return {**browser_context_args, "bypass_csp": True, "locale": "pl-PL", "viewport": {"width": 1280, "height": 900}}


@pytest.fixture(autouse=True)
def _reference_data(transactional_db):
    ensure_task_areas()


@pytest.fixture
def check_page():
    """``check_page(page, "name")``: screenshot to var/screenshots/ and zero axe WCAG 2.1 A/AA violations."""
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def check(page, name: str) -> None:
        page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
        results = axe.run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
        assert results.violations_count == 0, f"{name}: {page.url}\n{results.generate_report()}"

    return check


# Generous waits: a journey's page may run a background task inline (the test task backend is immediate), and CI
# runs two test processes on two cores; a wait is not a speed test (speed is measured by `make bench`).
expect.set_options(timeout=15_000)


@pytest.fixture(autouse=True)
def _fail_fast(page):
    page.set_default_timeout(30_000)


def log_in(page, live_server, email: str, password: str | None = None) -> None:
    """Sign in through the login form, as a person would."""
    from tests.accounts.factories import PASSWORD

    page.goto(f"{live_server.url}/konto/logowanie/")
    page.get_by_label("Adres e-mail").fill(email)
    page.get_by_label("Hasło").fill(password or PASSWORD)
    page.get_by_role("button", name="Zaloguj się").click()
