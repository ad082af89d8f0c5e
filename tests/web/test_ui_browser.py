"""The browser UI in a real Chromium against the real app (offline mode, real Chroma store).

One app per module: the bundled 2025 report is ingested once through the real store, then uvicorn
serves the app on a free port. Every test drives a page like a user would, checks what is shown,
runs axe-core on the result (no serious or critical WCAG 2.1 A/AA violations) and saves a
screenshot to ``test-artifacts/ui/``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

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

REPO = Path(__file__).resolve().parents[2]
#: Where the UI keeps the API key (sessionStorage; web/static/app.js KEY_STORAGE).
KEY_NAME = "digirapport.apiKey"
CORPUS_FILE = REPO / "data" / "corpus" / "nacka-digitaliseringsrapport-2025.txt"
ADMIN_KEY = "ui-test-admin-key-0123456789"


def _settings(data_dir: Path, **extra: Any) -> Any:
    from web.settings import Settings

    return Settings(
        data_dir=data_dir,
        llm_base_url=None,
        llm_api_key=None,
        chroma_url=None,
        database_url=None,
        rate_limit_per_minute=0,
        **extra,
    )


@pytest.fixture(scope="module")
def app_services(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """The assembled services with the bundled report ingested through the real store.

    The store starts as a copy of the process's one embedded report store (the report is not
    embedded twice); the ingest then finds the report unchanged.
    """
    from tests.ingest.helpers import copy_report_store
    from web.services import Services

    data_dir = copy_report_store(tmp_path_factory.mktemp("ui-data"))
    services = Services(_settings(data_dir, auth="off"))
    summary = services.store.ingest_paths([CORPUS_FILE])
    assert all(f.status != "failed" for f in summary.files), summary
    return services


@pytest.fixture(scope="module")
def base_url(app_services: Any) -> Iterator[str]:
    """The real app, served by uvicorn on a free localhost port."""
    from web.app import create_app

    with serve(create_app(app_services.settings, services=app_services)) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """One headless Chromium for the module."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    """A fresh page; fails the test on any uncaught JavaScript error."""
    # The harness injects axe-core and polls with string predicates, which the app's
    # Content-Security-Policy forbids; test_the_ui_runs_under_its_content_security_policy checks
    # the app with the policy enforced.
    with page_in(browser, accept_downloads=True, bypass_csp=True) as page:
        yield page


def test_chat_streams_a_cited_answer_and_resumes_the_conversation(page: Any, base_url: str) -> None:
    page.goto(f"{base_url}/")
    assert page.locator("html").get_attribute("lang") == "sv"
    banner = page.locator("#mode-text")
    page.wait_for_function("document.querySelector('#mode-text').textContent.includes('Offline')")
    assert "ingen språkmodell" in banner.inner_text()

    page.fill("#chat-input", "Vad säger rapporten om AI i kommunens vardag?")
    page.keyboard.press("Enter")
    answer = page.locator(".msg-assistant .answer[aria-busy='false']")
    answer.wait_for(timeout=120_000)
    assert len(answer.inner_text().strip()) > 40

    sources = page.locator(".msg-assistant .sources details")
    assert sources.count() >= 1
    first = sources.first
    summary = first.locator("summary").inner_text()
    assert "avsnitt" in summary.lower(), summary
    first.locator("summary").click()
    passage = first.locator("blockquote")
    passage.wait_for()
    assert len(passage.inner_text().strip()) > 20
    assert "offline" in page.locator(".msg-assistant .msg-mode").inner_text().lower()

    # A figure question: the index engine's result is shown as a card with its formula and n.
    page.fill("#chat-input", "Vad blev digitaliseringsindex 2025?")
    page.click("#chat-send")
    page.locator(".msg-assistant .answer[aria-busy='false']").nth(1).wait_for()
    second = page.locator(".msg-assistant").nth(1)
    assert "8,2" in second.inner_text()
    assert second.locator(".tool-card").count() >= 1
    assert "Beräkning" in second.locator(".tool-card").first.inner_text()
    screenshot(page, "chatt")
    assert_accessible(page, "chatt")

    # The conversation is listed and can be resumed in a new page.
    page.locator("#conv-list button").first.wait_for()
    page.goto(f"{base_url}/#chatt")
    page.locator("#conv-list button").first.click()
    page.locator(".msg-user").nth(1).wait_for()
    assert "digitaliseringsindex 2025" in page.locator(".msg-user").nth(1).inner_text()
    assert page.locator(".msg-assistant .sources details").count() >= 1


def test_dashboard_shows_the_2025_index_with_charts_and_tables(page: Any, base_url: str) -> None:
    page.goto(f"{base_url}/#index")
    main_value = page.locator(".kpi-main .kpi-value")
    main_value.wait_for()
    assert page.locator("#year-select").input_value() == "2025"
    assert main_value.inner_text().startswith("8,2")
    hero = page.locator("#index-hero").inner_text()
    for label, value in (("Förutsättningar", "7,0"), ("Resultat", "8,8"), ("Nytta", "8,7")):
        assert label in hero and value in hero, hero
    assert "jämfört med 2024" in hero

    # Every chart is a real image from /api/charts with Swedish alt text.
    images = page.locator("#chart-grid img")
    assert images.count() == 6
    page.wait_for_function(
        "[...document.querySelectorAll('#chart-grid img')].every(i => i.complete && i.src)"
    )
    for i in range(images.count()):
        img = images.nth(i)
        assert img.evaluate("i => i.naturalWidth") > 0, img.get_attribute("src")
        assert len(img.get_attribute("alt") or "") > 30
    assert "8,2" in (images.first.get_attribute("alt") or "")

    # The table alternative of the trend chart.
    trend = page.locator("[data-chart='index_trend'] details")
    trend.locator("summary").click()
    trend.locator("table tbody tr").first.wait_for()
    assert "8,2" in trend.locator("table").inner_text()

    # Drill-down per objekt, sortable.
    objekt = page.locator("#objekt-table table")
    assert "Ledning och styrning" in objekt.inner_text()
    objekt.locator("th button", has_text="Objekt").click()
    assert objekt.locator("th[aria-sort='ascending']").count() == 1
    assert page.locator("#area-table tbody tr").count() == 6

    screenshot(page, "index")
    assert_accessible(page, "index")

    # Another year.
    page.select_option("#year-select", "2024")
    page.wait_for_function(
        "document.querySelector('.kpi-main .kpi-label').textContent.includes('2024')"
    )
    assert main_value.inner_text().startswith("8,1")


def test_a_figure_card_opens_its_waterfall_and_the_what_if_panel_recomputes(
    page: Any, base_url: str
) -> None:
    page.goto(f"{base_url}/#index")
    page.locator(".kpi-main .kpi-value").wait_for()

    # The index card opens what moved it: a real waterfall image, its table and the drivers.
    page.locator(".kpi-main .explain-btn").click()
    panel = page.locator("#explain-panel")
    panel.locator("table tbody tr").first.wait_for()
    text = panel.inner_text()
    assert "8,1" in text and "8,2" in text and "Mest uppåt drog" in text
    rows = panel.locator("table tbody tr")
    assert rows.count() == 3 and "Resultat" in rows.first.inner_text()
    img = panel.locator("img")
    page.wait_for_function("document.querySelector('#explain-panel img')?.complete")
    assert "forandring_index" in (img.get_attribute("src") or "")
    assert img.evaluate("i => i.naturalWidth") > 0
    assert "Vattenfallsdiagram" in (img.get_attribute("alt") or "")
    screenshot(page, "explain")
    assert_accessible(page, "explain")

    # What if: genomförandegrad 95 % gives Resultat 9,5; the target 8,5 names what it takes.
    assert page.locator("#whatif-genomforandegrad").input_value() == "87,7"
    page.fill("#whatif-genomforandegrad", "95")
    page.locator("#whatif-form button[type=submit]").click()
    result = page.locator("#whatif-result table")
    result.wait_for()
    assert "9,5" in result.inner_text() and "(ändrad)" in result.inner_text()
    assert "Digitaliseringsindex blir 8,4" in page.locator("#whatif-result").inner_text()
    page.locator("#target-form button[type=submit]").click()
    page.locator("#target-result li").first.wait_for()
    targets = page.locator("#target-result").inner_text()
    assert "97,9 % behövs" in targets and "fler genomförda av 57 initiativ" in targets

    # A value out of range gets the server's Swedish message, not a stack trace.
    page.fill("#whatif-medarbetare_medel", "7")
    page.locator("#whatif-form button[type=submit]").click()
    page.locator("#whatif-result .is-error").wait_for()
    assert "mellan 1 och 5" in page.locator("#whatif-result").inner_text()
    screenshot(page, "whatif")
    assert_accessible(page, "whatif")


def test_classify_a_pasted_initiative_and_accept_a_correction(
    page: Any, base_url: str, app_services: Any
) -> None:
    page.goto(f"{base_url}/#klassa")
    page.fill("#cl-title", "Digital ansökan om färdtjänst")
    page.fill(
        "#cl-description",
        "Invånare ska kunna ansöka om färdtjänst via en e-tjänst med BankID i stället för "
        "pappersblankett. Handläggningen automatiseras delvis och beslutet skickas digitalt.",
    )
    page.click("#cl-submit")
    form = page.locator("#accept-form")
    form.wait_for(timeout=180_000)  # the first request trains the classifier
    assert form.locator("fieldset.axis").count() == 3
    for axis in ("innovation_effektivitet", "operativt_strategiskt", "extern_intern"):
        assert form.locator(f"input[name='{axis}']:checked").count() == 1
    assert page.locator("#cl-objekt").input_value() != ""
    assert form.locator("#similar table tbody tr").count() >= 1
    assert page.locator("#accept-submit").inner_text() == "Godkänn"

    # Change one axis: the button becomes "Spara korrigering".
    checked = int(form.locator("input[name='extern_intern']:checked").get_attribute("value"))
    new_value = 5 if checked != 5 else 4
    form.locator(f"label[for='ax-extern_intern-{new_value}']").click()
    assert page.locator("#accept-submit").inner_text() == "Spara korrigering"
    screenshot(page, "klassa")
    assert_accessible(page, "klassa")

    page.click("#accept-submit")
    confirmation = page.locator("#accept-message.is-ok")
    confirmation.wait_for()
    assert "sparad" in confirmation.inner_text()
    saved = [
        c
        for c in app_services.storage.list_classifications()
        if c["title"] == "Digital ansökan om färdtjänst"
    ]
    assert saved, "the accepted classification is not in the database"
    assert saved[-1]["extern_intern"] == new_value


def draft_the_2025_index_chapter(page: Any) -> Any:
    """On the Drafts view: ask for the index chapter of 2025; the preview once it is shown."""
    page.wait_for_selector("#draft-chapter option", state="attached")
    page.select_option("#draft-chapter", "index")
    page.select_option("#draft-year", "2025")
    page.click("#draft-form button[type=submit]")
    preview = page.locator("#draft-preview")
    preview.wait_for()
    return preview


def test_draft_preview_and_docx_download(page: Any, base_url: str, tmp_path: Path) -> None:
    from docx import Document

    page.goto(f"{base_url}/#utkast")
    preview = draft_the_2025_index_chapter(page)
    assert "8,2" in preview.inner_text()
    screenshot(page, "utkast")
    assert_accessible(page, "utkast")

    with page.expect_download() as info:
        page.click("#draft-download")
    download = info.value
    assert download.suggested_filename.endswith(".docx")
    target = tmp_path / download.suggested_filename
    download.save_as(target)
    text = "\n".join(p.text for p in Document(str(target)).paragraphs)
    assert "8,2" in text


def test_documents_upload_with_progress_list_and_delete(
    page: Any, base_url: str, tmp_path: Path
) -> None:
    note = tmp_path / "ui-testanteckning.md"
    note.write_text(
        "# Testanteckning\n\nEn kort anteckning om e-tjänster för bygglov i kommunen.\n",
        encoding="utf-8",
    )
    page.goto(f"{base_url}/#dokument")
    table = page.locator("#docs-table table")
    table.wait_for()
    assert "nacka-digitaliseringsrapport-2025" in table.inner_text()

    page.set_input_files("#upload-file", str(note))
    page.click("#upload-submit")
    message = page.locator("#upload-message.is-ok")
    message.wait_for()
    assert "avsnitt" in message.inner_text()
    page.wait_for_function(
        "document.querySelector('#docs-table').textContent.includes('ui-testanteckning')"
    )
    screenshot(page, "dokument")
    assert_accessible(page, "dokument")

    # An unsupported file is refused with a Swedish message.
    bad = tmp_path / "program.exe"
    bad.write_bytes(b"MZ\x00\x00")
    page.set_input_files("#upload-file", str(bad))
    page.click("#upload-submit")
    page.locator("#upload-message.is-error").wait_for()
    assert "misslyckades" in page.locator("#upload-message").inner_text()

    page.once("dialog", lambda d: d.accept())
    row = page.locator("#docs-table tr", has_text="ui-testanteckning")
    row.get_by_role("button", name=re.compile("Ta bort")).click()
    page.locator("#docs-message.is-ok").wait_for()
    page.wait_for_function(
        "!document.querySelector('#docs-table').textContent.includes('ui-testanteckning')"
    )


def test_tabs_work_with_the_keyboard(page: Any, base_url: str) -> None:
    page.goto(f"{base_url}/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    page.focus("#tab-chatt")
    page.keyboard.press("ArrowRight")
    assert page.locator("#tab-index").get_attribute("aria-selected") == "true"
    assert page.evaluate("document.activeElement.id") == "tab-index"
    assert page.locator("#panel-index").is_visible()
    assert not page.locator("#panel-chatt").is_visible()
    page.keyboard.press("End")
    assert page.locator("#tab-dokument").get_attribute("aria-selected") == "true"
    page.keyboard.press("Home")
    assert page.locator("#panel-chatt").is_visible()


def test_ui_asks_for_an_api_key_when_auth_is_on(
    browser: Any, tmp_path_factory: pytest.TempPathFactory
) -> None:
    from web.app import create_app
    from web.services import Services

    services = Services(
        _settings(tmp_path_factory.mktemp("ui-auth"), auth="on", admin_key=ADMIN_KEY)
    )
    with serve(create_app(services.settings, services=services)) as url:
        context = browser.new_context(viewport={"width": 1280, "height": 900}, bypass_csp=True)
        page = context.new_page()
        try:
            page.goto(f"{url}/#index")
            page.locator("#auth-panel").wait_for()
            assert page.evaluate("document.activeElement.id") == "auth-key"
            screenshot(page, "api-nyckel")
            assert_accessible(page, "api-nyckel")
            page.fill("#auth-key", ADMIN_KEY)
            page.click("#auth-form button[type=submit]")
            page.locator(".kpi-main .kpi-value").wait_for()
            assert page.locator(".kpi-main .kpi-value").inner_text().startswith("8,2")
            assert page.locator("#auth-panel").is_hidden()
            # With a key the charts are fetched with the header and shown from a blob URL.
            page.wait_for_function(
                "[...document.querySelectorAll('#chart-grid img')]"
                ".every(i => i.complete && i.naturalWidth > 0)"
            )
            assert page.locator("#chart-grid img").first.get_attribute("src").startswith("blob:")
        finally:
            context.close()


def test_untraced_numbers_are_marked_and_answer_text_is_never_html(
    page: Any, base_url: str
) -> None:
    """The UI's side of the SSE contract, with a scripted stream (the real server's is above).

    The stream is answered by ``page.route`` so that the answer can hold an ungrounded number and
    markup, which the deterministic offline responder never produces.
    """
    import json

    answer = (
        "Svarsfrekvensen var **64,5 %** och 9,7 av 10 var nöjda.\n\n"
        '- <img src=x onerror="window.__owned=1"> punkt\n- andra punkten'
    )
    done = {
        "conversation_id": "c-ui",
        "answer": answer,
        "sources": [
            {
                "source": "rapport.txt",
                "section": "3.2",
                "title": "Digital mognad",
                "page": 12,
                "text": "Svarsfrekvensen blev 64,5 procent.",
            }
        ],
        "tool_calls": [],
        "mode": "llm",
        "warnings": [
            "Talet 9,7 i svaret finns inte i verktygsresultaten eller de citerade källorna; "
            "kontrollera det innan det används."
        ],
        "ungrounded_numbers": ["9,7"],
    }
    events = [("meta", {"conversation_id": "c-ui", "mode": "llm"})]
    events += [("token", {"text": answer[i : i + 7]}) for i in range(0, len(answer), 7)]
    events += [("sources", {"sources": done["sources"]}), ("tool_calls", {"tool_calls": []})]
    events += [("done", done)]
    body = "".join(f"event: {e}\ndata: {json.dumps(d)}\n\n" for e, d in events)
    page.route(
        "**/api/chat/stream",
        lambda route: route.fulfill(status=200, content_type="text/event-stream", body=body),
    )
    page.goto(f"{base_url}/")
    page.fill("#chat-input", "Hur hög var svarsfrekvensen?")
    page.click("#chat-send")
    msg = page.locator(".msg-assistant").last
    msg.locator(".answer[aria-busy='false']").wait_for()
    marks = msg.locator("mark.untraced")
    assert marks.count() == 1
    assert marks.first.inner_text().startswith("9,7")
    assert msg.locator(".answer strong").inner_text() == "64,5 %"
    assert msg.locator(".answer li").count() == 2
    assert msg.locator(".answer img").count() == 0
    assert "<img" in msg.locator(".answer").inner_text()
    assert page.evaluate("window.__owned") is None
    assert "Att kontrollera" in msg.locator(".warnings").inner_text()
    summary = msg.locator(".sources summary").inner_text()
    assert "Avsnitt 3.2 Digital mognad" in summary and "s. 12" in summary


def test_the_ui_runs_under_its_content_security_policy(browser: Any, base_url: str) -> None:
    """With the CSP enforced (no harness scripts): the dashboard and a chat answer render and
    the browser reports no policy violation."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="sv-SE")
    page = context.new_page()
    page.set_default_timeout(60_000)
    console: list[str] = []
    page.on("console", lambda msg: console.append(msg.text))
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    try:
        response = page.goto(f"{base_url}/#index")
        assert response is not None
        assert "script-src 'self'" in response.headers["content-security-policy"]
        main_value = page.locator(".kpi-main .kpi-value")
        main_value.wait_for()
        assert main_value.inner_text().startswith("8,2")
        page.locator("#chart-grid img").first.wait_for()
        page.goto(f"{base_url}/")
        page.fill("#chat-input", "Vad blev digitaliseringsindex 2025?")
        page.keyboard.press("Enter")
        answer = page.locator(".msg-assistant .answer[aria-busy='false']")
        answer.wait_for(timeout=120_000)
        assert "8,2" in answer.inner_text()
    finally:
        context.close()
    assert not errors, errors
    violations = [m for m in console if "Content Security Policy" in m]
    assert not violations, violations


