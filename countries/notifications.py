"""E-mail to focal points and the people invited to become one (see `core.mail`).

Focal points whose country's information has not been confirmed for a while get a reminder
(`manage.py remind_stale_countries`); invited people get their link. Each message is in its
reader's language: the one they chose for e-mail, or the one the invitation was sent in.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.urls import reverse

from accounts.models import Invitation
from core.mail import Recipient, absolute, send
from countries.models import Country, FocalPoint


def focal_points_of(country: Country) -> list[Recipient]:
    return sorted(
        set(
            FocalPoint.objects.active()
            .filter(country=country)
            .exclude(user__email="")
            .values_list("user__email", "user__language")
        )
    )


def invitation(invitation: Invitation, key: str) -> None:
    send(
        "invitation",
        [(invitation.email, invitation.language)],
        lambda: {
            "invitation": invitation,
            "accept_url": absolute(reverse("workspace:accept-invitation", args=[key])),
            "days": settings.PAKS_INVITATION_DAYS,
        },
    )


def stale_country(focal_point: FocalPoint, last_confirmed: Any) -> None:
    send(
        "stale_country",
        [(focal_point.user.email, focal_point.user.language)],
        lambda: {
            "focal_point": focal_point,
            "country": focal_point.country,
            "last_confirmed": last_confirmed,
            "workspace_url": absolute(reverse("workspace:home")),
        },
    )
