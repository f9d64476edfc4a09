"""Whose address a request is counted under: the socket's peer, or the client a configured
proxy names, never an address the client wrote itself."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from core.net import client_address

PROXY = "10.0.0.2"


@pytest.mark.parametrize(
    ("trusted", "count", "peer", "forwarded", "expected"),
    [
        # No proxy configured: the peer, whatever the header says.
        ([], 0, "198.51.100.7", "203.0.113.9", "198.51.100.7"),
        # A trusted proxy passes on the client it saw; a forged hop before it is ignored.
        ([PROXY], 0, PROXY, "203.0.113.9", "203.0.113.9"),
        ([PROXY], 0, PROXY, "1.1.1.1, 203.0.113.9", "203.0.113.9"),
        (["10.0.0.0/8"], 0, PROXY, "1.1.1.1, 203.0.113.9, 10.0.0.3", "203.0.113.9"),
        # A peer that is not a trusted proxy is the client, even if it sends the header.
        ([PROXY], 0, "198.51.100.7", "203.0.113.9", "198.51.100.7"),
        # Garbage where an address should be: the proxy that passed it on is the client.
        ([PROXY], 0, PROXY, "not-an-address", PROXY),
        # A count: that many proxies, the peer included, then the client.
        ([], 1, PROXY, "1.1.1.1, 203.0.113.9", "203.0.113.9"),
        ([], 2, PROXY, "1.1.1.1, 203.0.113.9, 10.0.0.3", "203.0.113.9"),
        ([], 1, PROXY, "", PROXY),
        # IPv6, bracketed or not.
        (["2001:db8::/48"], 0, "2001:db8::1", "[2001:db8:1::5], 2001:db8::2", "2001:db8:1::5"),
        (["2001:db8::1"], 0, "2001:db8::1", "2001:db8:ffff::9", "2001:db8:ffff::9"),
    ],
)
def test_the_client_is_read_from_configured_proxies_only(
    settings, trusted, count, peer, forwarded, expected
):
    settings.PAKS_TRUSTED_PROXIES, settings.PAKS_PROXY_COUNT = trusted, count
    meta = {"REMOTE_ADDR": peer, "HTTP_X_FORWARDED_FOR": forwarded}
    assert client_address(meta) == expected


@pytest.mark.django_db
def test_a_rotating_forwarded_header_does_not_escape_the_rate_limit(settings):
    from paks.api.throttling import AnonymousRateThrottle

    rates = AnonymousRateThrottle.THROTTLE_RATES
    AnonymousRateThrottle.THROTTLE_RATES = {**rates, "anon": "5/minute"}
    try:
        client = APIClient()
        codes = [
            client.get(
                reverse("api-v1:theme-list"), HTTP_X_FORWARDED_FOR=f"203.0.113.{n}"
            ).status_code
            for n in range(8)
        ]
    finally:
        AnonymousRateThrottle.THROTTLE_RATES = rates
    assert codes == [200] * 5 + [429] * 3


@pytest.mark.django_db
def test_behind_a_trusted_proxy_each_client_has_its_own_budget(settings):
    from paks.api.throttling import AnonymousRateThrottle

    settings.PAKS_TRUSTED_PROXIES = ["127.0.0.1"]  # the test client's peer address
    rates = AnonymousRateThrottle.THROTTLE_RATES
    AnonymousRateThrottle.THROTTLE_RATES = {**rates, "anon": "2/minute"}
    try:
        client = APIClient()
        url = reverse("api-v1:theme-list")
        first = [client.get(url, HTTP_X_FORWARDED_FOR="203.0.113.1").status_code for _ in range(3)]
        second = client.get(url, HTTP_X_FORWARDED_FOR="203.0.113.2").status_code
    finally:
        AnonymousRateThrottle.THROTTLE_RATES = rates
    assert first == [200, 200, 429] and second == 200
