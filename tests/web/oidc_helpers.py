"""Helpers for the single sign-on tests: a real OpenID Connect provider (npm oidc-provider).

``run_oidc_provider`` starts ``tests/web/oidc/provider.mjs`` with node on a free port;
``follow_login`` drives its development login and consent forms with plain HTTP and returns the
redirect back to the relying party (not requested). Install once: ``cd tests/web/oidc && npm ci``.
"""

from __future__ import annotations

import json
import os
import queue
import secrets
import shutil
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urljoin, urlsplit

import httpx
import pytest

OIDC_DIR = Path(__file__).resolve().parent / "oidc"
PROVIDER_JS = OIDC_DIR / "provider.mjs"
START_TIMEOUT = 180.0  # node starts in about a second; over 60 s seen with two suites on 2 cores


@dataclass(frozen=True)
class OidcProvider:
    """A running provider: issuer ``http://127.0.0.1:<port>`` and its one registered client."""

    issuer: str
    client_id: str
    client_secret: str
    port: int

    @property
    def discovery_url(self) -> str:
        """The provider's discovery document (``server_metadata_url`` for authlib)."""
        return f"{self.issuer}/.well-known/openid-configuration"


def _node() -> str | None:
    return shutil.which("node") or ("/usr/bin/node" if Path("/usr/bin/node").exists() else None)


def oidc_available() -> str | None:
    """Why the provider cannot run here (node or the npm package missing), or None."""
    if _node() is None:
        return "node saknas: OIDC-testerna behöver Node.js (oidc-provider)"
    if not (OIDC_DIR / "node_modules" / "oidc-provider" / "package.json").exists():
        return f"oidc-provider saknas; kör `npm ci --no-audit --no-fund` i {OIDC_DIR} före testerna"
    return None


def require_oidc() -> None:
    """Skip the test when the provider cannot run; fail instead under CI (.ci/run installs it)."""
    reason = oidc_available()
    if reason is None:
        return
    if os.environ.get("CI"):
        pytest.fail(reason)
    pytest.skip(reason)


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _stop(proc: subprocess.Popen[str]) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=5)


@contextmanager
def run_oidc_provider(
    tmp_path: Path,
    *,
    redirect_uris: list[str],
    users: dict[str, dict[str, Any]],
    post_logout_redirect_uris: list[str] | None = None,
    client_id: str = "digirapport",
    client_secret: str | None = None,
) -> Iterator[OidcProvider]:
    """Start the provider for one client and ``users`` (login -> sub/email/name/groups).

    Any password is accepted for a known login; an unknown login ends the authorization with
    ``error=access_denied``. The process is stopped on exit, also when the block raises.
    """
    reason = oidc_available()
    if reason is not None:
        raise RuntimeError(reason)
    node = _node()
    assert node is not None
    secret = client_secret if client_secret is not None else secrets.token_urlsafe(24)
    workdir = tmp_path / "oidc-provider"
    workdir.mkdir(parents=True, exist_ok=True)
    users_file = workdir / "users.json"
    users_file.write_text(json.dumps(users), encoding="utf-8")
    stderr_file = workdir / "stderr.log"

    last_error = ""
    for _attempt in range(3):  # a free port can be taken between probing and listening
        port = _free_port()
        env = {
            **os.environ,
            "OIDC_PORT": str(port),
            "OIDC_CLIENT_ID": client_id,
            "OIDC_CLIENT_SECRET": secret,
            "OIDC_REDIRECT_URIS": ",".join(redirect_uris),
            "OIDC_POST_LOGOUT_REDIRECT_URIS": ",".join(post_logout_redirect_uris or []),
            "OIDC_USERS": str(users_file),
            "NODE_ENV": "test",
        }
        with stderr_file.open("w", encoding="utf-8") as err:
            proc = subprocess.Popen(
                [node, str(PROVIDER_JS)],
                cwd=OIDC_DIR,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=err,
                text=True,
            )
        try:
            issuer = _wait_ready(proc)
            if issuer is None:
                _stop(proc)
                last_error = stderr_file.read_text(encoding="utf-8", errors="replace")
                if "EADDRINUSE" in last_error:
                    continue
                what = (
                    f"exited with code {proc.returncode}"
                    if proc.returncode not in (None, -15)
                    else f"printed no READY line within {START_TIMEOUT:.0f} s"
                )
                raise RuntimeError(f"oidc-provider {what}; its stderr:\n{last_error}")
            yield OidcProvider(issuer=issuer, client_id=client_id, client_secret=secret, port=port)
            return
        finally:
            _stop(proc)
    raise RuntimeError(f"oidc-provider found no free port:\n{last_error}")


def _wait_ready(proc: subprocess.Popen[str]) -> str | None:
    """The issuer from the ``READY <issuer>`` line, or None when the process died or hung."""
    stdout = proc.stdout
    assert stdout is not None
    lines: queue.Queue[str | None] = queue.Queue()

    def read() -> None:  # drains stdout until the process ends, so it can never block on it
        try:
            with stdout:
                for line in stdout:
                    lines.put(line)
        except (OSError, ValueError):
            pass
        lines.put(None)

    threading.Thread(target=read, name=f"oidc-provider-{proc.pid}", daemon=True).start()
    deadline = time.monotonic() + START_TIMEOUT
    while (left := deadline - time.monotonic()) > 0:
        try:
            line = lines.get(timeout=left)
        except queue.Empty:
            break
        if line is None:
            return None
        if line.startswith("READY "):
            return line.removeprefix("READY ").strip()
    return None


