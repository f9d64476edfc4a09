"""Request rates counted in fixed windows in the shared cache: one atomic increment per
request, whatever the rate. The API's throttles and the HTML search count the same way."""

from __future__ import annotations

import functools
import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string

from core.net import client_address

DURATIONS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_rate(rate: str) -> tuple[int, int]:
    """ "120/minute" as (120 requests, 60 seconds)."""
    number, period = rate.split("/")
    return int(number), DURATIONS[period[0]]


def count(key: str, duration: int, now: float | None = None) -> tuple[int, float]:
    """Count one request under `key` in the current window; the count so far and the
    moment the window ends."""
    now = time.time() if now is None else now
    window = int(now // duration)
    counter = f"{key}:{window}"
    try:
        hits = cache.incr(counter)
    except ValueError:  # the window's first request (or a race with another one)
        added = cache.add(counter, 1, timeout=duration + 1)
        hits = 1 if added else cache.incr(counter)
    return hits, (window + 1) * duration


def limited(
    scope: str, setting: str
) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """A view whose requests from one client address are limited to the rate named by
    `setting` ("60/minute"); past it the client is answered 429 with Retry-After."""

    def decorate(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @functools.wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            rate = getattr(settings, setting)
            if rate:
                allowed, duration = parse_rate(rate)
                address = client_address(request.META)
                hits, ends = count(f"paks:rate:{scope}:{address}", duration)
                if hits > allowed:
                    wait = max(1, int(ends - time.time()))
                    html = render_to_string("429.html", {"wait": wait}, request=request)
                    response = HttpResponse(html, status=429)
                    response["Retry-After"] = str(wait)
                    return response
            return view(request, *args, **kwargs)

        return wrapped

    return decorate
