"""A cache of anonymous API reads (and of a few public pages, `cached_public_page`), dropped
as a whole whenever public content changes.

Every response is stored under the current *content version*; any save or delete of the
models the public sees moves the version on (once the change commits), so no reader is
served a page older than the last change. It needs a cache all processes share (Redis):
with PAKS_API_CACHE_SECONDS at 0, the default without REDIS_URL, nothing is cached.
"""

from __future__ import annotations

import functools
import hashlib
import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.utils.translation import get_language
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response

VERSION_KEY = "paks:public-content-version"
# Part of every entry's key: a release that stores entries differently never reads old ones.
ENTRY_FORMAT = "rendered-1"
CACHED_HEADERS = ("ETag",)


def content_version() -> int:
    version = cache.get(VERSION_KEY)
    if version is None:
        # Start from the clock, so a cache that lost its version never reuses an old one.
        cache.add(VERSION_KEY, time.time_ns() // 1000, timeout=None)
        version = cache.get(VERSION_KEY)
    return int(version)


def _bump() -> None:
    try:
        cache.incr(VERSION_KEY)
    except ValueError:
        cache.set(VERSION_KEY, time.time_ns() // 1000, timeout=None)


def public_content_changed(**kwargs: Any) -> None:
    """A signal receiver: after the current transaction commits, cached reads are stale."""
    transaction.on_commit(_bump)


def cached_public_read(request: Request, build: Callable[[], Response]) -> Response | HttpResponse:
    """The JSON answer to an anonymous GET from the cache, or `build()`'s, then cached."""
    seconds = settings.PAKS_API_CACHE_SECONDS
    if (
        not seconds
        or request.method != "GET"
        or request.user.is_authenticated
        or not isinstance(getattr(request, "accepted_renderer", None), JSONRenderer)
        or "no-cache" in request.headers.get("Cache-Control", "")
    ):
        return build()
    path = hashlib.sha256(request.get_full_path().encode()).hexdigest()
    # The answer's words are in the language the client asked for (Accept-Language).
    key = f"paks:api:{ENTRY_FORMAT}:{content_version()}:{get_language()}:{path}"
    hit = cache.get(key)
    if hit is None:
        response = build()
        if response.status_code != 200:
            return response
        # Stored rendered: rendering a page with its facets costs more than finding it.
        content = JSONRenderer().render(response.data)
        headers = {name: response[name] for name in CACHED_HEADERS if response.has_header(name)}
        hit = (content, headers)
        cache.set(key, hit, timeout=seconds)
    content, headers = hit
    cached = HttpResponse(content, content_type="application/json")
    for name, value in headers.items():
        cached[name] = value
    return cached


# A cached page outlives a change at most this long where the cache is each process's own
# (without REDIS_URL): there only the process that made the change sees the new version.
PAGE_SECONDS = 600
PAGE_HEADERS = ("Content-Type", "Last-Modified", "X-Robots-Tag")


def cached_public_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A view whose anonymous GETs are answered from the cache, kept under the content
    version and the search index's version: the index's token is in the database, so every
    process sees at once a change to which cases are published, whatever the cache."""

    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        from paks.search.index import version  # the index reports its changes to this module

        if request.method not in ("GET", "HEAD") or request.user.is_authenticated:
            return view(request, *args, **kwargs)
        # The whole address: a page names the site's own scheme and host in its links.
        address = hashlib.sha256(request.build_absolute_uri().encode()).hexdigest()
        key = f"paks:page:{ENTRY_FORMAT}:{version()}:{content_version()}:{address}"
        hit = cache.get(key)
        if hit is None:
            response = view(request, *args, **kwargs)
            if response.status_code != 200:
                return response
            if hasattr(response, "render"):
                response.render()
            headers = {name: response[name] for name in PAGE_HEADERS if response.has_header(name)}
            hit = (response.content, headers)
            cache.set(key, hit, timeout=PAGE_SECONDS)
        content, headers = hit
        cached = HttpResponse(content)
        for name, value in headers.items():
            cached[name] = value
        return cached

    return wrapped
