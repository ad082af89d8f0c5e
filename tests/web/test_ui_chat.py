"""The chat as a chat, in Chromium against the real app (issue 18, items 3–7).

Follow-up suggestions, a chart in a figure answer, the stop button against a slow streamed answer
from the fake model server (the server stops generating), keep-alive during a slow stream, safe
Markdown tables and links, the klarspråk check beside a draft, and the neutral change marker.
Every view is checked with axe (no serious or critical violations).
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest

from tests.assistant.fake_openai import FakeOpenAIServer
from tests.web.test_ui_browser import _settings, browser, draft_the_2025_index_chapter
from tests.web.ui_helpers import BROWSER, assert_accessible, page_in, screenshot, serve

__all__ = ["browser"]  # the module's Chromium (a fixture)

pytestmark = BROWSER

#: Seconds between keep-alive comments in the model-mode app (the model "thinks" longer).
KEEPALIVE = 0.3


@pytest.fixture(scope="module")
def offline_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The real app in offline mode (no documents: every suggestion is a data question)."""
    from web.app import create_app

    settings = _settings(tmp_path_factory.mktemp("ui-chat"), auth="off")
    with serve(create_app(settings)) as url:
        yield url


@pytest.fixture(scope="module")
def model() -> Iterator[FakeOpenAIServer]:
    server = FakeOpenAIServer().start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def llm_url(tmp_path_factory: pytest.TempPathFactory, model: FakeOpenAIServer) -> Iterator[str]:
    """The real app with the fake model server as its language model."""
    from web.app import create_app
    from web.settings import Settings

    settings = Settings(
        data_dir=tmp_path_factory.mktemp("ui-llm"),
        auth="off",
        llm_base_url=model.base_url,
        llm_model="fake-model",
        llm_timeout=30,
        chroma_url=None,
        database_url=None,
        rate_limit_per_minute=0,
        stream_keepalive_seconds=KEEPALIVE,
    )
    with serve(create_app(settings)) as url:
        yield url


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    with page_in(browser, bypass_csp=True) as page:
        yield page


def ask(page: Any, question: str) -> Any:
    """Ask in the chat; the new assistant message once it is finished."""
    count = page.locator(".msg-assistant").count()
    page.fill("#chat-input", question)
    page.click("#chat-send")
    msg = page.locator(".msg-assistant").nth(count)
    msg.locator(".answer[aria-busy='false']").wait_for(timeout=120_000)
    return msg


def test_a_figure_answer_shows_its_chart_and_suggestions_that_can_be_clicked(
    page: Any, offline_url: str
) -> None:
    page.goto(f"{offline_url}/")
    first = ask(page, "Vad blev digitaliseringsindex 2025?")
    assert "8,2" in first.locator(".answer").inner_text()

    # The dashboard's chart, drawn by the server, with its table alternative.
    chart = first.locator("figure.chat-chart[data-chart='index_trend']")
    img = chart.locator("img")
    img.wait_for()
    page.wait_for_function(
        "document.querySelector('.chat-chart img').complete"
        " && document.querySelector('.chat-chart img').naturalWidth > 0"
    )
    assert "/api/charts/index_trend?year=2025" in (img.get_attribute("src") or "")
    assert "tabellen nedan" in (img.get_attribute("alt") or "")
    chart.locator("summary").click()
    table = chart.locator("table")
    table.locator("tbody tr").first.wait_for()
    assert "2025" in table.inner_text() and "8,2" in table.inner_text()

    # Follow-up suggestions as buttons; a click asks the question.
    chips = first.locator(".followups button.chip")
    assert chips.count() == 3
    suggested = [chips.nth(i).inner_text() for i in range(3)]
    assert suggested[0] == "Vad drev förändringen i digitaliseringsindex 2025?"
    screenshot(page, "chatt-foljdfragor")
    assert_accessible(page, "chatt med diagram och följdfrågor")
    chips.first.click()
    second = page.locator(".msg-assistant").nth(1)
    second.locator(".answer[aria-busy='false']").wait_for(timeout=120_000)
    assert page.locator(".msg-user").nth(1).inner_text().endswith(suggested[0])
    assert "8,2 mot 8,1" in second.locator(".answer").inner_text()
    # A "why" answer shows the waterfall; only the latest answer keeps its suggestions.
    second.locator("figure.chat-chart[data-chart='forandring_index']").wait_for()
    assert first.locator(".followups").count() == 0
    assert second.locator(".followups button.chip").count() >= 2


def _last_stream(model: FakeOpenAIServer) -> dict[str, Any]:
    """The fake model's last streamed reply, once it was cut (or after 10 s)."""
    deadline = time.monotonic() + 10
    while not (model.streams and model.streams[-1]["cut"]) and time.monotonic() < deadline:
        time.sleep(0.1)
    return model.streams[-1]


