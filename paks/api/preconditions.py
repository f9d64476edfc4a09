"""ETags and `If-Match`: writes must name the version they were based on."""

import re
from collections.abc import Callable
from typing import Any

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from rest_framework import status
from rest_framework.exceptions import APIException, PermissionDenied, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from paks.models import CaseStudy, CaseTranslation, Contribution, Document
from paks.services import (
    InvalidTransition,
    NotAllowed,
    Refused,
    ServiceError,
    StaleVersion,
    document_version,
)
from paks.translations import StaleTranslation


class PreconditionRequired(APIException):
    status_code = status.HTTP_428_PRECONDITION_REQUIRED
    default_code = "precondition_required"
    default_detail = _(
        # Translators: If-Match is an HTTP header and ETag its value; keep both as they are.
        "Send an If-Match header with the ETag of the version you read, "
        "so that nobody's changes are overwritten."
    )


class PreconditionFailed(APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_code = "precondition_failed"
    default_detail = _("It changed since you read it. Read it again and apply your changes to it.")


class Conflict(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "conflict"
    default_detail = _("This cannot be done in the resource's current state.")


def service_error(exc: ServiceError) -> APIException:
    """The HTTP meaning of a refused write."""
    if isinstance(exc, Refused):
        return ValidationError({exc.field: [str(exc)]}, code="invalid")
    if isinstance(exc, NotAllowed):
        return PermissionDenied(str(exc))
    if isinstance(exc, StaleVersion | StaleTranslation):
        return PreconditionFailed(str(exc))
    if isinstance(exc, InvalidTransition):
        return Conflict(str(exc), code="invalid_status")
    return ValidationError({"non_field_errors": [str(exc)]})


# A versioned resource's tag names its kind, its key and its version: "case-12-v3".
_VERSION_TAG = re.compile(r'^"(?P<kind>[a-z]+)-(?P<pk>\d+)-v(?P<version>\d+)"$')
Versioned = CaseStudy | Contribution | CaseTranslation


def _kind(resource: Versioned) -> str:
    if isinstance(resource, CaseTranslation):
        return "translation"
    return "case" if isinstance(resource, CaseStudy) else "contribution"


def version_etag(resource: Versioned) -> str:
    return f'"{_kind(resource)}-{resource.pk}-v{resource.version}"'


def case_etag(case: CaseStudy) -> str:
    return version_etag(case)


def document_etag(document: Document) -> str:
    """Names the file and the details as read: a new title or language makes a new tag."""
    file = document.sha256[:16] or "link"
    return f'"document-{document.pk}-{file}-{document_version(document)}"'


def _if_match(request: Request, *, required: bool) -> list[str] | None:
    header = request.headers.get("If-Match", "").strip()
    if not header:
        if required:
            raise PreconditionRequired()
        return None
    if header == "*":
        # "Any version" would allow exactly the lost update this header exists to prevent.
        raise PreconditionRequired(
            # Translators: "If-Match: *" is an HTTP header; keep it as it is.
            gettext("If-Match: * is not enough here; send the ETag you read.")
        )
    # Our tags name a version, not a byte sequence: compression (Django's GZipMiddleware,
    # nginx's gzip) marks them weak when it encodes the body, and the client sends back what
    # it got. The weak form of one of our tags names the same version, so it is read as one.
    return [tag.strip().removeprefix("W/") for tag in header.split(",")]


def expected_version(request: Request, resource: Versioned, *, required: bool = True) -> int:
    """The version the client read, from If-Match; 428 without it, 412 if it names another."""
    tags = _if_match(request, required=required)
    if tags is None:
        return resource.version
    for tag in tags:
        match = _VERSION_TAG.match(tag)
        if match and match["kind"] == _kind(resource) and int(match["pk"]) == resource.pk:
            return int(match["version"])
    raise PreconditionFailed()


def check_document_etag(request: Request, document: Document) -> None:
    tags = _if_match(request, required=True)
    if document_etag(document) not in (tags or []):
        raise PreconditionFailed()


class VersionedWrites:
    """For a view set of versioned rows (cases, contributions): the detail answer with its
    ETag, and workflow steps whose If-Match, optional, must be current when sent."""

    detail_serializer_class: type[Any]

    def _detail_response(self, resource: Any, *, status_code: int = 200, fresh: bool = True) -> Any:
        """The row as the caller may see it; `fresh` reads it again after a write."""
        if fresh:
            resource = self.get_queryset().get(pk=resource.pk)  # type: ignore[attr-defined]
        context = self.get_serializer_context()  # type: ignore[attr-defined]
        body = self.detail_serializer_class(resource, context=context).data
        response = Response(body, status=status_code)
        response["ETag"] = version_etag(resource)
        return response

    def _transition(self, request: Any, resource: Any, change: Callable[[], Any]) -> Any:
        """A workflow step through a service; a refusal answers as `service_error` says."""
        if resource.version != expected_version(request, resource, required=False):
            raise PreconditionFailed()
        try:
            resource = change()
        except ServiceError as exc:
            raise service_error(exc) from None
        return self._detail_response(resource)
