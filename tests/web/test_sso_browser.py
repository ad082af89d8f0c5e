"""The whole single sign-on login in Chromium: the UI, the provider's forms, the session, logout.

The provider is the real oidc-provider (node); the app runs with its Content-Security-Policy and a
Secure, HttpOnly session cookie (Chromium treats http://127.0.0.1 as a secure context).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.web.test_sso import running_site
from tests.web.ui_helpers import BROWSER, CHROMIUM, CHROMIUM_ARGS, page_in, screenshot

pytestmark = BROWSER


@pytest.fixture()
def page() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            with page_in(browser) as page:  # the app's Content-Security-Policy enforced
                yield page
        finally:
            browser.close()


def test_login_ask_and_logout_in_the_browser(page: Any, tmp_path: Path) -> None:
    with running_site(tmp_path) as site:  # session cookie Secure, as in production
        page.goto(f"{site.url}/")
        login = page.get_by_role("link", name="Logga in med organisationens konto")
        login.wait_for()
        login.click()

        # the provider's own login form, then its consent form
        page.wait_for_url(f"{site.issuer}/**")
        page.fill("input[name=login]", "anna")
        page.fill("input[name=password]", "vilket-som-helst")
        page.locator("button[type=submit]").first.click()
        page.locator("button[type=submit]").first.click()  # consent: "Continue"

        page.wait_for_url(f"{site.url}/**")
        user = page.locator("#user-name")
        user.wait_for()
        assert user.inner_text() == "Anna Andersson (läsare)"
        cookies = {c["name"]: c for c in page.context.cookies()}
        assert cookies["digi_session"]["httpOnly"] and cookies["digi_session"]["secure"]
        assert cookies["digi_session"]["sameSite"] == "Lax"

        # a question over the session cookie (the UI sends the CSRF token with the POST)
        page.fill("#chat-input", "Vad blev digitaliseringsindex 2025?")
        page.keyboard.press("Enter")
        page.locator(".conv-list .conv-title", has_text="digitaliseringsindex 2025").wait_for()
        answer = page.locator(".chat-log .msg-assistant").last
        answer.wait_for()
        assert "8,2" in answer.inner_text()
        screenshot(page, "sso-inloggad")

        # Bo, in another browser profile, sees an empty list: Anna's conversation is hers
        other = page.context.browser.new_context(locale="sv-SE")
        try:
            bo = other.new_page()
            bo.goto(f"{site.url}/")
            bo.get_by_role("link", name="Logga in med organisationens konto").click()
            bo.fill("input[name=login]", "bo")
            bo.fill("input[name=password]", "x")
            bo.locator("button[type=submit]").first.click()
            bo.locator("button[type=submit]").first.click()
            bo.wait_for_url(f"{site.url}/**")
            bo.locator("#user-name", has_text="Bo Berg (redaktör)").wait_for()
            bo.locator("#conv-empty", has_text="Inga sparade samtal").wait_for()
            assert bo.locator(".conv-list .conv-title").count() == 0
        finally:
            other.close()

        page.get_by_role("button", name="Logga ut").click()
        page.wait_for_url(f"{site.issuer}/**")  # the provider asks to confirm its own logout
        page.locator("button[name=logout][value=yes]").click()
        page.wait_for_url(f"{site.url}/")
        page.get_by_role("link", name="Logga in med organisationens konto").wait_for()
        assert "digi_session" not in {c["name"] for c in page.context.cookies()}
        assert site.services.storage.list_conversations(owner="sso:anna-0001")
