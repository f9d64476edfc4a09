"""Rates per token for API clients, per account for browser sessions, per address otherwise."""

from typing import Any

from rest_framework.request import Request
from rest_framework.throttling import SimpleRateThrottle

from accounts.models import ApiToken


class TokenRateThrottle(SimpleRateThrottle):
    """Each token has its own budget, so one busy integration does not starve another."""

    scope = "token"

    def get_cache_key(self, request: Request, view: Any) -> str | None:
        if isinstance(request.auth, ApiToken):
            ident = f"token-{request.auth.pk}"
        elif request.user and request.user.is_authenticated:
            ident = f"user-{request.user.pk}"
        else:
            return None  # anonymous requests are counted by AnonRateThrottle, per address
        return self.cache_format % {"scope": self.scope, "ident": ident}
