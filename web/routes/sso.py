"""Single sign-on for the browser UI: OpenID Connect authorization code flow with PKCE.

``GET /auth/login`` sends the browser to the provider (Entra ID or any OpenID Connect provider)
with a fresh ``state``, ``nonce`` and PKCE ``code_verifier`` (S256), remembered in the shared
database and bound to the browser by a short-lived cookie. ``GET /auth/callback`` checks the
state, exchanges the code (authlib's OAuth2 client, with the verifier), verifies the ID token
(signature from the provider's JWKS, issuer, audience, nonce, expiry; joserfc), maps a claim
(``groups`` by default) to a role and a clearance, and opens a server-side session: the cookie
holds a random token (HttpOnly, SameSite=Lax, Secure unless turned off for local tests), and the
database only its hash. ``POST /auth/logout`` ends it and returns the provider's logout URL.

A browser request authenticated by the session cookie that writes must carry the session's CSRF
token in ``X-CSRF-Token`` (the UI reads it from the ``digi_csrf`` cookie); ``web.auth`` checks it.
API keys stay for programs. Every login, refusal and logout is audited.
"""

from __future__ import annotations

import hashlib
import hmac
import html
import logging
import threading
import time
from typing import Any
from urllib.parse import urlencode

import httpx
from authlib.common.security import generate_token
from authlib.integrations.httpx_client import OAuth2Client
from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet

from assistant.storage import ROLES
from ingest.models import SecurityLevel
from web.auth import CSRF_COOKIE, CSRF_HEADER, SESSION_COOKIE, clearance_for
from web.deps import ServicesDep
from web.errors import error_body
from web.settings import Settings

log = logging.getLogger("digirapport.web.sso")

router = APIRouter(prefix="/auth", tags=["inloggning"])

#: The cookie that binds a login in progress to the browser that started it.
LOGIN_COOKIE = "digi_login"
#: Seconds the provider's discovery document is reused.
DISCOVERY_TTL = 600.0
#: Seconds of clock difference accepted when checking the ID token's times.
LEEWAY = 60
#: Signature algorithms accepted for ID tokens ("none" and HMAC never).
ID_TOKEN_ALGORITHMS = ("RS256", "RS384", "RS512", "PS256", "ES256", "ES384")
#: Seconds to wait for the provider.
PROVIDER_TIMEOUT = 10.0


class LoginRefused(Exception):
    """A login that cannot be completed; ``message`` is shown to the user (Swedish)."""

    def __init__(self, message: str, status: int = 400, **data: Any) -> None:
        """Store the message, the HTTP status and what explains it (for the audit log)."""
        super().__init__(message)
        self.message = message
        self.status = status
        self.data = data


_discovery: dict[str, tuple[float, dict[str, Any]]] = {}
_discovery_lock = threading.Lock()


def provider_metadata(issuer: str) -> dict[str, Any]:
    """The provider's discovery document (``/.well-known/openid-configuration``), cached."""
    issuer = issuer.rstrip("/")
    with _discovery_lock:
        cached = _discovery.get(issuer)
        if cached and time.monotonic() - cached[0] < DISCOVERY_TTL:
            return cached[1]
    url = f"{issuer}/.well-known/openid-configuration"
    try:
        response = httpx.get(url, timeout=PROVIDER_TIMEOUT)
        response.raise_for_status()
        meta = response.json()
    except (httpx.HTTPError, ValueError) as exc:
        raise LoginRefused(
            "Inloggningstjänsten svarar inte just nu. Försök igen om en stund.",
            502,
            reason=f"discovery: {type(exc).__name__}",
            url=url,
        ) from exc
    if str(meta.get("issuer", "")).rstrip("/") != issuer:
        raise LoginRefused(
            "Inloggningstjänsten är felkonfigurerad (utgivaren stämmer inte).",
            502,
            reason="issuer mismatch",
            expected=issuer,
            got=meta.get("issuer"),
        )
    with _discovery_lock:
        _discovery[issuer] = (time.monotonic(), meta)
    return meta


