"""Writing to the audit log; sign-ins and sign-outs arrive through Django's auth signals."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.http import HttpRequest

from accounts.models import AuditEvent, User
from core.net import client_address

Action = AuditEvent.Action


def _address(request: HttpRequest | None) -> str | None:
    # The client's address, read as django-axes reads it (core.net).
    return client_address(request.META) or None if request is not None else None


def record(
    action: str,
    *,
    actor: User | None = None,
    target: models.Model | None = None,
    request: HttpRequest | None = None,
    detail: str = "",
) -> AuditEvent:
    return AuditEvent.objects.create(
        action=action,
        actor=actor if actor is not None and actor.pk else None,
        actor_label=(actor.email or actor.username) if actor is not None else "",
        target_type=(target._meta.model_name or "") if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        target_label=str(target)[:300] if target is not None else "",
        ip_address=_address(request),
        detail=detail[:300],
    )


def signed_in(sender: Any, request: HttpRequest, user: User, **kwargs: Any) -> None:
    record(Action.SIGNED_IN, actor=user, request=request)


def signed_out(sender: Any, request: HttpRequest, user: User | None, **kwargs: Any) -> None:
    if user is not None:
        record(Action.SIGNED_OUT, actor=user, request=request)


def sign_in_failed(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    # The name typed is kept (never the password), to see guessing against one account.
    typed = str(credentials.get("username", ""))[:254]
    record(Action.SIGN_IN_FAILED, request=request, detail=f"as {typed!r}")
