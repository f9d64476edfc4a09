"""Serving stored documents with headers that keep browsers from running what they download."""

import re
from collections.abc import Callable, Iterator
from functools import wraps

from django.core.files import File
from django.db.models import F
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
    HttpResponseNotModified,
    JsonResponse,
    StreamingHttpResponse,
)
from django.shortcuts import get_object_or_404
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_safe
from django.views.decorators.vary import vary_on_headers
from rest_framework import exceptions
from rest_framework.request import Request

from paks.api.authentication import TokenAuthentication
from paks.models import Document

# Shown in the browser only where that is safe; everything else is saved to disk.
INLINE_TYPES = {"application/pdf", "image/png", "image/jpeg", "image/webp", "image/gif"}
# One byte range (`bytes=0-499`, `bytes=500-`, `bytes=-500`), for resuming large downloads.
RANGE = re.compile(r"bytes=(?P<first>\d*)-(?P<last>\d*)")
CHUNK = 64 * 1024


def _byte_range(header: str, size: int) -> tuple[int, int] | str | None:
    """(first, last) for one `bytes=` range; None to send it whole; "unsatisfiable"."""
    match = RANGE.fullmatch(header.strip())
    if not match or size == 0:
        return None  # several ranges or another unit: answered whole, as RFC 9110 allows
    first, last = match["first"], match["last"]
    if first == "" and last == "":
        return None
    if first == "":  # the last N bytes
        length = int(last)
        if length == 0:
            return "unsatisfiable"
        return max(0, size - length), size - 1
    start = int(first)
    end = min(int(last), size - 1) if last else size - 1
    if start >= size or end < start:
        return "unsatisfiable"
    return start, end


def _read(file: File, start: int, length: int) -> Iterator[bytes]:
    with file:
        file.seek(start)
        while length > 0:
            chunk = file.read(min(CHUNK, length))
            if not chunk:
                break
            length -= len(chunk)
            yield chunk


DocumentView = Callable[[HttpRequest, int], HttpResponseBase]


def token_or_session(view: DocumentView) -> DocumentView:
    """An API client fetches a document with its token (`Authorization: Token <key>`) as a
    browser does with its session: the same rules, through the API's own authentication, so
    a focal point's script downloads its country's drafts. A bad token is refused (401), as
    the API refuses it, rather than served as if anonymous."""

    @wraps(view)
    def with_token(request: HttpRequest, pk: int) -> HttpResponseBase:
        try:
            found = TokenAuthentication().authenticate(Request(request))
        except exceptions.APIException as exc:
            headers = {"WWW-Authenticate": TokenAuthentication.keyword}
            if wait := getattr(exc, "wait", None):  # too many wrong keys from this address
                headers = {"Retry-After": str(int(wait))}
            body = {"code": exc.default_code, "message": str(exc.detail)}
            return JsonResponse(body, status=exc.status_code, headers=headers)
        if found is not None:
            request.user = found[0]
        return view(request, pk)

    return with_token


def _visible_document(request: HttpRequest, pk: int) -> Document:
    # Drafts' files only to their country's focal points and editors; to others, 404.
    visible = Document.objects.visible_to(request.user).select_related("case", "event")
    return get_object_or_404(visible, pk=pk)


def _safe_headers(document: Document) -> dict[str, str]:
    return {
        "X-Content-Type-Options": "nosniff",
        "Content-Security-Policy": "default-src 'none'; sandbox",
        "Cache-Control": "public, max-age=3600" if document.is_public else "private, no-store",
    }


@require_safe
@vary_on_headers("Authorization")
@token_or_session
def thumbnail(request: HttpRequest, pk: int) -> HttpResponseBase:
    """The small JPEG made when the document was processed, under the document's own rules."""
    document = _visible_document(request, pk)
    stored = document.thumbnail.name
    if not stored:
        raise Http404("This document has no preview.")
    # The stored name is new for every thumbnail made, so it tells versions apart.
    headers = {**_safe_headers(document), "ETag": f'"{stored.rsplit("/")[-1]}"'}
    if headers["ETag"] in request.headers.get("If-None-Match", ""):
        return HttpResponseNotModified(headers=headers)
    response = FileResponse(document.thumbnail.open("rb"), content_type="image/jpeg")
    for name, value in headers.items():
        response[name] = value
    return response


@require_safe
@vary_on_headers("Authorization")
@token_or_session
def download(request: HttpRequest, pk: int) -> HttpResponseBase:
    document = _visible_document(request, pk)
    stored = document.file.name
    if not stored:
        raise Http404("No such document.")
    etag = f'"{document.sha256}"' if document.sha256 else None
    headers = {**_safe_headers(document), "Accept-Ranges": "bytes"}
    if etag:
        headers["ETag"] = etag
        if etag in request.headers.get("If-None-Match", ""):
            return HttpResponseNotModified(headers=headers)

    size = document.file.size
    wanted = request.headers.get("Range", "")
    if_range = request.headers.get("If-Range")
    part = _byte_range(wanted, size) if wanted and (not if_range or if_range == etag) else None
    if part == "unsatisfiable":
        return HttpResponse(status=416, headers={**headers, "Content-Range": f"bytes */{size}"})
    start, end = part if isinstance(part, tuple) else (0, size - 1)
    if request.method == "GET" and start == 0:
        # Counted once per download (not per resumed piece), without storing who it was.
        Document.objects.filter(pk=pk).update(download_count=F("download_count") + 1)

    filename = document.original_filename or stored.rsplit("/", 1)[-1]
    as_attachment = document.media_type not in INLINE_TYPES
    content_type = document.media_type or "application/octet-stream"
    if not isinstance(part, tuple):
        response = FileResponse(
            document.file.open("rb"),
            as_attachment=as_attachment,
            filename=filename,
            content_type=content_type,
        )
        for name, value in headers.items():
            response[name] = value
        return response
    headers["Content-Disposition"] = (
        content_disposition_header(as_attachment, filename) or "attachment"
    )
    length = end - start + 1
    return StreamingHttpResponse(
        _read(document.file.open("rb"), start, length),
        status=206,
        content_type=content_type,
        headers={
            **headers,
            "Content-Range": f"bytes {start}-{end}/{size}",
            "Content-Length": str(length),
        },
    )