class _Form:
    def __init__(self, action: str, method: str) -> None:
        self.action = action
        self.method = method
        self.fields: dict[str, str] = {}
        self.buttons: dict[str, str] = {}


class _FormParser(HTMLParser):
    """Collects forms: action, method, named inputs (with value) and named buttons."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[_Form] = []
        self._by_id: dict[str, _Form] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attr = {key: value or "" for key, value in attrs}
        if tag == "form":
            form = _Form(attr.get("action", ""), attr.get("method", "get").lower())
            self.forms.append(form)
            if "id" in attr:
                self._by_id[attr["id"]] = form
            return
        if tag not in ("input", "button") or "name" not in attr:
            return
        # a control belongs to its form= attribute's form, else to the enclosing (last) form
        target = self._by_id.get(attr.get("form", "")) or (self.forms[-1] if self.forms else None)
        if target is None:
            return
        if tag == "input":
            target.fields[attr["name"]] = attr.get("value", "")
        else:
            target.buttons[attr["name"]] = attr.get("value", "")


def _forms(html: str) -> list[_Form]:
    parser = _FormParser()
    parser.feed(html)
    parser.close()
    return parser.forms


def _same_endpoint(url: str, target: str) -> bool:
    a, b = urlsplit(url), urlsplit(target)
    return (a.scheme, a.netloc, a.path) == (b.scheme, b.netloc, b.path)


def _post_form(response: httpx.Response) -> _Form:
    """The page's first POST form (the provider's login, consent or logout form)."""
    forms = [form for form in _forms(response.text) if form.method == "post"]
    if response.status_code != 200 or not forms:
        raise AssertionError(
            f"unexpected provider response {response.status_code} at {response.request.url}:"
            f"\n{response.text[:2000]}"
        )
    return forms[0]


def follow_login(
    client: httpx.Client, authorize_url: str, login: str, password: str = "x", max_steps: int = 20
) -> str:
    """Log ``login`` in at the provider and return the redirect to the relying party.

    ``authorize_url`` is the provider's authorization URL (or a relying-party URL that redirects
    there). Redirects are followed by hand with ``client`` (its cookie jar keeps the provider's
    session): the login form (``prompt=login``: fields ``login``, ``password``) and the consent
    form (``prompt=consent``) are submitted when shown, so a second login that already has a
    session and consent goes straight through. The returned URL is the Location that points at
    the request's ``redirect_uri`` (``?code=...&state=...&iss=...``, or ``?error=access_denied``
    for an unknown login); it is not requested. Only ``response_mode=query`` is supported.
    """
    redirect_uri: str | None = None
    url = authorize_url
    response = client.get(url, follow_redirects=False)
    for _step in range(max_steps):
        query = parse_qs(urlsplit(str(response.request.url)).query)
        if "redirect_uri" in query and "client_id" in query:
            redirect_uri = query["redirect_uri"][0]
        if response.is_redirect:
            location = urljoin(str(response.request.url), response.headers["location"])
            if redirect_uri is not None and _same_endpoint(location, redirect_uri):
                return location
            response = client.get(location, follow_redirects=False)
            continue
        form = _post_form(response)
        data = dict(form.fields)
        if "login" in data or data.get("prompt") == "login":
            data["login"] = login
            data["password"] = password
        elif data.get("prompt") != "consent" and "xsrf" in data:
            data.setdefault("logout", "yes")  # a change of account signs the old one out first
        action = urljoin(str(response.request.url), form.action)
        response = client.post(action, data=data, follow_redirects=False)
    raise AssertionError(f"no redirect to the relying party after {max_steps} steps")


def follow_logout(client: httpx.Client, end_session_url: str, max_steps: int = 10) -> str:
    """Confirm an RP-initiated logout at the provider and return the final redirect URL.

    ``end_session_url`` is the provider's ``end_session_endpoint`` with its parameters
    (``id_token_hint`` or ``client_id``, ``post_logout_redirect_uri``, ``state``). The provider
    asks for confirmation with a form (hidden ``xsrf``, button ``logout=yes``); this submits it
    and returns the Location that leaves the provider (the ``post_logout_redirect_uri``, or the
    provider's own ``/session/end/success`` page when none was given), without requesting it.
    """
    issuer = urlsplit(end_session_url)
    response = client.get(end_session_url, follow_redirects=False)
    for _step in range(max_steps):
        if response.is_redirect:
            location = urljoin(str(response.request.url), response.headers["location"])
            parts = urlsplit(location)
            if parts.netloc != issuer.netloc or parts.path.endswith("/session/end/success"):
                return location
            response = client.get(location, follow_redirects=False)
            continue
        form = _post_form(response)
        data = {**form.fields, "logout": form.buttons.get("logout", "yes")}
        action = urljoin(str(response.request.url), form.action)
        response = client.post(action, data=data, follow_redirects=False)
    raise AssertionError(f"logout did not finish after {max_steps} steps")
