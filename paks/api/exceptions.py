"""Errors as JSON with a machine-readable code, a message for people, and the field at fault."""

from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import Http404
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext
from rest_framework import exceptions, status
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import exception_handler

from core.renderers import CSVRenderer


def _first(detail: Any) -> tuple[str | None, str, str]:
    """The first field, message and code of a DRF error detail, however it is nested."""
    if isinstance(detail, dict):
        for field, value in detail.items():
            _, message, code = _first(value)
            plain = field in {"non_field_errors", "detail"}
            return (None if plain else str(field)), message, code
    if isinstance(detail, list) and detail:
        return _first(detail[0])
    return None, str(detail), getattr(detail, "code", "error") or "error"


class BodyTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_code = "too_large"

    def __init__(self) -> None:
        limit = filesizeformat(settings.DATA_UPLOAD_MAX_MEMORY_SIZE)
        super().__init__(
            # Translators: %(limit)s is a size, e.g. "2.5 MB".
            gettext("The request body is larger than %(limit)s; send less at once.")
            % {"limit": limit}
        )


def api_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, RequestDataTooBig):  # Django's own answer would be an HTML 400
        exc = BodyTooLarge()
    response = exception_handler(exc, context)
    if response is None:
        return None
    request = context.get("request")
    renderer = getattr(request, "accepted_renderer", None)
    if request is not None and isinstance(renderer, CSVRenderer):
        # Errors are JSON even when a CSV export was asked for.
        request.accepted_renderer = JSONRenderer()
        request.accepted_media_type = JSONRenderer.media_type
    if isinstance(exc, Http404):
        # Says nothing about what exists: another country's draft and a typo look the same.
        field, message, code = None, gettext("Not found."), "not_found"
    elif isinstance(exc, exceptions.APIException):
        field, message, code = _first(exc.detail)
    else:
        field, message, code = _first(response.data)
    body: dict[str, Any] = {"code": code, "message": message}
    if field:
        body["field"] = field
    if isinstance(exc, exceptions.ValidationError) and isinstance(exc.detail, dict):
        body["errors"] = exc.detail
    if response.status_code == status.HTTP_429_TOO_MANY_REQUESTS:
        body["code"] = "throttled"
    response.data = body
    return response
