"""Who may do what with cases: the roles, defined once.

The services decide with these functions; the workspace, the API's permission class
(`paks.api.permissions.Roles`) and the queries of what a person may see ask the same ones.

- **Anyone**, signed in or not, reads what is published.
- A **focal point** is a signed-in person with an appointment in force for a country
  (`countries.models.countries_of`). It creates cases of its countries, changes them while
  they are drafts or returned for changes, uploads and removes their documents, submits them
  and comments on them. Another country's drafts do not exist for it.
- An **editor** is an active member of staff with the Editors group's permissions, or a
  superuser (`accounts.models.User.is_editor`; the admin asks the same permissions). Editors
  do everything focal points do, for every country and whatever the status, and alone
  publish, return for changes and archive. Staff status alone makes no one an editor.
- **Contributions** to an event (slides, talks) follow the same rules: a focal point adds its
  country's contributions to an event the country took part in or hosted, and changes them
  while they are drafts or returned; editors do everything and alone publish.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib.auth.models import AnonymousUser, Permission
from django.db.models import Q, QuerySet

from accounts.models import User
from countries.models import countries_of

if TYPE_CHECKING:
    from countries.models import Country
    from events.models import Event
    from paks.models import CaseStudy, Contribution

Person = User | AnonymousUser  # request.user, whatever authenticated it


def is_editor(user: Person) -> bool:
    return user.is_authenticated and user.is_editor


def is_focal_point_of(user: Person, country_id: int) -> bool:
    return countries_of(user).filter(pk=country_id).exists()


def works_on(user: Person, case: CaseStudy) -> bool:
    """Editors work on every case; a focal point on its countries' cases."""
    return is_editor(user) or is_focal_point_of(user, case.country_id)


def may_edit(user: Person, case: CaseStudy) -> bool:
    """Whether the case's content and documents may change now, by this person."""
    if is_editor(user):
        return True
    return case.status in case.EDITABLE_STATUSES and is_focal_point_of(user, case.country_id)


def may_create_cases(user: Person) -> bool:
    return is_editor(user) or countries_of(user).exists()


def may_review(user: Person) -> bool:
    """Publish, return for changes and archive."""
    return is_editor(user)


def editors() -> QuerySet[User]:
    """The people `is_editor` is true of, as a query (for the e-mails to the editors)."""
    app_label, codename = User.EDITOR_PERMISSION.split(".")
    permission = Permission.objects.filter(content_type__app_label=app_label, codename=codename)
    return (
        User.objects.filter(is_active=True, is_staff=True)
        .filter(
            Q(is_superuser=True)
            | Q(groups__permissions__in=permission)
            | Q(user_permissions__in=permission)
        )
        .distinct()
    )


def countries_at(event: Event) -> set[int]:
    """The countries that took part in the event or hosted it."""
    taking_part = set(event.participations.values_list("country_id", flat=True))
    return taking_part | ({event.country_id} if event.country_id else set())


def may_contribute(user: Person, event: Event, country: Country | None) -> bool:
    """Editors add any contribution; a focal point its own country's, to an event the
    country took part in or hosted."""
    if is_editor(user):
        return True
    return (
        country is not None
        and user.is_authenticated
        and is_focal_point_of(user, country.pk)
        and country.pk in countries_at(event)
    )


def works_on_contribution(user: Person, contribution: Contribution) -> bool:
    """Editors work on every contribution; a focal point on its countries' ones."""
    if is_editor(user):
        return True
    country = contribution.country_id
    return country is not None and user.is_authenticated and is_focal_point_of(user, country)


def may_edit_contribution(user: Person, contribution: Contribution) -> bool:
    """Whether the contribution and its documents may change now, by this person."""
    if is_editor(user):
        return True
    return contribution.status in contribution.EDITABLE_STATUSES and works_on_contribution(
        user, contribution
    )
