"""Writes about focal points: invitations, appointing and ending appointments.

The admin, the management commands, the workspace and the invitation link all call these.
"""

from __future__ import annotations

import datetime
import secrets
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import get_language, gettext

from accounts import audit
from accounts.models import Invitation, User
from core.mail import supported_language
from countries import notifications
from countries.models import Country, FocalPoint, Organization, countries_of


class FocalPointError(Exception):
    """An appointment change that cannot happen; the message says why."""


def _record(action: str, *, by: User | None, target: models.Model, detail: str = "") -> None:
    audit.record(action, actor=by, target=target, detail=detail)


@dataclass
class EndedAppointments:
    """What end_focal_point did."""

    ended: list[FocalPoint] = field(default_factory=list)
    user_deactivated: bool = False


def check_no_open_appointment(*, user: User, country: Country, lock: bool = False) -> None:
    """Refuse a second open appointment of a user for a country (forms ask first)."""
    open_appointments = FocalPoint.objects.filter(user=user, country=country, until__isnull=True)
    if lock:
        open_appointments = open_appointments.select_for_update()
    current = open_appointments.select_related("organization").first()
    if current is not None:
        raise FocalPointError(
            gettext(
                "%(email)s is already a focal point for %(country)s (appointed by "
                "%(organization)s since %(since)s); end that appointment first."
            )
            % {
                "email": user.email,
                "country": country.name,
                "organization": current.organization.display_name,
                "since": f"{current.since:%Y-%m-%d}",
            }
        )


@transaction.atomic
def appoint_focal_point(
    *,
    user: User,
    country: Country,
    organization: Organization,
    position: str = "",
    since: datetime.date | None = None,
    is_contact_public: bool = False,
    by: User | None = None,
) -> FocalPoint:
    """Appoint a user as a country's focal point; one open appointment per user and country.
    `by`: the editor who appoints (for the audit log); None for an accepted invitation."""
    check_no_open_appointment(user=user, country=country, lock=True)
    since = since or timezone.localdate()
    if not user.is_active:
        # A former focal point being appointed again needs a working account.
        user.is_active = True
        user.save(update_fields=["is_active"])
    appointment = FocalPoint.objects.create(
        user=user,
        country=country,
        organization=organization,
        position=position,
        since=since,
        is_contact_public=is_contact_public,
    )
    _record("focal_point_appointed", by=by, target=appointment, detail=f"since {since:%Y-%m-%d}")
    return appointment


# What may change in an appointment while it runs; it ends through end_focal_point.
APPOINTMENT_FIELDS = ("organization", "position", "is_contact_public", "since")


@transaction.atomic
def change_focal_point(
    *, appointment: FocalPoint, data: dict[str, object], by: User | None
) -> FocalPoint:
    """Correct an appointment's organization, position, start or contact visibility."""
    appointment = FocalPoint.objects.select_for_update().get(pk=appointment.pk)
    changed = [n for n in APPOINTMENT_FIELDS if n in data and getattr(appointment, n) != data[n]]
    if not changed:
        return appointment
    for name in changed:
        setattr(appointment, name, data[name])
    appointment.full_clean()
    appointment._history_user = by  # type: ignore[attr-defined]
    appointment.save(update_fields=changed)
    _record("focal_point_changed", by=by, target=appointment, detail=", ".join(changed))
    return appointment