def _redirect_uri(request: Request, settings: Settings) -> str:
    if settings.public_url:
        return settings.public_url.rstrip("/") + "/auth/callback"
    return str(request.url_for("sso_callback"))


def _client(settings: Settings, redirect_uri: str) -> OAuth2Client:
    secret = settings.oidc_client_secret.get_secret_value() if settings.oidc_client_secret else None
    return OAuth2Client(
        client_id=settings.oidc_client_id,
        client_secret=secret,
        token_endpoint_auth_method="client_secret_basic" if secret else "none",
        scope=settings.oidc_scopes,
        redirect_uri=redirect_uri,
        code_challenge_method="S256",
        timeout=PROVIDER_TIMEOUT,
    )


def safe_next(path: str | None) -> str:
    """Where to go after login: a path on this site only (never ``//host`` or a URL)."""
    if not path or not path.startswith("/") or path.startswith("//") or "\\" in path:
        return "/"
    return path[:500]


def verify_id_token(
    id_token: str, meta: dict[str, Any], client_id: str, nonce: str
) -> dict[str, Any]:
    """The ID token's claims after checking signature, issuer, audience, nonce and times.

    Raises:
        LoginRefused: The token is not valid for this app and this login.
    """
    try:
        jwks = httpx.get(str(meta["jwks_uri"]), timeout=PROVIDER_TIMEOUT)
        jwks.raise_for_status()
        keys = KeySet.import_key_set(jwks.json())
        token = jwt.decode(id_token, keys, algorithms=list(ID_TOKEN_ALGORITHMS))
        jwt.JWTClaimsRegistry(
            leeway=LEEWAY,
            iss={"essential": True, "value": str(meta["issuer"])},
            aud={"essential": True, "value": client_id},
            sub={"essential": True},
            exp={"essential": True},
            nonce={"essential": True, "value": nonce},
        ).validate(token.claims)
    except (httpx.HTTPError, ValueError, KeyError, JoseError) as exc:
        raise LoginRefused(
            "Inloggningen kunde inte verifieras. Försök igen.",
            400,
            reason=f"id_token: {type(exc).__name__}: {exc}",
        ) from exc
    return dict(token.claims)


def claim_values(claims: dict[str, Any], name: str) -> list[str]:
    """A claim as a list of strings (a single string, a list, or missing)."""
    value = claims.get(name)
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    if isinstance(value, list | tuple):
        return [str(v) for v in value]
    return [str(value)]


def role_for(claims: dict[str, Any], settings: Settings) -> str | None:
    """The highest role any of the user's claim values maps to, else the default (or None)."""
    values = claim_values(claims, settings.oidc_role_claim)
    mapped = [settings.oidc_role_map[v] for v in values if v in settings.oidc_role_map]
    if mapped:
        return max(mapped, key=ROLES.index)
    return None if settings.oidc_default_role == "none" else settings.oidc_default_role


def clearance_of(claims: dict[str, Any], role: str, settings: Settings) -> SecurityLevel:
    """The role's clearance, raised by any group cleared higher (``DIGI_OIDC_CLEARANCES``)."""
    levels = [clearance_for(settings, role)]
    levels += [
        settings.oidc_clearance_map[v]
        for v in claim_values(claims, settings.oidc_role_claim)
        if v in settings.oidc_clearance_map
    ]
    return max(levels)


def email_of(claims: dict[str, Any]) -> str | None:
    """The user's e-mail: ``email``, else Entra's ``preferred_username`` or ``upn``."""
    for name in ("email", "preferred_username", "upn"):
        value = claims.get(name)
        if isinstance(value, str) and "@" in value:
            return value
    return None


def sso_owner(subject: str) -> str:
    """The owner id of an SSO user: ``sso:<sub>`` (a long subject is hashed to fit 64 chars)."""
    if len(subject) <= 60:
        return f"sso:{subject}"
    return "sso:" + hashlib.sha256(subject.encode("utf-8")).hexdigest()[:40]


