"""OpenAPI: which operations anyone may call, and the JSON errors every operation answers."""

from typing import Any

from drf_spectacular.openapi import AutoSchema

from paks.api.permissions import ANYONE, Roles, required_role


class RoleAwareSchema(AutoSchema):
    """Operations open to anyone (the role their view declares) are documented as needing
    no credentials: drf-spectacular knows this of DRF's own permission classes only."""

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
