"""OpenAPI: which operations anyone may call, and the JSON errors every operation answers."""

from typing import Any

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter

from core.sync import CURSOR, UPDATED_SINCE, ChangesList
from paks.api.permissions import ANYONE, Roles, required_role

CHANGE_PARAMETERS = [
    OpenApiParameter(
        UPDATED_SINCE,
        OpenApiTypes.DATETIME,
        description="Only items changed at or after this moment (ISO 8601, e.g. "
        "2026-12-01T09:30:00Z), oldest change first, in cursor pages (`next`). Items that "
        "left the list are in /api/v1/deleted/.",
    ),
    OpenApiParameter(
        CURSOR, str, description="The page after another, as given in `next` or `previous`."
    ),
]


class RoleAwareSchema(AutoSchema):
    """Operations open to anyone (the role their view declares) are documented as needing
    no credentials: drf-spectacular knows this of DRF's own permission classes only."""

    def get_override_parameters(self) -> list[Any]:
        parameters = list(super().get_override_parameters())
        if isinstance(self.view, ChangesList) and getattr(self.view, "action", None) == "list":
            named = {getattr(p, "name", None) for p in parameters}
            parameters += [p for p in CHANGE_PARAMETERS if p.name not in named]
        return parameters

    def get_auth(self) -> list[dict[str, Any]]:
        auths = super().get_auth()
        roles = any(isinstance(p, Roles) for p in self.view.get_permissions())
        if roles and required_role(self.method, self.view) == ANYONE and {} not in auths:
            auths.append({})
        return auths


ERROR_SCHEMA = {
    "type": "object",
    "description": "A machine-readable code, a message for people, the field at fault.",
    "properties": {
        "code": {"type": "string", "example": "precondition_failed"},
        "message": {"type": "string"},
        "field": {"type": "string", "description": "Present when one field is at fault."},
        "errors": {
            "type": "object",
            "additionalProperties": True,
            "description": "All fields' errors, for validation errors.",
        },
    },
    "required": ["code", "message"],
}

ERRORS = {
    "400": "The request is malformed or a field is invalid.",
    "401": "No credentials, or a token that is unknown, revoked or expired.",
    "403": "Signed in, but not allowed to do this (another country's case, editors only).",
    "404": "Not found, or not visible to you.",
    "405": "This method is not offered here.",
    "406": "The Accept header asks for a format this endpoint does not offer.",
    "429": "Too many requests; retry after the time in Retry-After.",
}
WRITE_ERRORS = {
    "409": "Conflicts with the current state (status, duplicate file, key in use).",
    "412": "If-Match names a version that is no longer current.",
    "413": "The upload is larger than allowed.",
    "415": "The body's or the file's type is not accepted.",
    "422": "The Idempotency-Key was used with a different request.",
    "428": "If-Match is required.",
}


def add_error_responses(result: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
    result.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
    reference = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    for methods in result.get("paths", {}).values():
        for method, operation in methods.items():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            errors = ERRORS if method in {"get", "head"} else {**ERRORS, **WRITE_ERRORS}
            for status, description in errors.items():
                operation["responses"].setdefault(
                    status, {"description": description, "content": reference}
                )
    return result


def either_page_of_cases(result: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
    """The case list answers a search page or, with `updated_since`, a page of changes; an
    empty page is both, so the list's schema is anyOf, not the oneOf drf-spectacular writes
    for alternatives."""
    page = result.get("components", {}).get("schemas", {}).get("CaseListPage")
    if page and "oneOf" in page:
        page["anyOf"] = page.pop("oneOf")
    return result
