"""The client's address behind reverse proxies (``DIGI_TRUSTED_PROXIES``).

Rate limits without a key and the wrong-key lockout count per client address. Behind a proxy the
direct peer is the proxy, so every user would share one address; the proxy names the real client
in ``X-Forwarded-For``. That header is believed only when the direct peer is a configured proxy
(an address or a network, CIDR): anyone else could write anything in it.

The header lists one address per hop, each appended by the hop that received the request, so the
right end was written by our peer. :func:`forwarded_client` walks it from the right past trusted
proxies and takes the first address that is not one: the right-most untrusted address, the
furthest hop that a trusted proxy vouches for. What a client wrote to the left of that is ignored.

:class:`TrustedProxyMiddleware` runs outermost and puts that address in ``scope["client"]`` (and
``X-Forwarded-Proto`` in ``scope["scheme"]``), so auth, limits and routes see the real client.
``digirapport serve`` turns uvicorn's own proxy handling off so that this is the only rule.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Sequence

from starlette.types import ASGIApp, Receive, Scope, Send

from web.settings import IPNetwork

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


def parse_address(text: str) -> IPAddress | None:
    """An address as a proxy writes it (``1.2.3.4``, ``1.2.3.4:5678``, ``[::1]:80``), or None."""
    text = text.strip()
    if text.startswith("["):
        text = text[1 : text.find("]")] if "]" in text else text
    elif text.count(":") == 1:
        text = text.split(":", 1)[0]
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        return None


def is_trusted(address: IPAddress | None, trusted: Sequence[IPNetwork]) -> bool:
    """Whether ``address`` lies in one of the ``trusted`` networks."""
    if address is None:
        return False
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped  # ::ffff:10.0.0.5 from a dual-stack socket
    return any(address.version == net.version and address in net for net in trusted)


def forwarded_client(peer: str, forwarded_for: Sequence[str], trusted: Sequence[IPNetwork]) -> str:
    """The client's address: ``peer`` unless it is a trusted proxy that forwarded the request.

    Args:
        peer: The direct peer's address (the socket's other end).
        forwarded_for: The values of every ``X-Forwarded-For`` header, in order.
        trusted: The proxies' networks (``Settings.trusted_proxy_networks``).

    Returns:
        The right-most address in the header that is not a trusted proxy; the left-most when
        every hop is trusted; the nearest trusted hop's address when the next hop is no address
        (e.g. ``unknown``); ``peer`` when it is not trusted or sent no header.
    """
    if not trusted or not is_trusted(parse_address(peer), trusted):
        return peer
    hops = [hop.strip() for value in forwarded_for for hop in value.split(",") if hop.strip()]
    nearest = peer
    for hop in reversed(hops):
        address = parse_address(hop)
        if address is None:
            return nearest
        if not is_trusted(address, trusted):
            return str(address)
        nearest = str(address)
    return nearest


class TrustedProxyMiddleware:
    """Put the forwarded client address (and scheme) in the scope for requests from a proxy."""

    def __init__(self, app: ASGIApp, *, trusted: Sequence[IPNetwork]) -> None:
        """Wrap ``app``; ``trusted`` empty means no header is ever believed."""
        self.app = app
        self.trusted = tuple(trusted)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Rewrite ``client`` and ``scheme`` when the direct peer is a trusted proxy."""
        client = scope.get("client")
        if scope["type"] == "http" and self.trusted and client:
            peer = str(client[0])
            if is_trusted(parse_address(peer), self.trusted):
                forwarded: list[str] = []
                proto = None
                for name, value in scope["headers"]:
                    if name == b"x-forwarded-for":
                        forwarded.append(value.decode("latin-1"))
                    elif name == b"x-forwarded-proto":
                        proto = value.decode("latin-1").strip().lower()
                address = forwarded_client(peer, forwarded, self.trusted)
                if address != peer:
                    scope["client"] = (address, 0)
                if proto in {"http", "https"}:
                    scope["scheme"] = proto
        await self.app(scope, receive, send)
