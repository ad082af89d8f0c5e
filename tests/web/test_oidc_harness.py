"""The OpenID Connect test provider itself: discovery, code flow with PKCE, claims, logout."""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import httpx
import pytest

from tests.web.oidc_helpers import (
    OidcProvider,
    follow_login,
    follow_logout,
    require_oidc,
    run_oidc_provider,
)

REDIRECT_URI = "http://127.0.0.1:8765/auth/callback"
POST_LOGOUT_URI = "http://127.0.0.1:8765/"
USERS = {
    "alice": {
        "sub": "u-alice-1",
        "email": "alice@example.org",
        "name": "Alice Analytiker",
        "groups": ["digirapport-analytiker", "digirapport-admin"],
    },
    "bob": {"sub": "u-bob-2", "email": "bob@example.org", "name": "Bob", "groups": []},
}


@pytest.fixture
def provider(tmp_path: Path) -> Iterator[OidcProvider]:
    require_oidc()
    with run_oidc_provider(
        tmp_path,
        redirect_uris=[REDIRECT_URI],
        post_logout_redirect_uris=[POST_LOGOUT_URI],
        users=USERS,
    ) as running:
        yield running


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _jwt_payload(token: str) -> dict[str, Any]:
    payload = token.split(".")[1]
    claims: dict[str, Any] = json.loads(
        base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))
    )
    return claims


def _authorize(
    meta: dict[str, Any], provider: OidcProvider, verifier: str, state: str, nonce: str
) -> str:
    challenge = _b64url(hashlib.sha256(verifier.encode("ascii")).digest())
    params = {
        "response_type": "code",
        "client_id": provider.client_id,
        "redirect_uri": REDIRECT_URI,
        "scope": "openid profile email groups",
        "state": state,
        "nonce": nonce,
        "code_challenge": challenge,
        "code_challenge_method": "S256",
    }
    return f"{meta['authorization_endpoint']}?{urlencode(params)}"


def _code_from(redirect: str, state: str) -> str:
    assert redirect.startswith(REDIRECT_URI + "?"), redirect
    query = parse_qs(urlsplit(redirect).query)
    assert query["state"] == [state]
    return query["code"][0]


def test_discovery_and_code_flow_with_pkce(provider: OidcProvider) -> None:
    with httpx.Client(timeout=10) as http:
        meta = http.get(provider.discovery_url).json()
        assert meta["issuer"] == provider.issuer == f"http://127.0.0.1:{provider.port}"
        assert "S256" in meta["code_challenge_methods_supported"]
        assert "groups" in meta["scopes_supported"]
        assert "end_session_endpoint" in meta

        verifier, state, nonce = secrets.token_urlsafe(48), secrets.token_urlsafe(8), "n-1"
        redirect = follow_login(http, _authorize(meta, provider, verifier, state, nonce), "alice")
        query = parse_qs(urlsplit(redirect).query)
        assert query["iss"] == [provider.issuer]  # RFC 9207 issuer in the authorization response
        code = _code_from(redirect, state)

        token = http.post(
            meta["token_endpoint"],
            data={
                "grant_type": "authorization_code",
                "code": code,
                "redirect_uri": REDIRECT_URI,
                "code_verifier": verifier,
            },
            auth=(provider.client_id, provider.client_secret),  # client_secret_basic
        )
        assert token.status_code == 200, token.text
        claims = _jwt_payload(token.json()["id_token"])
        assert claims["iss"] == provider.issuer
        assert claims["aud"] == provider.client_id
        assert claims["nonce"] == nonce
        assert claims["sub"] == "u-alice-1"
        assert claims["email"] == "alice@example.org"
        assert claims["name"] == "Alice Analytiker"
        assert claims["groups"] == ["digirapport-analytiker", "digirapport-admin"]

        # Second login in the same browser: session and consent exist, no forms are shown.
        verifier2, state2 = secrets.token_urlsafe(48), "s-2"
        redirect2 = follow_login(
            http, _authorize(meta, provider, verifier2, state2, "n-2"), "alice"
        )
        code2 = _code_from(redirect2, state2)

        # A wrong code_verifier is refused (and burns the code); client_secret_post is accepted.
        wrong = http.post(
            meta["token_endpoint"],
            data={
                "grant_type": "authorization_code",
                "code": code2,
                "redirect_uri": REDIRECT_URI,
                "code_verifier": secrets.token_urlsafe(48),
                "client_id": provider.client_id,
                "client_secret": provider.client_secret,
            },
        )
        assert wrong.status_code == 400
        assert wrong.json()["error"] == "invalid_grant"

        # Missing PKCE is refused at the authorization endpoint (back to the RP with an error).
        no_pkce = http.get(
            meta["authorization_endpoint"],
            params={
                "response_type": "code",
                "client_id": provider.client_id,
                "redirect_uri": REDIRECT_URI,
                "scope": "openid",
                "state": "s-3",
            },
        )
        assert no_pkce.is_redirect
        assert parse_qs(urlsplit(no_pkce.headers["location"]).query)["error"] == ["invalid_request"]

        # RP-initiated logout returns to the registered post-logout URI with the state.
        logout = follow_logout(
            http,
            f"{meta['end_session_endpoint']}?"
            + urlencode(
                {
                    "id_token_hint": token.json()["id_token"],
                    "post_logout_redirect_uri": POST_LOGOUT_URI,
                    "state": "bye",
                }
            ),
        )
        assert logout == f"{POST_LOGOUT_URI}?state=bye"


def test_unknown_login_is_denied_and_users_are_separate(provider: OidcProvider) -> None:
    with httpx.Client(timeout=10) as http:
        meta = http.get(provider.discovery_url).json()
        denied = follow_login(http, _authorize(meta, provider, "v" * 43, "s-x", "n"), "mallory")
        query = parse_qs(urlsplit(denied).query)
        assert query["error"] == ["access_denied"]
        assert query["state"] == ["s-x"]

    with httpx.Client(timeout=10) as http:  # a fresh cookie jar is a fresh browser
        verifier = secrets.token_urlsafe(48)
        redirect = follow_login(http, _authorize(meta, provider, verifier, "s-b", "n"), "bob")
        token = http.post(
            meta["token_endpoint"],
            data={
                "grant_type": "authorization_code",
                "code": _code_from(redirect, "s-b"),
                "redirect_uri": REDIRECT_URI,
                "code_verifier": verifier,
            },
            auth=(provider.client_id, provider.client_secret),
        )
        assert token.status_code == 200, token.text
        claims = _jwt_payload(token.json()["id_token"])
        assert (claims["sub"], claims["email"], claims["groups"]) == (
            "u-bob-2",
            "bob@example.org",
            [],
        )
