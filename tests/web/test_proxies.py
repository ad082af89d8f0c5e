"""The client address behind trusted proxies (``DIGI_TRUSTED_PROXIES``, ``web/proxies.py``).

The rule itself, case by case; ``test_limits_http.py`` checks it through real ``digirapport serve``
processes, where it decides whose rate-limit bucket a request uses.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi import Request
from fastapi.testclient import TestClient
from pydantic import ValidationError

from web.app import create_app
from web.proxies import forwarded_client
from web.settings import Settings, ip_networks

PROXIES = ip_networks("10.0.0.0/8, 192.0.2.7, 2001:db8::/32", "DIGI_TRUSTED_PROXIES")


@pytest.mark.parametrize(
    ("peer", "header", "expected"),
    [
        # an untrusted peer: the header is whatever it wants it to be, so it is ignored
        ("198.51.100.4", ["203.0.113.9"], "198.51.100.4"),
        ("127.0.0.1", ["203.0.113.9"], "127.0.0.1"),
        # a trusted proxy: the address it appended
        ("10.1.2.3", ["203.0.113.9"], "203.0.113.9"),
        ("192.0.2.7", ["203.0.113.9"], "203.0.113.9"),
        # what the client wrote itself (left of its own address) does not count
        ("10.1.2.3", ["6.6.6.6, 203.0.113.9"], "203.0.113.9"),
        ("10.1.2.3", ["6.6.6.6", "203.0.113.9"], "203.0.113.9"),  # two header lines
        # a chain of trusted proxies: the right-most address that is not one of them
        ("10.1.2.3", ["203.0.113.9, 10.9.9.9, 192.0.2.7"], "203.0.113.9"),
        ("10.1.2.3", ["6.6.6.6, 203.0.113.9, 10.9.9.9"], "203.0.113.9"),
        # only proxies in the header: the left-most of them
        ("10.1.2.3", ["10.4.4.4, 10.9.9.9"], "10.4.4.4"),
        # ports and IPv6 as proxies write them
        ("10.1.2.3", ["203.0.113.9:51234"], "203.0.113.9"),
        ("2001:db8::1", ["[2001:db9::5]:443"], "2001:db9::5"),
        ("::ffff:10.1.2.3", ["203.0.113.9"], "203.0.113.9"),  # IPv4 peer on a dual-stack socket
        # no usable address: the nearest trusted hop, never the text
        ("10.1.2.3", ["unknown"], "10.1.2.3"),
        ("10.1.2.3", ["203.0.113.9, unknown, 10.9.9.9"], "10.9.9.9"),
        ("10.1.2.3", [], "10.1.2.3"),
        ("10.1.2.3", [" , "], "10.1.2.3"),
    ],
)
def test_forwarded_client(peer: str, header: list[str], expected: str) -> None:
    assert forwarded_client(peer, header, PROXIES) == expected


def test_no_trusted_proxies_means_the_peer() -> None:
    assert forwarded_client("10.1.2.3", ["203.0.113.9"], ()) == "10.1.2.3"


def test_setting_is_checked_at_start() -> None:
    settings = Settings(trusted_proxies=" 10.0.0.0/8 ,192.0.2.7,, ::1")
    assert [str(n) for n in settings.trusted_proxy_networks] == [
        "10.0.0.0/8",
        "192.0.2.7/32",
        "::1/128",
    ]
    with pytest.raises(ValidationError) as info:
        Settings(trusted_proxies="10.0.0.0/8, proxy.kommun.se")
    assert "DIGI_TRUSTED_PROXIES: 'proxy.kommun.se' är varken en IP-adress eller ett nät" in str(
        info.value
    )


def test_middleware_rewrites_client_and_scheme(tmp_path: Path) -> None:
    """What routes and auth see: the forwarded client and scheme, only from a trusted peer."""
    seen: list[tuple[str, str]] = []

    def app_for(trusted: str) -> TestClient:
        settings = Settings(
            data_dir=tmp_path / trusted.replace("/", "_"), auth="off", trusted_proxies=trusted
        )
        app = create_app(settings)

        @app.get("/api/_peer")
        def peer(request: Request) -> dict[str, str]:  # probe route added only in this test
            assert request.client is not None
            seen.append((request.client.host, request.url.scheme))
            return {}

        # the test client's peer is "testclient"; give it a real address
        return TestClient(app, client=("10.1.2.3", 50000))

    forwarded = {"X-Forwarded-For": "6.6.6.6, 203.0.113.9", "X-Forwarded-Proto": "https"}
    for trusted in ("10.0.0.0/8", "192.0.2.0/24", ""):
        app_for(trusted).get("/api/_peer", headers=forwarded)
    assert seen == [("203.0.113.9", "https"), ("10.1.2.3", "http"), ("10.1.2.3", "http")]
