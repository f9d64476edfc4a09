"""Refuse request bodies that declare more than the upload limit, before reading them, and
answer "try again" when the embedded database stays busy."""

from collections.abc import Callable

from django.conf import settings
from django.db import OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.defaultfilters import filesizeformat
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext

# Form fields and multipart framing around the file itself.
MARGIN = 1024 * 1024


class UploadSizeLimitMiddleware:
    """A body larger than PAKS_MAX_UPLOAD_BYTES (plus a margin) is answered 413 at once.

    It stands before the CSRF and session middleware, which would otherwise read the whole
    body to look for a form token. Bodies sent without a declared length are still limited
    by accept_document once stored.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        declared = request.META.get("CONTENT_LENGTH") or "0"
        limit = settings.PAKS_MAX_UPLOAD_BYTES
        if declared.isdigit() and int(declared) > limit + MARGIN:
            # Answered before LocaleMiddleware has run: in the language it would choose.
            with translation.override(
                translation.get_language_from_request(request, check_path=True)
            ):
                return self.too_large(request, limit)
        return self.get_response(request)

    @staticmethod
    def too_large(request: HttpRequest, limit: int) -> HttpResponse:
        # Translators: %(size)s is the largest upload allowed, e.g. 50.0 MB.
        message = gettext("The upload is larger than %(size)s.") % {"size": filesizeformat(limit)}
        if request.path.startswith("/api/"):
            return JsonResponse(
                {"code": "too_large", "message": message, "field": "file"}, status=413
            )
        html = render_to_string("413.html", {"message": message}, request=None)
        return HttpResponse(html, status=413)


# When SQLite (the embedded default) stays locked past its timeout; PostgreSQL waits instead.
BUSY_SIGNS = ("database is locked", "database table is locked", "database is busy")
RETRY_AFTER_SECONDS = 5


class DatabaseBusyMiddleware:
    """A request that found the database locked by another writer for longer than the
    timeout wrote nothing (its transaction rolled back): it is answered 503 with Retry-After,
    as JSON on the API, instead of a 500."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, OperationalError):
            return None
        if not any(sign in str(exception).lower() for sign in BUSY_SIGNS):
            return None
        message = gettext("The database is busy with other changes; nothing was saved. Try again.")
        if request.path.startswith("/api/"):
            response: HttpResponse = JsonResponse({"code": "busy", "message": message}, status=503)
        else:
            html = render_to_string("503.html", {"message": message}, request=None)
            response = HttpResponse(html, status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