def test_the_stop_button_stops_a_slow_answer_and_the_server_stops_generating(
    page: Any, llm_url: str, model: FakeOpenAIServer
) -> None:
    answer = "Digitaliseringsindex sammanfattar förutsättningar, resultat och nytta. " * 12
    model.script({"content": answer, "chunk_delay": 0.1})
    page.goto(f"{llm_url}/")
    page.fill("#chat-input", "Berätta om indexet")
    page.click("#chat-send")
    stop = page.locator("#chat-stop")
    stop.wait_for(state="visible")
    msg = page.locator(".msg-assistant").first
    page.wait_for_function(
        "document.querySelector('.msg-assistant .answer').textContent.includes('förutsättningar')"
    )
    stop.click()
    msg.locator(".stopped-note").wait_for()
    assert msg.locator(".answer").get_attribute("aria-busy") == "false"
    assert page.locator("#chat-status").inner_text() == "Svaret stoppades."
    assert stop.is_hidden() and page.locator("#chat-send").is_enabled()
    shown = msg.locator(".answer").inner_text()
    assert len(shown) < len(answer) / 2

    stream = _last_stream(model)
    assert stream["cut"], stream  # the model server saw the app hang up ...
    assert stream["sent"] < stream["chunks"] / 2, stream  # ... and stopped early
    # The stopped turn is kept, marked stopped, and can be resumed.
    page.locator("#conv-list button").first.wait_for()
    page.goto(f"{llm_url}/#chatt")
    page.locator("#conv-list button").first.click()
    page.locator(".msg-assistant .stopped-note").wait_for()
    assert_accessible(page, "stoppat svar")


def test_a_slow_stream_stays_alive_and_renders_tables_and_links_safely(
    page: Any, llm_url: str, model: FakeOpenAIServer
) -> None:
    content = (
        "Så här ser indexet ut:\n\n"
        "| År | Index |\n|---|---:|\n| 2024 | 8,1 |\n| 2025 | 8,2 |\n\n"
        "Läs mer i [rapporten](https://example.org/rapport) "
        "<img src=x onerror=\"document.title='owned'\"> och [här](javascript:alert(1))."
    )
    # The model thinks for 2 s before its first token: the app sends keep-alive comments.
    step = {"delay": 2.0, "content": content}
    page.on("dialog", lambda dialog: pytest.fail(f"a dialog opened: {dialog.message}"))
    page.goto(f"{llm_url}/")

    model.script(step)
    raw = page.evaluate(
        """async () => {
            const r = await fetch('/api/chat/stream', {method: 'POST',
              headers: {'Content-Type': 'application/json'},
              body: JSON.stringify({message: 'Visa indexet som tabell'})});
            return await r.text();
        }"""
    )
    assert raw.count(": keep-alive") >= 3, raw[:300]
    assert "event: done" in raw

    model.script(step)
    msg = ask(page, "Visa indexet som tabell")
    table = msg.locator(".answer table")
    assert table.locator("thead th").all_inner_texts() == ["År", "Index"]
    assert table.locator("tbody tr").count() == 2
    # right-aligned number cells (marked: the model called no tool, so they are untraced)
    cells = table.locator("tbody td.num").all_inner_texts()
    assert [c.split("\n")[0] for c in cells] == ["8,1", "8,2"]
    assert "|" not in msg.locator(".answer").inner_text()
    link = msg.locator(".answer a")
    assert link.count() == 1
    assert link.get_attribute("href") == "https://example.org/rapport"
    assert "noopener" in (link.get_attribute("rel") or "")
    assert msg.locator(".answer img").count() == 0
    text = msg.locator(".answer").inner_text()
    assert "<img src=x onerror=\"document.title='owned'\">" in text  # shown, never run
    assert "här" in text and "javascript" not in text  # the javascript: link is only its text
    assert page.title() != "owned"
    assert_accessible(page, "tabell i svar")


def test_the_klarsprak_check_is_shown_beside_the_draft(page: Any, offline_url: str) -> None:
    page.goto(f"{offline_url}/#utkast")
    draft_the_2025_index_chapter(page)
    aside = page.locator("#draft-klarsprak")
    aside.wait_for()
    text = aside.inner_text()
    assert "Klarspråk" in text and "LIX 35,2" in text and "når målet" in text
    box = aside.bounding_box()
    preview = page.locator("#draft-preview").bounding_box()
    assert box is not None and preview is not None and box["x"] > preview["x"] + preview["width"]
    assert_accessible(page, "utkast med klarspråk")

    page.select_option("#draft-chapter", "mognad")
    page.click("#draft-form button[type=submit]")
    page.wait_for_function(
        "document.querySelector('#draft-klarsprak').textContent.includes('fasta begrepp')"
    )
    passive = aside.locator("details", has_text="Passiv form")
    assert "(4)" in passive.locator("summary").inner_text()
    assert passive.locator("mark.flag").count() >= 4
    screenshot(page, "utkast-klarsprak")


def test_an_unchanged_figure_is_neutral_and_a_count_is_not_judged(
    page: Any, offline_url: str
) -> None:
    page.goto(f"{offline_url}/#index")
    page.locator(".kpi-main .kpi-value").wait_for()
    # 2025: fewer initiatives than 2024 is not coloured as a failure.
    count = page.locator(".kpi:has(.kpi-label:text-is('Antal initiativ')) .kpi-change")
    assert "-3 jämfört med 2024" in count.inner_text()
    assert "neutral" in (count.get_attribute("class") or "")
    assert "bad" not in (count.get_attribute("class") or "")
    # 2024: the index is unchanged as shown (±0,0): a neutral marker, no arrow, no colour.
    page.select_option("#year-select", "2024")
    page.wait_for_function(
        "document.querySelector('.kpi-main .kpi-label').textContent.includes('2024')"
    )
    change = page.locator(".kpi-main .kpi-change")
    assert change.inner_text().startswith("= oförändrat (±0,0 jämfört med 2023)")
    assert "same" in (change.get_attribute("class") or "")
    assert "▲" not in change.inner_text()
    assert_accessible(page, "index 2024")
