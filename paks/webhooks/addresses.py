"""Which URLs PAKS posts to: HTTPS to public addresses only, so that an endpoint cannot make
the portal call into its own network (SSRF). Plain http:// to this machine is for local
development and the tests, when PAKS_WEBHOOKS_ALLOW_HTTP is on (the default outside
production).

The address is checked when the endpoint is saved and again before each delivery, as a
name may resolve elsewhere later.
"""

from __future__ import annotations

import ipaddress
import socket
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext

LOOPBACK_NAMES = {"localhost", "localhost."}


def _local_allowed() -> bool:
    return bool(getattr(settings, "PAKS_WEBHOOKS_ALLOW_HTTP", False))


def _is_loopback(host: str) -> bool:
    if host.lower() in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _addresses(host: str, port: int) -> set[str]:
    try:
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise ValidationError(
            gettext("The host %(host)s could not be found.") % {"host": host}
        ) from exc
    return {str(info[4][0]) for info in found}


def check_url(url: str) -> None:
    """Raise ValidationError, in words for the endpoint's owner, unless PAKS may post to `url`."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise ValidationError(gettext("Enter a valid URL.")) from exc
    host = parts.hostname or ""
    if parts.scheme not in {"https", "http"} or not host:
        raise ValidationError(gettext("Enter an https:// URL."))
    if parts.username or parts.password:
        raise ValidationError(gettext("The URL must not contain a user name or password."))
    if _local_allowed() and _is_loopback(host):
        return  # local development: this machine, over http or https
    if parts.scheme != "https":
        raise ValidationError(gettext("Webhook URLs must use https://."))
    for address in _addresses(host, port or 443):
        if not ipaddress.ip_address(address.split("%")[0]).is_global:
            raise ValidationError(
                gettext(
                    # Translators: %(address)s is an IP address, e.g. 10.0.0.5.
                    "The host %(host)s resolves to %(address)s, a private or local address; "
                    "webhooks are sent to public addresses only."
                )
                % {"host": host, "address": address}
            )