@transaction.atomic
def end_focal_point(
    *,
    user: User,
    country: Country | None = None,
    on: datetime.date | None = None,
    by: User | None = None,
) -> EndedAppointments:
    """End a user's open appointments (for one country, or all) and retire the account if idle.

    The account is deactivated when no other appointment stays in force and the user is not
    staff, so a former focal point can no longer sign in.
    """
    day = on or timezone.localdate()
    open_appointments = FocalPoint.objects.select_for_update().filter(user=user, until__isnull=True)
    if country is not None:
        open_appointments = open_appointments.filter(country=country)
    appointments = list(open_appointments.select_related("country", "organization"))
    if not appointments:
        if country is not None:
            message = gettext("%(email)s has no open focal point appointment for %(country)s.")
            raise FocalPointError(message % {"email": user.email, "country": country.name})
        message = gettext("%(email)s has no open focal point appointment.")
        raise FocalPointError(message % {"email": user.email})
    for appointment in appointments:
        # An appointment that had not started yet ends on its first day (until >= since).
        appointment.until = max(day, appointment.since)
        appointment._history_user = by  # type: ignore[attr-defined]
        appointment.save(update_fields=["until"])
        _record("focal_point_ended", by=by, target=appointment, detail=f"{appointment.until}")
    others_in_force = (
        FocalPoint.objects.filter(user=user)
        .exclude(pk__in=[a.pk for a in appointments])
        .active(on=day)
        .exists()
    )
    result = EndedAppointments(ended=appointments)
    if not others_in_force and not user.is_staff and user.is_active:
        user.is_active = False
        user.save(update_fields=["is_active"])
        result.user_deactivated = True
        detail = "the last focal point appointment ended"
        _record("account_deactivated", by=by, target=user, detail=detail)
    return result


@transaction.atomic
def confirm_information_current(*, user: User, country: Country) -> FocalPoint:
    """A focal point confirms that its country's information on the portal is current."""
    appointment = (
        FocalPoint.objects.active()
        .select_for_update()
        .filter(user=user, country=country)
        .order_by()
        .first()
    )
    if appointment is None:
        raise FocalPointError(
            gettext("Only %(country)s's focal points may confirm its information.")
            % {"country": country.name}
        )
    appointment.last_confirmed_at = timezone.now()
    appointment._history_user = user  # type: ignore[attr-defined]
    appointment._change_reason = "Confirmed the country's information is current"  # type: ignore[attr-defined]
    appointment.save(update_fields=["last_confirmed_at"])
    return appointment


def last_confirmed(country: Country) -> datetime.datetime | None:
    """When any of the country's focal points last confirmed its information."""
    last: datetime.datetime | None = (
        FocalPoint.objects.filter(country=country)
        .order_by()
        .aggregate(last=models.Max("last_confirmed_at"))["last"]
    )
    return last


class InvitationError(Exception):
    """An invitation that cannot be sent or used; the message says why."""


@transaction.atomic
def invite(
    *,
    email: str,
    country: Country,
    organization: Organization,
    invited_by: User,
    position: str = "",
    language: str | None = None,
) -> tuple[Invitation, str]:
    """Invite a person by e-mail to be a country's focal point; returns the link's key.

    The e-mail is written in `language`, by default the one the inviting editor works in."""
    email = User.objects.normalize_email(email).strip().lower()
    if language is not None and language not in dict(settings.LANGUAGES):
        raise InvitationError(
            gettext("The language is one of %(languages)s.")
            % {"languages": ", ".join(code for code, _name in settings.LANGUAGES)}
        )
    if FocalPoint.objects.active().filter(user__email__iexact=email, country=country).exists():
        raise InvitationError(
            gettext("%(email)s is already a focal point for %(country)s.")
            % {"email": email, "country": country.name}
        )
    key = secrets.token_urlsafe(32)
    invitation = Invitation.objects.create(
        email=email,
        country=country,
        organization=organization,
        position=position,
        digest=Invitation.digest_of(key),
        invited_by=invited_by,
        expires_at=timezone.now() + datetime.timedelta(days=settings.PAKS_INVITATION_DAYS),
        language=language or supported_language(get_language()),
    )
    audit.record(audit.Action.INVITATION_SENT, actor=invited_by, target=invitation, detail=email)
    notifications.invitation(invitation, key)
    return invitation, key


def open_invitation(key: str) -> Invitation | None:
    """The invitation this link's key opens, if it is still unused and unexpired."""
    invitation = (
        Invitation.objects.select_related("country", "organization")
        .filter(digest=Invitation.digest_of(key))
        .first()
    )
    return invitation if invitation is not None and invitation.is_open else None


