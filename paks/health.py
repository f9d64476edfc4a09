"""Probes for the process manager and the load balancer.

`/healthz`: the process answers (liveness; a failing database must not get it restarted).
`/readyz`: it can serve: the database, the shared cache, the media storage and the task
queue each answer (readiness). Failures name the part and the kind of error, never more.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.core.files.storage import default_storage
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

PROBE = "paks:readyz"


def _database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")


def _cache() -> None:
    token = str(time.monotonic_ns())
    cache.set(PROBE, token, timeout=30)
    if cache.get(PROBE) != token:
        raise RuntimeError("the cache did not keep a value")


def _storage() -> None:
    location = getattr(default_storage, "location", None)
    if location is not None:  # files on a disk: the folder (made on the first upload) or
        folder = os.path.abspath(location)  # the nearest one above it must take new files
        while not os.path.exists(folder):
            folder = os.path.dirname(folder)
        if not (os.path.isdir(folder) and os.access(folder, os.W_OK)):
            raise PermissionError("the media folder cannot take new files")
        return
    default_storage.exists("readyz-probe")  # object storage: reachable, with credentials


def _task_queue() -> None:
    backend = settings.TASKS["default"]["BACKEND"]
    if backend.startswith("django_tasks_rq"):
        import django_rq

        django_rq.get_connection().ping()
    elif backend.startswith("django_tasks_db"):
        from django_tasks_db.models import DBTaskResult

        DBTaskResult.objects.exists()


CHECKS: dict[str, Callable[[], None]] = {
    "database": _database,
    "cache": _cache,
    "storage": _storage,
    "task queue": _task_queue,
}


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "ok"})


@never_cache
@require_GET
def readyz(request: HttpRequest) -> JsonResponse:
    results: dict[str, dict[str, object]] = {}
    for name, check in CHECKS.items():
        started = time.perf_counter()
        try:
            check()
        except Exception as exc:  # any failure of the part means "not ready"
            results[name] = {"ok": False, "error": type(exc).__name__}
        else:
            results[name] = {"ok": True}
        results[name]["ms"] = round((time.perf_counter() - started) * 1000, 1)
    ready = all(result["ok"] for result in results.values())
    body = {"status": "ok" if ready else "unavailable", "checks": results}
    return JsonResponse(body, status=200 if ready else 503)
