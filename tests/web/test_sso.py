"""Single sign-on against a real OpenID Connect provider (oidc-provider from npm, run by node).

The app runs on a real port with keys on and SSO configured; the provider's own login and consent
forms are submitted over HTTP (``follow_login``) or, in the browser test, in Chromium. Nothing is
mocked: the code exchange with PKCE, the ID token's signature (the provider's JWKS), the session
cookie and the CSRF check are the real ones.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from tests.web.oidc_helpers import follow_login, follow_logout, require_oidc, run_oidc_provider
from tests.web.ui_helpers import free_port, serve
from web.app import create_app
from web.services import Services
from web.settings import Settings

USERS: dict[str, dict[str, Any]] = {
    "anna": {
        "sub": "anna-0001",
        "email": "anna@nacka.se",
        "name": "Anna Andersson",
        "groups": ["digi-lasare"],
    },
    "bo": {
        "sub": "bo-0002",
        "email": "bo@nacka.se",
        "name": "Bo Berg",
        "groups": ["digi-redaktorer", "hr-kansligt"],
    },
    "eve": {"sub": "eve-0003", "email": "eve@example.com", "name": "Eve", "groups": []},
}


@dataclass
class Site:
    url: str
    issuer: str
    services: Services


def sso_settings(data_dir: Path, issuer: str, client_id: str, secret: str, **kw: Any) -> Settings:
    return Settings(
        data_dir=data_dir,
        auth="on",
        rate_limit_per_minute=0,
        oidc_issuer=issuer,
        oidc_client_id=client_id,
        oidc_client_secret=secret,
        oidc_scopes="openid profile email groups",
        oidc_roles="digi-redaktorer=editor,digi-admins=admin",
        oidc_clearances="hr-kansligt=känslig",
        oidc_allowed_domains="nacka.se",
        **kw,
    )


@contextmanager
def running_site(tmp_path: Path, **settings: Any) -> Iterator[Site]:
    """The provider and the app, each on its own port, the app registered as the client."""
    require_oidc()
    port = free_port()
    app_url = f"http://127.0.0.1:{port}"
    with run_oidc_provider(
        tmp_path,
        redirect_uris=[f"{app_url}/auth/callback"],
        post_logout_redirect_uris=[f"{app_url}/"],
        users=USERS,
    ) as provider:
        config = sso_settings(
            tmp_path / "data",
            provider.issuer,
            provider.client_id,
            provider.client_secret,
            **settings,
        )
        services = Services(config)
        with serve(create_app(config, services), port=port) as url:
            yield Site(url, provider.issuer, services)


@pytest.fixture()
def site(tmp_path: Path) -> Iterator[Site]:
    # httpx (like any client) sends a Secure cookie only over https: off for this plain-http test
    with running_site(tmp_path, session_cookie_secure=False) as made:
        yield made


def log_in(site: Site, client: httpx.Client, login: str) -> httpx.Response:
    """Start at the app, log in at the provider, and return the app's answer to the callback."""
    start = client.get(f"{site.url}/auth/login", params={"next": "/#chatt"})
    assert start.status_code == 302, start.text
    to_provider = start.headers["location"]
    query = parse_qs(urlsplit(to_provider).query)
    assert to_provider.startswith(site.issuer)
    assert query["code_challenge_method"] == ["S256"] and query["code_challenge"][0]
    assert query["nonce"][0] and query["state"][0]
    back = follow_login(client, to_provider, login)
    assert back.startswith(f"{site.url}/auth/callback?")
    return client.get(back)


def csrf(client: httpx.Client) -> dict[str, str]:
    return {"X-CSRF-Token": client.cookies["digi_csrf"]}