def _page(title: str, message: str, status: int) -> HTMLResponse:
    """A small Swedish page for a login that went wrong (never a stack trace)."""
    body = (
        '<!doctype html><html lang="sv"><head><meta charset="utf-8">'
        f"<title>{html.escape(title)} – Digirapport</title></head><body>"
        f"<main><h1>{html.escape(title)}</h1><p>{html.escape(message)}</p>"
        '<p><a href="/">Till Digirapport</a></p></main></body></html>'
    )
    return HTMLResponse(body, status_code=status)


def _cookie(response: Response, settings: Settings, name: str, value: str, **kw: Any) -> None:
    response.set_cookie(name, value, secure=settings.session_cookie_secure, **kw)


@router.get("/config", summary="Inloggningssätt")
def sso_config(services: ServicesDep) -> dict[str, Any]:
    """Whether single sign-on is configured, and where to start it."""
    return {"sso": services.settings.sso_enabled, "login_url": "/auth/login"}


def _not_configured() -> HTTPException:
    return HTTPException(404, detail="Enkel inloggning (OpenID Connect) är inte konfigurerad.")


# The two browser steps of the login are redirects, not API operations: not in the schema.
@router.get("/login", include_in_schema=False)
def login(request: Request, services: ServicesDep, next: str = "/") -> Response:  # noqa: A002
    """Redirect to the provider's login (authorization code flow with PKCE)."""
    settings = services.settings
    if not settings.sso_enabled:
        raise _not_configured()
    try:
        meta = provider_metadata(str(settings.oidc_issuer))
    except LoginRefused as refused:
        log.warning("SSO login failed: %s", refused.data)
        return _page("Inloggningen misslyckades", refused.message, refused.status)
    state, nonce, verifier = generate_token(32), generate_token(32), generate_token(64)
    with _client(settings, _redirect_uri(request, settings)) as client:
        url, _ = client.create_authorization_url(
            str(meta["authorization_endpoint"]), state=state, code_verifier=verifier, nonce=nonce
        )
    services.storage.sessions.start_login(state, verifier, nonce, safe_next(next))
    response = RedirectResponse(url, status_code=302)
    _cookie(
        response,
        settings,
        LOGIN_COOKIE,
        state,
        max_age=services.storage.sessions.LOGIN_SECONDS,
        httponly=True,
        samesite="lax",
        path="/auth",
    )
    return response


