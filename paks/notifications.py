"""E-mail to the people a change concerns, sent once the change has committed.

Editors hear of submissions; a country's focal points hear of publications and of requests
for changes; focal points whose country's information has not been confirmed for a while get
a reminder (`manage.py remind_stale_countries`); invited people get their link.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse

from accounts.models import Invitation
from countries.models import Country, FocalPoint
from paks import roles
from paks.models import CaseComment, CaseStudy


def absolute(path: str) -> str:
    """A link for an e-mail: the portal's public address and the path."""
    return settings.PAKS_SITE_URL.rstrip("/") + path


def editors() -> list[str]:
    return list(roles.editors().exclude(email="").order_by("email").values_list("email", flat=True))


def focal_points_of(country: Country) -> list[str]:
    return sorted(
        set(
            FocalPoint.objects.active()
            .filter(country=country)
            .exclude(user__email="")
            .values_list("user__email", flat=True)
        )
    )


def send(template: str, recipients: Iterable[str], context: dict[str, Any]) -> None:
    """Render `emails/<template>.txt` (first line: the subject) and send it after commit."""
    to = sorted(set(recipients))
    if not to:
        return
    subject, _, body = render_to_string(f"emails/{template}.txt", context).partition("\n")
    # One message per person: nobody learns who else received it.
    messages = [(subject.strip(), body.strip() + "\n", address) for address in to]

    def deliver() -> None:
        for subject_line, text, address in messages:
            send_mail(subject_line, text, None, [address])

    transaction.on_commit(deliver)


def case_submitted(case: CaseStudy) -> None:
    send(
        "case_submitted",
        editors(),
        {
            "case": case,
            "review_url": absolute(reverse("admin:paks_casestudy_review", args=[case.pk])),
        },
    )


def case_published(case: CaseStudy) -> None:
    send(
        "case_published",
        focal_points_of(case.country),
        {"case": case, "public_url": absolute(case.get_absolute_url())},
    )


def changes_requested(case: CaseStudy, comment: CaseComment) -> None:
    send(
        "changes_requested",
        focal_points_of(case.country),
        {
            "case": case,
            "comment": comment,
            "edit_url": absolute(reverse("workspace:case-edit", args=[case.slug])),
        },
    )


def invitation(invitation: Invitation, key: str) -> None:
    send(
        "invitation",
        [invitation.email],
        {
            "invitation": invitation,
            "accept_url": absolute(reverse("account:accept-invitation", args=[key])),
            "days": settings.PAKS_INVITATION_DAYS,
        },
    )


def stale_country(focal_point: FocalPoint, last_confirmed: Any) -> None:
    send(
        "stale_country",
        [focal_point.user.email],
        {
            "focal_point": focal_point,
            "country": focal_point.country,
            "last_confirmed": last_confirmed,
            "workspace_url": absolute(reverse("workspace:home")),
        },
    )
