"""Verified answers and feedback in a real Chromium against the real app, keys and roles on.

An editor verifies an answer (editing its text); a reader asks a paraphrase and sees "Verifierat
svar" with the editor's name; the reader gives a thumbs down with a comment; the editor finds it
first in "Svarskvalitet", opens the conversation and turns a corrected answer into a verified
one. axe-core finds no serious or critical WCAG 2.1 A/AA violations on the way.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.web.test_ui_browser import KEY_NAME, _settings
from tests.web.ui_helpers import (
    BROWSER,
    CHROMIUM,
    CHROMIUM_ARGS,
    assert_accessible,
    page_in,
    screenshot,
    serve,
)

pytestmark = BROWSER


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, dict[str, str]]]:
    """The real app with keys on: an editor's and a reader's key."""
    from web.app import create_app
    from web.services import Services

    services = Services(
        _settings(tmp_path_factory.mktemp("ui-verified"), auth="on", verified_seed=False)
    )
    keys = {
        "editor": services.storage.create_api_key("Eva Redaktör", "editor")[1],
        "reader": services.storage.create_api_key("Rut Läsare", "reader")[1],
    }
    with serve(create_app(services.settings, services=services)) as url:
        yield url, keys


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def ask(page: Any, question: str, nth: int) -> Any:
    page.fill("#chat-input", question)
    page.click("#chat-send")
    page.locator(".msg-assistant .answer[aria-busy='false']").nth(nth).wait_for(timeout=120_000)
    return page.locator(".msg-assistant").nth(nth)


def login(page: Any, url: str, key: str) -> None:
    """Open the UI with ``key`` where the UI keeps it (the tab's sessionStorage)."""
    page.add_init_script(f"sessionStorage.setItem({KEY_NAME!r}, {key!r})")
    page.goto(f"{url}/#chatt")
    page.wait_for_function("document.documentElement.dataset.ready === 'true'")
    page.locator("#user-name").wait_for()


def test_verify_ask_a_paraphrase_rate_and_correct_from_the_feedback_list(
    browser: Any, server: tuple[str, dict[str, str]]
) -> None:
    url, keys = server
    with page_in(browser, bypass_csp=True) as editor, page_in(browser, bypass_csp=True) as reader:
        # The editor asks, edits the answer and verifies it.
        login(editor, url, keys["editor"])
        assert editor.locator("#tab-kvalitet").is_visible()
        answer = ask(editor, "Vad blev digitaliseringsindex 2025?", 0)
        answer.get_by_role("button", name="Verifiera svaret").click()
        text = answer.get_by_label("Svar", exact=True)
        original = text.input_value()
        assert "8,2" in original
        text.fill(original.split("\n\n")[0] + " Granskat av digitaliseringsenheten.")
        answer.get_by_role("button", name="Spara som verifierat svar").click()
        answer.get_by_text("Svaret är verifierat.").wait_for()
        assert_accessible(editor, "verifiera-svar")

        # A reader asks the same thing in other words and sees the verified answer, labelled.
        login(reader, url, keys["reader"])
        assert reader.locator("#tab-kvalitet").is_hidden()
        got = ask(reader, "Vad landade digitaliseringsindex på för 2025?", 0)
        badge = got.locator(".verified-badge")
        badge.wait_for()
        assert "Verifierat svar" in badge.inner_text()
        assert "Eva Redaktör" in badge.inner_text()
        assert "Granskat av digitaliseringsenheten." in got.locator(".answer").inner_text()
        assert "8,2" in got.locator(".answer").inner_text()
        assert got.get_by_role("button", name="Verifiera svaret").count() == 0  # readers cannot

        # Another year is another question: no label.
        other = ask(reader, "Vad blev digitaliseringsindex 2024?", 1)
        assert other.locator(".verified-badge").count() == 0

        # The reader is unhappy with the second answer: thumbs down and a comment.
        other.get_by_role("button", name="Dåligt svar").click()
        other.get_by_text("Tack för ditt omdöme").wait_for()
        assert other.get_by_role("button", name="Dåligt svar").get_attribute("aria-pressed") == (
            "true"
        )
        other.get_by_label("Kommentar (valfri)").fill("Jag ville ha komponenterna också.")
        other.get_by_role("button", name="Skicka kommentar").click()
        other.get_by_text("kommentaren är sparad").wait_for()
        screenshot(reader, "verifierat-svar-och-omdome")
        assert_accessible(reader, "verifierat-svar-och-omdome")

        # The editor sees it first in the quality tab, opens the conversation and verifies a
        # corrected answer.
        editor.click("#tab-kvalitet")
        item = editor.locator("#feedback-list .feedback-item").first
        item.wait_for()
        assert "Dåligt svar" in item.inner_text()
        assert "Jag ville ha komponenterna också." in item.inner_text()
        assert "Vad blev digitaliseringsindex 2024?" in item.inner_text()
        item.get_by_role("button", name="Öppna samtalet").click()
        item.locator(".feedback-conversation .msg-user").first.wait_for()
        assert item.locator(".feedback-conversation .msg-assistant").count() == 2
        assert item.locator(".msg-assistant.is-rated").count() == 1
        item.get_by_role("button", name="Gör till verifierat svar").click()
        corrected = item.get_by_label("Svar", exact=True)
        corrected.fill("Digitaliseringsindex 2024 var 8,1. Komponenterna: Resultat 8,5.")
        item.get_by_role("button", name="Spara som verifierat svar").click()
        verified = editor.locator("#verified-list .verified-item")
        editor.wait_for_function("document.querySelectorAll('#verified-list li').length === 2")
        assert "Vad blev digitaliseringsindex 2024?" in verified.first.inner_text()
        screenshot(editor, "svarskvalitet")
        assert_accessible(editor, "svarskvalitet")

        # The reader now gets the corrected answer for 2024.
        fixed = ask(reader, "Vad landade digitaliseringsindex på för 2024?", 2)
        fixed.locator(".verified-badge").wait_for()
        assert "Resultat 8,5" in fixed.locator(".answer").inner_text()

        # Deleting it stops it (the editor's list updates).
        editor.once("dialog", lambda dialog: dialog.accept())
        verified.first.get_by_role("button", name="Ta bort").click()
        editor.wait_for_function("document.querySelectorAll('#verified-list li').length === 1")