@transaction.atomic
def accept_invitation(
    *,
    key: str,
    password: str,
    first_name: str = "",
    last_name: str = "",
    request: Any = None,
    language: str | None = None,
) -> User:
    """Use an invitation once: set the person's password and appoint them focal point.

    A new account is written to in `language`, by default the language of the page the
    invitation was accepted on; an existing account keeps the language it has."""
    invitation = (
        Invitation.objects.select_for_update().filter(digest=Invitation.digest_of(key)).first()
    )
    if invitation is None or not invitation.is_open:
        raise InvitationError(gettext("This invitation link has expired or has already been used."))
    user = User.objects.filter(email__iexact=invitation.email).first()
    if user is None:
        user = User(
            email=invitation.email,
            username=invitation.email,
            language=supported_language(language or get_language()),
        )
    if not user.is_active:
        raise InvitationError(gettext("This account is deactivated; ask an editor to restore it."))
    user.first_name = first_name.strip() or user.first_name
    user.last_name = last_name.strip() or user.last_name
    user.set_password(password)
    user.save()
    if not FocalPoint.objects.active().filter(user=user, country=invitation.country).exists():
        appoint_focal_point(
            user=user,
            country=invitation.country,
            organization=invitation.organization,
            position=invitation.position,
        )
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    audit.record(audit.Action.INVITATION_ACCEPTED, actor=user, target=invitation, request=request)
    return user


class OrganizationError(Exception):
    """A write to an organization that cannot happen; `field` names the field at fault.

    `errors` holds every field's messages when the model's validation found several.
    """

    def __init__(
        self,
        message: str,
        *,
        field: str = "non_field_errors",
        errors: dict[str, list[str]] | None = None,
    ) -> None:
        super().__init__(message)
        self.field = field
        self.errors = errors or {field: [message]}


class OrganizationNotAllowed(OrganizationError):
    """The person may not write this organization at all (not a field's fault)."""


class OrganizationChanged(OrganizationError):
    """Someone saved the organization after the caller read it."""


# What a write may set; `updated_at` is the database's and the history is simple-history's.
ORGANIZATION_FIELDS = (
    "name",
    "slug",
    "acronym",
    "short_name",
    "kind",
    "country",
    "parent",
    "website",
    "description",
)

ORGANIZATION_CREATED = audit.Action.ORGANIZATION_CREATED
ORGANIZATION_CHANGED = audit.Action.ORGANIZATION_CHANGED


def unique_organization_slug(name: str, *, exclude_pk: int | None = None) -> str:
    """A slug from the name, with a number appended when another organization has it."""
    limit = Organization._meta.get_field("slug").max_length or 200
    base = slugify(name)[: limit - 4].strip("-") or "organization"
    taken = Organization.objects.all()
    if exclude_pk is not None:
        taken = taken.exclude(pk=exclude_pk)
    slug, n = base, 2
    while taken.filter(slug=slug).exists():
        slug = f"{base}-{n}"
        n += 1
    return slug


def _check_organization_country(
    user: User | None, country: Country | None, *, verb: str = "add"
) -> None:
    """Editors and the system write any organization; a focal point its countries' ones."""
    if user is None or user.is_editor:
        return
    own = countries_of(user)
    if not own.exists():
        raise OrganizationNotAllowed(gettext("Only country focal points and editors may do this."))
    if country is None:
        if verb == "move":
            message = gettext(
                "Say which of your countries the organization is in; only editors move "
                "organizations without a country."
            )
        else:
            message = gettext(
                "Say which of your countries the organization is in; only editors add "
                "organizations without a country."
            )
        raise OrganizationError(message, field="country")
    if not own.filter(pk=country.pk).exists():
        if verb == "move":
            message = gettext(
                "You are not a focal point for %(country)s; you may move organizations "
                "of your own countries only."
            )
        else:
            message = gettext(
                "You are not a focal point for %(country)s; you may add organizations "
                "of your own countries only."
            )
        raise OrganizationError(message % {"country": country.name}, field="country")


