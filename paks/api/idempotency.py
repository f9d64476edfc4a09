"""`Idempotency-Key` for every POST that creates something (a case, an upload): a retried
request gets the first response, not a second row.

The same key with the same request replays the stored response; with another request it
is refused with 422; while the first request is still running a retry gets 409. Only
successful responses are kept: after an error nothing was written, so the key is released
and a retry runs again. Keys are forgotten after a day (`cleanup_uploads`).
"""

from __future__ import annotations

import datetime
import hashlib
import json
from collections.abc import Callable

from django.db import IntegrityError, transaction
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from rest_framework import status
from rest_framework.exceptions import APIException, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.models import signed_in
from paks.models import IdempotencyKey

HEADER = "Idempotency-Key"
KEEP_FOR = datetime.timedelta(days=1)
REPLAYED_HEADERS = ("ETag", "Location")


class KeyReused(APIException):
    status_code = status.HTTP_422_UNPROCESSABLE_ENTITY
    default_code = "idempotency_key_reused"
    default_detail = _(
        # Translators: Idempotency-Key is the name of an HTTP header; keep it as it is.
        "This Idempotency-Key was already used for a different request. "
        "Use a new key for a new case or upload."
    )


class StillRunning(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "idempotency_key_in_use"
    default_detail = _(
        # Translators: Idempotency-Key is the name of an HTTP header; keep it as it is.
        "A request with this Idempotency-Key is still being processed. "
        "Retry in a moment to get its response."
    )


def fingerprint(request: Request) -> str:
    """What the request asks for: method, path, and the JSON body or the form fields and the
    files' content."""
    digest = hashlib.sha256(f"{request.method} {request.path}\n".encode())
    if not isinstance(request.data, QueryDict):
        digest.update(json.dumps(request.data, sort_keys=True, default=str).encode())
        return digest.hexdigest()
    for name in sorted(request.data.keys()):
        if name in request.FILES:
            continue
        for value in request.data.getlist(name):
            digest.update(f"{name}={value}\n".encode())
    for name in sorted(request.FILES.keys()):
        for upload in request.FILES.getlist(name):
            digest.update(f"{name}:{upload.name}:{upload.size}\n".encode())
            for chunk in upload.chunks():
                digest.update(chunk)
            upload.seek(0)
    return digest.hexdigest()


def idempotent(request: Request, handler: Callable[[], Response]) -> Response:
    """Run `handler` once per key; without the header, just run it."""
    key = request.headers.get(HEADER, "").strip()
    if not key:
        return handler()
    if len(key) > 255 or not key.isprintable():
        raise ValidationError(
            {HEADER: [gettext("Use at most 255 printable characters, such as a UUID.")]},
            code="invalid_idempotency_key",
        )
    print_ = fingerprint(request)
    user = signed_in(request.user)  # keys are each person's own; the view required a sign-in
    IdempotencyKey.objects.filter(
        user=user, key=key, created_at__lt=timezone.now() - KEEP_FOR
    ).delete()
    try:
        with transaction.atomic():
            record = IdempotencyKey.objects.create(user=user, key=key, fingerprint=print_)
    except IntegrityError:
        first = IdempotencyKey.objects.get(user=user, key=key)
        if first.fingerprint != print_:
            raise KeyReused() from None
        if first.status_code is None:
            raise StillRunning() from None
        replay = Response(first.response_body, status=first.status_code)
        for name, value in first.response_headers.items():
            replay[name] = value
        replay["Idempotent-Replayed"] = "true"
        return replay

    try:
        response = handler()
    except BaseException:
        record.delete()
        raise
    if status.is_success(response.status_code):
        record.status_code = response.status_code
        record.response_body = response.data
        record.response_headers = {
            name: response[name] for name in REPLAYED_HEADERS if response.has_header(name)
        }
        record.save(update_fields=["status_code", "response_body", "response_headers"])
    else:
        record.delete()
    return response
