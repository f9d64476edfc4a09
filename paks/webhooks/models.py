"""Endpoints that editors and focal points register, and the log of what was sent to them."""

from __future__ import annotations

import secrets
import uuid
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.functional import lazy
from django.utils.translation import gettext, ngettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from countries.models import countries_of
from paks import roles
from paks.webhooks import EVENTS
from paks.webhooks.addresses import check_url

# An owner's endpoints at most; each one is one more delivery for every event.
MAX_ENDPOINTS_PER_OWNER = 10
# Deliveries failed for good in a row (every attempt) that turn their endpoint off.
DEACTIVATE_AFTER = 5


def new_secret() -> str:
    return secrets.token_urlsafe(32)


def validate_events(value: Any) -> None:
    events = ", ".join(EVENTS)
    if not isinstance(value, list) or not value:
        raise ValidationError(
            # Translators: %(events)s lists the event names (case.published ...); keep them.
            gettext("Choose at least one event: %(events)s.") % {"events": events}
        )
    unknown = [name for name in value if name not in EVENTS]
    if unknown:
        raise ValidationError(
            gettext("Unknown event %(event)s; the events are %(events)s.")
            % {"event": repr(unknown[0]), "events": events}
        )
    if len(set(value)) != len(value):
        raise ValidationError(gettext("Name each event once."))


def _events_help_text() -> str:
    # Translators: %(events)s lists the event names (case.published ...); keep them.
    return gettext("Event names: %(events)s.") % {"events": ", ".join(EVENTS)}


def _active_help_text() -> str:
    return ngettext(
        "Turned off by itself after %(count)d delivery in a row failed every attempt; "
        "tick to send again.",
        "Turned off by itself after %(count)d deliveries in a row failed every attempt; "
        "tick to send again.",
        DEACTIVATE_AFTER,
    ) % {"count": DEACTIVATE_AFTER}


class Endpoint(models.Model):
    """An HTTPS address that receives the events it subscribed to, about what its owner may
    see: an editor's endpoint hears of every country's cases, a focal point's of public items
    and its own countries' (never another country's drafts)."""

    owner = models.ForeignKey(User, on_delete=models.CASCADE, related_name="webhook_endpoints")
    url = models.URLField(_("URL"), max_length=500, validators=[check_url])
    description = models.CharField(max_length=200, blank=True)
    events = models.JSONField(
        default=list,
        validators=[validate_events],
        help_text=lazy(_events_help_text, str)(),
    )
    # Kept as it is, not hashed: every delivery is signed with it.
    secret = models.CharField(max_length=64, default=new_secret, editable=False)
    active = models.BooleanField(
        default=True,
        help_text=lazy(_active_help_text, str)(),
    )
    consecutive_failures = models.PositiveIntegerField(
        default=0,
        editable=False,
        help_text=_("Deliveries that failed for good since the last success."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "pk"]

    def __str__(self) -> str:
        return self.url

    @property
    def scope(self) -> str:
        return scope_of(self.owner)


def scope_of(owner: User) -> str:
    """Whose items an owner's endpoints hear of, as the owner's role decides today."""
    if roles.is_editor(owner):
        return gettext("every country")
    own = ", ".join(countries_of(owner).order_by("iso3").values_list("iso3", flat=True))
    if not own:
        return gettext("public items")
    # Translators: %(countries)s lists ISO 3166 alpha-3 codes, e.g. "KOR, PHL".
    return gettext("public items and those of %(countries)s") % {"countries": own}


class Delivery(models.Model):
    """One event for one endpoint, with every attempt to send it (the same id each time)."""

    class Status(models.TextChoices):
        PENDING = "pending", pgettext_lazy("delivery status", "Pending")
        SUCCEEDED = "succeeded", pgettext_lazy("delivery status", "Succeeded")
        FAILED = "failed", pgettext_lazy("delivery status", "Failed")

    endpoint = models.ForeignKey(Endpoint, on_delete=models.CASCADE, related_name="deliveries")
    event = models.CharField(max_length=40)
    event_id = models.UUIDField(default=uuid.uuid4, editable=False)
    payload = models.JSONField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    response_code = models.PositiveSmallIntegerField(null=True, blank=True)
    error = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name_plural = _("deliveries")
        constraints = [
            # An event reaches an endpoint once: emit records one delivery per endpoint.
            models.UniqueConstraint(
                fields=["endpoint", "event_id"], name="webhook_delivery_once_per_endpoint"
            ),
        ]
        indexes = [
            # An endpoint's log, newest first (the API's deliveries, the admin's filter).
            models.Index(fields=["endpoint", "-created_at"], name="webhook_delivery_log_idx"),
            # Pruning: WHERE created_at < cutoff.
            models.Index(fields=["created_at"], name="webhook_delivery_created_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.event} to {self.endpoint_id} ({self.status})"
