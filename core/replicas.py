"""Reads from a replica, when one is configured (DATABASE_REPLICA_URL), where that is safe.

A public read (an anonymous GET or HEAD: no session, no token) goes to the replica; so does
nothing else. Within such a request, the first write, or any transaction, sends everything
after it to the primary, so a request never reads older data than it wrote. Signed-in people
read the primary: they expect to see their own changes at once, whatever the replica's lag.
"""

from __future__ import annotations

from collections.abc import Callable
from contextvars import ContextVar
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections
from django.http import HttpRequest, HttpResponse

REPLICA = "replica"
SAFE = ("GET", "HEAD")

_public_read: ContextVar[bool] = ContextVar("public_read", default=False)
_wrote: ContextVar[bool] = ContextVar("wrote", default=False)


class ReplicaRouter:
    def db_for_read(self, model: Any, **hints: Any) -> str:
        if (
            _public_read.get()
            and not _wrote.get()
            and not connections[DEFAULT_DB_ALIAS].in_atomic_block
        ):
            return REPLICA
        return DEFAULT_DB_ALIAS

    def db_for_write(self, model: Any, **hints: Any) -> str:
        _wrote.set(True)
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool:
        return True  # one database, copied

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool:
        return db == DEFAULT_DB_ALIAS  # the replica follows the primary by itself


class ReplicaMiddleware:
    """Marks a request as a public read (or not) for the router, before anything reads."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        from django.conf import settings

        public = (
            request.method in SAFE
            and settings.SESSION_COOKIE_NAME not in request.COOKIES
            and "HTTP_AUTHORIZATION" not in request.META
        )
        reading, wrote = _public_read.set(public), _wrote.set(False)
        try:
            return self.get_response(request)
        finally:
            _public_read.reset(reading)
            _wrote.reset(wrote)
