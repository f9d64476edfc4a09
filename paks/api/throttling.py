"""Request rates: per token for API clients, per account for sessions, per address otherwise.

DRF's stock throttles keep a list of every request's time in the cache and read and write
it whole on each request. These count requests in fixed windows instead: one atomic
increment per request, whatever the rate.
"""

from typing import TYPE_CHECKING, Any

from rest_framework.request import Request
from rest_framework.throttling import AnonRateThrottle, SimpleRateThrottle

from accounts.models import ApiToken
from core.net import client_address
from paks.ratelimit import count

if TYPE_CHECKING:
    _Throttle = SimpleRateThrottle
else:
    _Throttle = object  # a mixin: the throttle it is mixed into comes after it


class WindowCountMixin(_Throttle):
    """At most `num_requests` in each window of `duration` seconds (a fixed window)."""

    num_requests: int
    duration: int
    window_ends: float

    def allow_request(self, request: Request, view: Any) -> bool:
        if self.rate is None:
            return True
        key = self.get_cache_key(request, view)
        if key is None:
            return True
        hits, self.window_ends = count(key, self.duration, self.timer())
        return hits <= self.num_requests

    def wait(self) -> float:
        return max(0.0, self.window_ends - self.timer())


class AnonymousRateThrottle(WindowCountMixin, AnonRateThrottle):
    """Anonymous requests, per client address (scope "anon"): the address from a trusted
    proxy's header, never from whatever header a client sends (DRF's own reading)."""

    def get_ident(self, request: Request) -> str:
        return client_address(request.META)


class TokenRateThrottle(WindowCountMixin, SimpleRateThrottle):
    """Each token has its own budget, so one busy integration does not starve another."""

    scope = "token"

    def get_cache_key(self, request: Request, view: Any) -> str | None:
        if isinstance(request.auth, ApiToken):
            ident = f"token-{request.auth.pk}"
        elif request.user and request.user.is_authenticated:
            ident = f"user-{request.user.pk}"
        else:
            return None  # anonymous requests are counted per address
        return self.cache_format % {"scope": self.scope, "ident": ident}