def test_login_session_roles_csrf_and_logout(site: Site) -> None:
    with httpx.Client(timeout=60) as anna, httpx.Client(timeout=60) as bo:
        done = log_in(site, anna, "anna")
        assert done.status_code == 303 and done.headers["location"] == "/#chatt"
        cookies = done.headers.get_list("set-cookie")
        session_cookie = next(c for c in cookies if c.startswith("digi_session="))
        assert "HttpOnly" in session_cookie and "SameSite=lax" in session_cookie
        assert "HttpOnly" not in next(c for c in cookies if c.startswith("digi_csrf="))

        me = anna.get(f"{site.url}/api/me").json()
        assert me == {
            "name": "Anna Andersson",
            "owner": "sso:anna-0001",
            "role": "reader",
            "clearance": "intern",
            "via": "sso",
            "sso": True,
            "conversation_retention_days": 365,
        }
        # a write authenticated by the cookie needs the CSRF token
        question = {"message": "Vad blev digitaliseringsindex 2025?"}
        refused = anna.post(f"{site.url}/api/chat", json=question)
        assert refused.status_code == 403 and refused.json()["error"]["code"] == "csrf_failed"
        answered = anna.post(f"{site.url}/api/chat", json=question, headers=csrf(anna))
        assert answered.status_code == 200, answered.text
        cid = answered.json()["conversation_id"]
        assert site.services.storage.conversation_owner(cid) == "sso:anna-0001"
        # a reader's role does not allow an upload, even with the token
        upload = anna.post(
            f"{site.url}/api/documents",
            files={"file": ("a.md", b"# A\n\nText.\n", "text/markdown")},
            headers=csrf(anna),
        )
        assert upload.status_code == 403

        # Bo: editor from the group claim, cleared for känslig by his other group
        assert log_in(site, bo, "bo").status_code == 303
        me = bo.get(f"{site.url}/api/me").json()
        assert (me["role"], me["clearance"]) == ("editor", "känslig")
        assert bo.get(f"{site.url}/api/conversations").json()["conversations"] == []
        assert bo.get(f"{site.url}/api/conversations/{cid}").status_code == 404

        # logout ends the session here and hands over the provider's logout
        out = anna.post(f"{site.url}/auth/logout", headers=csrf(anna))
        assert out.status_code == 200 and out.json()["logged_out"] is True
        logout_url = out.json()["logout_url"]
        assert logout_url.startswith(site.issuer) and "id_token_hint=" in logout_url
        assert follow_logout(anna, logout_url).startswith(f"{site.url}/")
        assert anna.get(f"{site.url}/api/me").status_code == 401
        assert bo.get(f"{site.url}/api/me").status_code == 200

    events = [r["event"] for r in site.services.storage.audit_records()]
    assert events.count("login") == 2 and events.count("logout") == 1


def test_refused_logins(site: Site) -> None:
    # an e-mail domain that is not allowed: no session
    with httpx.Client(timeout=60) as eve:
        page = log_in(site, eve, "eve")
        assert page.status_code == 403 and "organisation" in page.text
        assert "digi_session" not in eve.cookies
        assert eve.get(f"{site.url}/api/me").status_code == 401

    with httpx.Client(timeout=60) as anna:
        # a callback with another state than the one this browser started is refused
        start = anna.get(f"{site.url}/auth/login")
        back = follow_login(anna, start.headers["location"], "anna")
        assert anna.get(back.replace("state=", "state=x")).status_code == 400
        assert "digi_session" not in anna.cookies
        # the real one works once; replaying it (even with the state cookie) does not
        start = anna.get(f"{site.url}/auth/login")
        back = follow_login(anna, start.headers["location"], "anna")
        assert anna.get(back).status_code == 303
        anna.cookies.set("digi_login", parse_qs(urlsplit(back).query)["state"][0], path="/auth")
        replay = anna.get(back)
        assert replay.status_code == 400 and "Försök igen" in replay.text

    # a made-up session cookie is no session
    with httpx.Client(timeout=60, cookies={"digi_session": "pahittad-token"}) as forger:
        assert forger.get(f"{site.url}/api/me").status_code == 401
    refused = [r for r in site.services.storage.audit_records() if r["event"] == "login_refused"]
    assert {r["data"]["reason"] for r in refused} >= {"domain", "state"}


def test_without_sso_the_login_routes_say_so(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "data", auth="on", rate_limit_per_minute=0)
    with serve(create_app(settings)) as url, httpx.Client(base_url=url) as client:
        assert client.get("/auth/config").json() == {"sso": False, "login_url": "/auth/login"}
        missing = client.get("/auth/login")
        assert missing.status_code == 404
        assert "inte konfigurerad" in missing.json()["error"]["message"]
        assert client.post("/auth/logout").json() == {"logged_out": False, "logout_url": None}
