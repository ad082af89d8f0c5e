"""Helpers for the browser tests: a real app on a real port, Chromium, axe-core, screenshots."""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import uvicorn

REPO = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
AXE_JS = Path(__file__).resolve().parent / "axe" / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = REPO / "test-artifacts" / "ui"
#: The marks of a browser test module: ``pytestmark = BROWSER``.
BROWSER = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="/usr/bin/chromium saknas"),
]

#: axe rules for WCAG 2.0/2.1 level A and AA.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


@contextmanager
def page_in(browser: Any, **context_options: Any) -> Iterator[Any]:
    """A fresh page in a new context; fails the test on any uncaught JavaScript error."""
    context = browser.new_context(
        viewport={"width": 1280, "height": 900}, locale="sv-SE", **context_options
    )
    page = context.new_page()
    page.set_default_timeout(60_000)
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    try:
        yield page
    finally:
        context.close()
    assert not errors, f"JavaScript-fel i sidan: {errors}"


def free_port() -> int:
    """A free TCP port on the loopback interface."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@contextmanager
def serve(app: Any, port: int | None = None) -> Iterator[str]:
    """Run ``app`` with uvicorn in a thread on ``port`` (default: a free one); yield its URL."""
    port = port or free_port()
    config = uvicorn.Config(
        app, host="127.0.0.1", port=port, log_level="warning", ws="none", lifespan="on"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name=f"uvicorn-{port}", daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the app did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=15)


def axe_violations(page: Any) -> list[dict[str, Any]]:
    """Inject axe-core into ``page`` and return its serious and critical violations."""
    if not AXE_JS.exists():
        message = f"axe-core saknas ({AXE_JS}); kör `npm ci` i {AXE_JS.parents[2]} före testerna."
        if os.environ.get("CI"):  # .ci/run installs it: missing there is a broken setup
            raise AssertionError(message)
        pytest.skip(message)  # a newcomer without npm: the accessibility check cannot run
    page.add_script_tag(path=str(AXE_JS))
    result: list[dict[str, Any]] = page.evaluate(
        """async (tags) => {
            const r = await axe.run(document, {runOnly: {type: "tag", values: tags}});
            return r.violations
              .filter((v) => v.impact === "serious" || v.impact === "critical")
              .map((v) => ({id: v.id, impact: v.impact, help: v.help,
                            nodes: v.nodes.slice(0, 5).map((n) => n.target.join(" "))}));
        }""",
        AXE_TAGS,
    )
    return result


def assert_accessible(page: Any, name: str) -> None:
    """Fail when axe finds serious or critical WCAG 2.1 A/AA violations on the page."""
    violations = axe_violations(page)
    assert not violations, f"{name}: axe-core hittade allvarliga brister: {violations}"


def screenshot(page: Any, name: str) -> Path:
    """Save a full-page screenshot under ``test-artifacts/ui/`` and return its path."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    # A full-page capture would paint the sticky question form over the conversation.
    page.screenshot(path=str(path), full_page=True, style=".chat-form { position: static; }")
    return path
