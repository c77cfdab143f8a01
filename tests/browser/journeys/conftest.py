import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import Browser, BrowserContext, Page

from ..axe import assert_no_serious_violations, axe_add, serious_violations
from ..conftest import PHONE

SCREENSHOTS = Path(settings.BASE_DIR) / "var" / "screenshots"
SIZES = {"desktop": {"width": 1280, "height": 800}, "phone": PHONE}


class Journey:
    """One journey at one screen size: a browser context for each person in it, and every page
    they are shown photographed and checked with axe (`step`)."""

    def __init__(self, browser: Browser, base_url: str, size: str, screenshots: Path) -> None:
        self.browser, self.base_url, self.size, self.screenshots = browser, base_url, size, screenshots
        self.contexts: list[BrowserContext] = []
        self.steps = 0
        self.loaded: list[str] = []  # every page a browser loaded, redirects aside
        self.checked: set[str] = set()
        self.refused: list[str] = []  # what the Content-Security-Policy blocked

    def person(self) -> Page:
        """A page in a browser context of its own: one person, with their own cookies."""
        phone = self.size == "phone"
        context = self.browser.new_context(
            base_url=self.base_url, viewport=SIZES[self.size], is_mobile=phone, has_touch=phone
        )
        context.set_default_timeout(10_000)
        axe_add(context)
        self.contexts.append(context)
        page = context.new_page()
        page.on("load", lambda loaded: self.loaded.append(loaded.url))
        page.on(
            "console",
            lambda message: (
                self.refused.append(message.text) if "Content Security Policy" in message.text else None
            ),
        )
        return page

    def step(self, page: Page, name: str) -> None:
        """Photograph the page as it is now and fail on any critical or serious axe violation."""
        page.wait_for_load_state()
        self.steps += 1
        page.screenshot(path=self.screenshots / f"{self.steps:02d}-{name}.png", full_page=True)
        self.checked.add(page.url)
        assert_no_serious_violations(serious_violations(page, where=f" at {self.size} size"))

    def finish(self, *, check: bool) -> None:
        for context in self.contexts:
            context.close()
        if not check:
            return
        assert not self.refused, self.refused
        unchecked = [url for url in self.loaded if url not in self.checked]
        assert not unchecked, f"Pages the journey showed without a step (screenshot and axe): {unchecked}"


@pytest.fixture(params=SIZES)
def journey(request, browser: Browser, live_server, transactional_db) -> Iterator[Journey]:
    """The journey of the test's module (test_<journey>.py), at desktop and at phone size."""
    name = request.module.__name__.rpartition(".")[2].removeprefix("test_")
    screenshots = SCREENSHOTS / name / request.param
    shutil.rmtree(screenshots, ignore_errors=True)  # no picture left from an older run
    screenshots.mkdir(parents=True)
    journey = Journey(browser, live_server.url, request.param, screenshots)
    failed_before = request.session.testsfailed
    yield journey
    # After a failure the journey stopped half-way: its pages left unchecked are no news.
    journey.finish(check=request.session.testsfailed == failed_before)
