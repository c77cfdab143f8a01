"""Chromium for the browser tests: the session's browser and the `page` fixture live in
tests/conftest.py, so that tests in any folder share the one Playwright instance."""

# Debian's Chromium: Playwright's own browser download is not available here.
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
PHONE = {"width": 390, "height": 844}