def _check_parent(organization: Organization) -> None:
    """A body cannot be part of itself, directly or through its parents."""
    seen: set[int | None] = {organization.pk} if organization.pk else set()
    parent = organization.parent
    while parent is not None:
        if parent.pk in seen:
            raise OrganizationError(
                gettext("An organization cannot be part of itself or of one of its own units."),
                field="parent",
            )
        seen.add(parent.pk)
        parent = parent.parent


def _validate(organization: Organization) -> None:
    """The model's own rules, the admin's too: lengths, choices, unique name and slug."""
    try:
        organization.full_clean()
    except ValidationError as exc:
        errors = {name: [str(m) for m in messages] for name, messages in exc.message_dict.items()}
        field = next(iter(errors), "non_field_errors")
        first = errors[field][0] if errors else str(exc)
        if errors and field != "non_field_errors":
            # Translators: a field's name as the API spells it (e.g. "website") and what is
            # wrong with its value.
            first = gettext("%(field)s: %(message)s") % {"field": field, "message": first}
        raise OrganizationError(first, field=field, errors=errors) from None


@transaction.atomic
def create_organization(*, user: User | None, data: dict[str, Any]) -> Organization:
    """A new organization. `user` None is an operator's write (an import, a command).

    Editors add any organization; a focal point one of its countries (its only country
    when it leaves the country out). The slug comes from the name unless given.
    """
    data = dict(data)
    if user is not None and not user.is_editor and "country" not in data:
        own = list(countries_of(user)[:2])
        if len(own) == 1:
            data["country"] = own[0]
    _check_organization_country(user, data.get("country"))
    organization = Organization(**{n: data[n] for n in ORGANIZATION_FIELDS if n in data})
    if not organization.slug:
        organization.slug = unique_organization_slug(organization.name)
    _check_parent(organization)
    _validate(organization)
    organization._history_user = user  # type: ignore[attr-defined]
    organization._change_reason = "Created"  # type: ignore[attr-defined]
    organization.save()
    _record(ORGANIZATION_CREATED, by=user, target=organization)
    return organization


@transaction.atomic
def update_organization(
    *,
    organization: Organization,
    user: User | None,
    data: dict[str, Any],
    expected_updated_at: datetime.datetime | None = None,
) -> Organization:
    """Change an organization's fields; with `expected_updated_at`, only if nobody saved it
    since that version was read. A focal point changes its countries' organizations and
    cannot move one to a country that is not its own."""
    organization = Organization.objects.select_for_update().get(pk=organization.pk)
    if user is not None and not user.is_editor:
        if not countries_of(user).exists():
            raise OrganizationNotAllowed(
                gettext("Only country focal points and editors may do this.")
            )
        if (
            organization.country_id is None
            or not countries_of(user).filter(pk=organization.country_id).exists()
        ):
            raise OrganizationNotAllowed(
                gettext(
                    "Only editors and the focal points of its country may change this organization."
                )
            )
    if expected_updated_at is not None and organization.updated_at != expected_updated_at:
        raise OrganizationChanged(
            gettext(
                "Someone saved this organization after you read it. Read it again and apply "
                "your changes to it."
            )
        )
    changed = [n for n in ORGANIZATION_FIELDS if n in data and getattr(organization, n) != data[n]]
    if not changed:
        return organization
    if "country" in changed:
        _check_organization_country(user, data["country"], verb="move")
    for name in changed:
        setattr(organization, name, data[name])
    if not organization.slug:
        organization.slug = unique_organization_slug(organization.name, exclude_pk=organization.pk)
    _check_parent(organization)
    _validate(organization)
    organization._history_user = user  # type: ignore[attr-defined]
    organization._change_reason = "Edited: " + ", ".join(changed)  # type: ignore[attr-defined]
    organization.save()
    _record(ORGANIZATION_CHANGED, by=user, target=organization, detail=", ".join(changed))
    return organization