@router.get("/callback", name="sso_callback", include_in_schema=False)
def callback(
    request: Request,
    services: ServicesDep,
    code: str | None = None,
    state: str | None = None,
    error: str | None = None,
    error_description: str | None = None,
) -> Response:
    """Finish the login: verify, open a session, set its cookies, go back to the UI."""
    settings = services.settings
    storage = services.storage
    if not settings.sso_enabled:
        raise _not_configured()
    try:
        started = request.cookies.get(LOGIN_COOKIE, "")
        if not state or not started or not hmac.compare_digest(state, started):
            raise LoginRefused(
                "Inloggningen kunde inte slutföras (den startades inte i den här webbläsaren "
                "eller är för gammal). Försök igen.",
                reason="state",
            )
        pending = storage.sessions.finish_login(state)
        if pending is None:
            raise LoginRefused(
                "Inloggningen har gått ut eller har redan använts. Försök igen.", reason="state"
            )
        if error:
            raise LoginRefused(
                f"Inloggningen avbröts: {error_description or error}.", 401, reason=error
            )
        if not code:
            raise LoginRefused("Svaret från inloggningstjänsten saknar kod.", reason="code")
        meta = provider_metadata(str(settings.oidc_issuer))
        try:
            with _client(settings, _redirect_uri(request, settings)) as client:
                token = client.fetch_token(
                    str(meta["token_endpoint"]),
                    grant_type="authorization_code",
                    code=code,
                    code_verifier=pending["code_verifier"],
                )
        except Exception as exc:  # noqa: BLE001 - authlib raises OAuthError and httpx errors
            raise LoginRefused(
                "Inloggningstjänsten godtog inte inloggningen. Försök igen.",
                502,
                reason=f"token: {type(exc).__name__}: {exc}",
            ) from exc
        if "id_token" not in token:
            raise LoginRefused("Inloggningstjänsten skickade ingen ID-token.", 502, reason="no id")
        claims = verify_id_token(
            str(token["id_token"]), meta, str(settings.oidc_client_id), pending["nonce"]
        )
        email = email_of(claims)
        domains = settings.oidc_domains
        if domains and (email is None or email.rsplit("@", 1)[-1].lower() not in domains):
            raise LoginRefused(
                "Ditt konto hör inte till en organisation som får använda Digirapport.",
                403,
                reason="domain",
                email=email,
            )
        role = role_for(claims, settings)
        if role is None:
            raise LoginRefused(
                "Ditt konto har ingen roll i Digirapport. Be administratören om behörighet.",
                403,
                reason="no role",
                email=email,
            )
        clearance = clearance_of(claims, role, settings)
        owner = sso_owner(str(claims["sub"]))
        name = str(claims.get("name") or email or claims["sub"])
        session_token, csrf = storage.sessions.create(
            owner=owner,
            name=name,
            email=email,
            role=role,
            clearance=int(clearance),
            hours=settings.session_hours,
            id_token=str(token["id_token"]),
        )
    except LoginRefused as refused:
        log.warning("SSO login refused: %s %s", refused.message, refused.data)
        storage.audit("login_refused", {"message": refused.message, **refused.data}, key_id=None)
        response: Response = _page("Inloggningen misslyckades", refused.message, refused.status)
        response.delete_cookie(LOGIN_COOKIE, path="/auth")
        return response
    storage.audit(
        "login",
        {"owner": owner, "email": email, "role": role, "clearance": clearance.label},
        key_id=owner,
    )
    response = RedirectResponse(pending["next_path"], status_code=303)
    max_age = int(settings.session_hours * 3600)
    _cookie(
        response,
        settings,
        SESSION_COOKIE,
        session_token,
        max_age=max_age,
        httponly=True,
        samesite="lax",
        path="/",
    )
    _cookie(response, settings, CSRF_COOKIE, csrf, max_age=max_age, samesite="strict", path="/")
    response.delete_cookie(LOGIN_COOKIE, path="/auth")
    return response


@router.post("/logout", summary="Logga ut")
def logout(request: Request, services: ServicesDep) -> Response:
    """End the session; ``logout_url`` is the provider's logout (to end the SSO login too)."""
    settings = services.settings
    token = request.cookies.get(SESSION_COOKIE)
    session = services.storage.sessions.find(token) if token else None
    if session is not None:
        sent = request.headers.get(CSRF_HEADER, "")
        if not hmac.compare_digest(sent.encode(), str(session["csrf"]).encode()):
            return JSONResponse(
                error_body("csrf_failed", "Begäran saknar giltig CSRF-token (X-CSRF-Token)."),
                status_code=403,
            )
        services.storage.sessions.end(str(token))
        services.storage.audit("logout", {"owner": session["owner"]}, key_id=session["owner"])
    logout_url = None
    if session is not None and settings.sso_enabled:
        try:
            end = provider_metadata(str(settings.oidc_issuer)).get("end_session_endpoint")
        except LoginRefused:
            end = None
        if end:
            base = settings.public_url.rstrip("/") if settings.public_url else str(request.base_url)
            params = {
                "client_id": settings.oidc_client_id,
                "post_logout_redirect_uri": base.rstrip("/") + "/",
            }
            if session.get("id_token"):
                params["id_token_hint"] = session["id_token"]
            logout_url = f"{end}?{urlencode(params)}"
    response = JSONResponse({"logged_out": session is not None, "logout_url": logout_url})
    response.delete_cookie(SESSION_COOKIE, path="/")
    response.delete_cookie(CSRF_COOKIE, path="/")
    return response
