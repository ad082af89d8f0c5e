"""Who is asking: the caller of a request, its owner id, role and clearance.

The web layer identifies the caller (an API key, a single sign-on session, or the local user) and
sets :data:`current_caller` for the request; everything below reads it from there:

* retrieval returns only passages up to the caller's clearance (``SecurityLevel``), so neither the
  offline answer, nor a model's tool call, nor a draft can quote a passage above it;
* conversations are stored with the caller's owner id and read back only by the same owner.

Outside a request (the command line, tests, local mode) the caller is :data:`LOCAL`: the one user
of this machine, cleared for everything and owner of everything.
"""

from __future__ import annotations

from contextvars import ContextVar
from dataclasses import dataclass
from typing import Literal

from ingest.models import SecurityLevel

#: The roles of keys and single sign-on users, least first.
ROLES: tuple[str, ...] = ("reader", "editor", "admin")

#: Owner id of conversations stored in local mode (auth off on 127.0.0.1).
LOCAL_OWNER = "lokal"
#: Owner id given by the schema upgrade to conversations stored before owners existed.
UNKNOWN_OWNER = "okänd"

Via = Literal["local", "key", "sso"]


@dataclass(frozen=True)
class Caller:
    """The identity behind a request.

    Attributes:
        owner: The owner id stored with what the caller creates (``key:<id>``, ``sso:<sub>``);
            None in local mode, where there is one user and no filtering by owner.
        role: ``reader``, ``editor`` or ``admin``.
        clearance: The highest security level the caller may read.
        via: How the caller was identified: ``local``, ``key`` or ``sso``.
        name: A display name (the key's name, the SSO user's name or e-mail).
    """

    owner: str | None
    role: str
    clearance: SecurityLevel
    via: Via
    name: str = ""

    @property
    def is_local(self) -> bool:
        """True for the single local user (no owners, no filtering)."""
        return self.owner is None

    @property
    def stored_owner(self) -> str:
        """The owner id to store with a new conversation (``lokal`` in local mode)."""
        return self.owner or LOCAL_OWNER


#: The caller outside any authenticated request: the machine's own user.
LOCAL = Caller(owner=None, role="admin", clearance=SecurityLevel.KANSLIG, via="local", name="lokal")

#: The caller of the request being served (set by the web layer's auth middleware).
current_caller: ContextVar[Caller] = ContextVar("digirapport_caller", default=LOCAL)
#: The id of the request being served (``X-Request-ID``), set by the web layer for each request;
#: audit records and error events written while serving it carry it. None outside a request.
current_request_id: ContextVar[str | None] = ContextVar("digirapport_request_id", default=None)


def current_clearance() -> SecurityLevel:
    """The highest security level the current caller may read."""
    return current_caller.get().clearance