def test_a_drafted_image_on_another_host_is_never_fetched_with_the_key(
    browser: Any, base_url: str
) -> None:
    """A draft (e.g. written by a model) with ![x](//other-host/...) shows a plain link; the
    browser never requests that host, so the API key in the page cannot leak there."""
    import http.server
    import json as jsonlib
    import threading

    seen: list[dict[str, str]] = []

    class Trap(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - http.server's name
            seen.append({"path": self.path, "auth": self.headers.get("Authorization", "")})
            self.send_response(200)
            self.send_header("Content-Type", "image/png")
            self.end_headers()

        def do_OPTIONS(self) -> None:  # noqa: N802 - a permissive CORS preflight
            seen.append({"path": self.path, "auth": "preflight"})
            self.send_response(204)
            self.send_header("Access-Control-Allow-Origin", "*")
            self.send_header("Access-Control-Allow-Headers", "Authorization, Accept")
            self.end_headers()

        def log_message(self, *args: Any) -> None:
            pass

    trap = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Trap)
    threading.Thread(target=trap.serve_forever, daemon=True).start()
    other = f"127.0.0.1:{trap.server_address[1]}"
    hostile = (
        f"\n\n![stöld](//{other}/a.png)\n\n![stöld2](http://{other}/b.png)\n\n"
        f"![stöld3](/\\{other}/c.png)\n\n![skript](javascript:alert(1))\n"
    )

    def tamper(route: Any) -> None:
        response = route.fetch()
        data = response.json()
        data["markdown"] += hostile
        route.fulfill(response=response, body=jsonlib.dumps(data, ensure_ascii=False))

    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(60_000)
    try:
        page.goto(f"{base_url}/#utkast")
        page.evaluate("k => sessionStorage.setItem(k, 'dgr_hemlig_testnyckel')", KEY_NAME)
        page.route("**/api/drafts", tamper)
        preview = draft_the_2025_index_chapter(page)
        assert "8,2" in preview.inner_text()
        links = page.locator("#draft-preview a.external-image")
        assert links.count() == 3
        assert "javascript" not in "".join(
            links.nth(i).get_attribute("href") or "" for i in range(links.count())
        )
        assert "skript" in preview.inner_text()  # shown as text, not as a link
        page.wait_for_timeout(1500)
    finally:
        context.close()
        trap.shutdown()
        trap.server_close()
    assert seen == []


