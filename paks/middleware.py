"""Refuse request bodies that declare more than the upload limit, before reading them."""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.defaultfilters import filesizeformat
from django.template.loader import render_to_string

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
            message = f"The upload is larger than {filesizeformat(limit)}."
            if request.path.startswith("/api/"):
                return JsonResponse(
                    {"code": "too_large", "message": message, "field": "file"}, status=413
                )
            html = render_to_string("413.html", {"message": message}, request=None)
            return HttpResponse(html, status=413)
        return self.get_response(request)
