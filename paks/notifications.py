"""E-mail about cases to the people a change concerns, sent once the change has committed.

Editors hear of submissions; a country's focal points hear of publications and of requests
for changes. (Reminders and invitations to focal points are in `countries.notifications`.)
Each person reads it in the language they chose for e-mail (`core.mail.send`).
"""

from __future__ import annotations

from django.urls import reverse

from core.mail import Recipient, absolute, send
from countries.notifications import focal_points_of
from paks import roles
from paks.models import CaseComment, CaseStudy


def editors() -> list[Recipient]:
    return list(
        roles.editors().exclude(email="").order_by("email").values_list("email", "language")
    )


def case_submitted(case: CaseStudy) -> None:
    send(
        "case_submitted",
        editors(),
        lambda: {
            "case": case,
            # The admin has no language in its address: the same link in every language.
            "review_url": absolute(reverse("admin:paks_casestudy_review", args=[case.pk])),
        },
    )


def case_published(case: CaseStudy) -> None:
    send(
        "case_published",
        focal_points_of(case.country),
        lambda: {"case": case, "public_url": absolute(case.get_absolute_url())},
    )


def changes_requested(case: CaseStudy, comment: CaseComment) -> None:
    send(
        "changes_requested",
        focal_points_of(case.country),
        lambda: {
            "case": case,
            "comment": comment,
            "edit_url": absolute(reverse("workspace:case-edit", args=[case.slug])),
        },
    )