def test_a_page_on_another_site_cannot_upload_to_the_local_server(
    browser: Any, base_url: str
) -> None:
    """A web page the manager visits (here on http://localhost:<other port>, another site than
    the app's 127.0.0.1) posts a "simple" multipart upload to the local app, which needs no
    preflight: the app refuses it with 403 and stores nothing."""
    import http.server
    import threading

    import httpx

    attack = f"""<!doctype html><html><body><script>
      const form = new FormData();
      form.append("file", new Blob(["Planterad text."], {{type: "text/plain"}}), "plant.txt");
      fetch("{base_url}/api/documents", {{method: "POST", body: form, mode: "no-cors"}})
        .finally(() => document.title = "skickat");
    </script></body></html>""".encode()

    class Site(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - http.server's name
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.end_headers()
            self.wfile.write(attack)

        def log_message(self, *args: Any) -> None:
            pass

    site = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Site)
    threading.Thread(target=site.serve_forever, daemon=True).start()
    statuses: list[int] = []
    context = browser.new_context()
    page = context.new_page()
    page.on(
        "response",
        lambda r: (
            statuses.append(r.status) if r.url.startswith(f"{base_url}/api/documents") else None
        ),
    )
    try:
        page.goto(f"http://localhost:{site.server_address[1]}/attack.html")
        page.wait_for_function("document.title === 'skickat'")
        page.wait_for_timeout(500)
    finally:
        context.close()
        site.shutdown()
        site.server_close()
    assert statuses == [403]
    documents = httpx.get(f"{base_url}/api/documents", timeout=30).json()["documents"]
    assert all(d["source"] != "plant.txt" for d in documents)
