"""Who is asking: the client's address, read from proxy headers only when a configured proxy
sent them.

The rule is the one nginx's realip module applies (`set_real_ip_from`, `real_ip_recursive`):
the socket's peer is the client unless it is a trusted proxy; then the X-Forwarded-For hops
are read from the right, each one appended by the proxy before it, and the first hop that
is not a trusted proxy is the client. A hop that is not an address ends the walk at the
proxy that passed it on, so a client cannot choose its own identity by sending garbage.

Settings: PAKS_TRUSTED_PROXIES (addresses or networks: "10.0.0.0/8, 192.0.2.1") or
PAKS_PROXY_COUNT (that many proxies stand in front, the peer included). Neither set: the
peer, whatever the headers say.
"""

from __future__ import annotations

import functools
import ipaddress
from typing import Any

from django.conf import settings

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@functools.lru_cache(maxsize=8)
def _networks(entries: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(entry.strip(), strict=False) for entry in entries)


def _address(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(text.strip().strip("[]"))
    except ValueError:
        return None


def client_address(meta: Any) -> str:
    """The client's address from a request's META (or any mapping with the same keys)."""
    peer = str(meta.get("REMOTE_ADDR", "") or "")
    trusted = _networks(tuple(settings.PAKS_TRUSTED_PROXIES))
    count = settings.PAKS_PROXY_COUNT
    if not trusted and not count:
        return peer
    forwarded = str(meta.get("HTTP_X_FORWARDED_FOR", "") or "")
    hops = [peer, *reversed([hop for hop in forwarded.split(",") if hop.strip()])]
    if count:
        hops = hops[: count + 1]  # the proxies' hops and the client's; the rest is the client's
    client = peer
    for position, hop in enumerate(hops):
        address = _address(hop)
        if address is None:
            break  # not an address: the proxy before it is as far as the chain can be trusted
        client = str(address)
        is_proxy = position < count if count else any(address in net for net in trusted)
        if not is_proxy:
            break
    return client


def request_client_address(request: Any) -> str:
    """For django-axes (AXES_CLIENT_IP_CALLABLE) and views: the client of a request."""
    return client_address(request.META)
