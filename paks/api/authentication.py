"""`Authorization: Token <key>` for API clients, with a lockout against guessing keys."""

from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import gettext
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.request import Request

from accounts.models import ApiToken, User
from accounts.services import authenticate_token
from core.net import client_address


def _failures_key(request: Request) -> str:
    return f"paks:token-failures:{client_address(request.META)}"


class TokenAuthentication(BaseAuthentication):
    """A personal API token. Revoked or expired tokens and deactivated users fail at once.

    Each address may present a wrong key `PAKS_TOKEN_FAILURE_LIMIT` times within
    `PAKS_TOKEN_LOCKOUT_SECONDS`; after that its wrong keys are answered 429 until the window
    passes. A valid key is never refused: behind one proxy or NAT, one client's mistakes
    must not lock out the others (and a 256-bit key cannot be guessed anyway).
    """

    keyword = "Token"

    def authenticate(self, request: Request) -> tuple[User, ApiToken] | None:
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() != self.keyword.lower().encode():
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed(
                gettext(
                    # Translators: "Authorization: Token <key>" is an HTTP header; keep it.
                    "Send the header as 'Authorization: Token <key>', with no spaces in the key."
                )
            )
        try:
            token = authenticate_token(parts[1].decode())
        except UnicodeDecodeError:
            token = None
        if token is not None:
            return token.user, token
        key = _failures_key(request)
        lockout = settings.PAKS_TOKEN_LOCKOUT_SECONDS
        failures = 1
        if cache.add(key, 1, timeout=lockout) is False:
            try:
                failures = cache.incr(key)
            except ValueError:  # expired between add and incr
                cache.set(key, 1, timeout=lockout)
        if failures > settings.PAKS_TOKEN_FAILURE_LIMIT:
            raise exceptions.Throttled(
                wait=lockout,
                detail=gettext("Too many wrong tokens from this address; try again later."),
            )
        raise exceptions.AuthenticationFailed(
            gettext(
                "The token is not valid: it is unknown, revoked or expired, "
                "or its account is deactivated."
            )
        )

    def authenticate_header(self, request: Request) -> str:
        # Makes DRF answer 401 (not 403) to requests without credentials.
        return self.keyword


def token_of(request: Request) -> Any:
    """The ApiToken a request authenticated with, or None for session or anonymous requests."""
    return request.auth if isinstance(request.auth, ApiToken) else None


class TokenScheme(OpenApiAuthenticationExtension):
    """Describes the token header in the OpenAPI schema."""

    target_class = TokenAuthentication
    name = "tokenAuth"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "A personal API token: `Token <key>`.",
        }
