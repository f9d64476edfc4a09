"""Writes to an event's contributions and the people who give them.

A country's focal point adds its country's contributions to an event the country took
part in (or hosted), changes them while they are drafts or returned, and submits them;
editors add any, and publish or return what was submitted. Every surface (admin,
workspace, API, demo loader) calls these.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts import audit
from accounts.models import User
from countries.models import Country, Organization, countries_of
from events.models import Event, Person, Session
from paks import roles
from paks.models import CaseStudy, Contribution, ContributionSpeaker
from paks.services import InvalidTransition, NotAllowed, Refused, StaleVersion

# The fields a contributor writes; status, version and dates are the services' own.
CONTRIBUTION_FIELDS = ("title", "kind", "abstract", "session", "case", "position")


def _country_of_new(user: User, event: Event, requested: Country | None) -> Country | None:
    """The country a new contribution speaks for: a focal point's own (said, or the only
    one), never another's."""
    if roles.is_editor(user):
        return requested
    own = list(countries_of(user).order_by("name"))
    if not own:
        raise NotAllowed(_("Only country focal points and editors may add contributions."))
    if requested is None:
        if len(own) > 1:
            raise Refused(
                _("Say which of your countries this contribution is for."), field="country"
            )
        requested = own[0]
    if requested not in own:
        raise Refused(
            _("You are not a focal point of %(country)s: add contributions of your own country.")
            % {"country": requested.name},
            field="country",
        )
    if requested.pk not in roles.countries_at(event):
        raise Refused(
            _(
                "%(country)s did not take part in “%(event)s”; ask an editor to add "
                "the country to the event first."
            )
            % {"country": requested.name, "event": event.title},
            field="country",
        )
    return requested


def _check_values(
    user: User, event: Event, country: Country | None, data: Mapping[str, Any]
) -> None:
    """The session must be of this event; the case of this country and visible to the person."""
    session = data.get("session")
    if session is not None and session.event_id != event.pk:
        raise Refused(_("This session is not part of the event's programme."), field="session")
    case = data.get("case")
    if case is not None:
        if not CaseStudy.objects.visible_to(user).filter(pk=case.pk).exists():
            raise Refused(_("There is no such case."), field="case")
        if country is not None and case.country_id != country.pk:
            raise Refused(
                _("The case is about %(case_country)s, not %(country)s.")
                % {"case_country": case.country.name, "country": country.name},
                field="case",
            )
    if "title" in data and not str(data["title"]).strip():
        raise Refused(_("Give the contribution a title."), field="title")


def _set_speakers(contribution: Contribution, speakers: Sequence[Person]) -> None:
    ContributionSpeaker.objects.filter(contribution=contribution).delete()
    ContributionSpeaker.objects.bulk_create(
        ContributionSpeaker(contribution=contribution, person=person, position=n)
        for n, person in enumerate(dict.fromkeys(speakers))
    )


def _record(contribution: Contribution, user: User, reason: str) -> None:
    contribution._history_user = user  # type: ignore[attr-defined]
    contribution._change_reason = reason  # type: ignore[attr-defined]


@transaction.atomic
def create_contribution(
    *,
    user: User,
    event: Event,
    data: Mapping[str, Any],
    country: Country | None = None,
    speakers: Sequence[Person] = (),
) -> Contribution:
    """A new draft contribution to the event (published at once when an editor says so
    with `data["publish"]`)."""
    country = _country_of_new(user, event, country)
    if not roles.may_contribute(user, event, country):
        raise NotAllowed(
            _("Only the country's focal points and editors may add this contribution.")
        )
    _check_values(user, event, country, {"title": "", **data})
    contribution = Contribution(
        event=event,
        country=country,
        created_by=user,
        **{name: data[name] for name in CONTRIBUTION_FIELDS if name in data},
    )
    _record(contribution, user, "Created")
    contribution.save()
    _set_speakers(contribution, speakers)
    audit.record(audit.Action.CONTRIBUTION_CREATED, actor=user, target=contribution)
    if data.get("publish"):
        if not roles.may_review(user):
            raise NotAllowed(_("Only editors may publish contributions."))
        contribution.status = Contribution.Status.PUBLISHED
        contribution.published_at = timezone.now()
        contribution.save(update_fields=["status", "published_at", "updated_at"])
    return contribution


def _locked(contribution: Contribution) -> Contribution:
    return Contribution.objects.select_for_update().select_related("event").get(pk=contribution.pk)


def _check_version(contribution: Contribution, expected: int | None) -> None:
    if expected is not None and contribution.version != expected:
        raise StaleVersion(
            _(
                "Someone saved this contribution after you opened it (your copy is version "
                "%(expected)s, the saved one is version %(version)s). Open it again "
                "to see their changes, then make yours."
            )
            % {"expected": expected, "version": contribution.version},
            current=contribution,  # type: ignore[arg-type]
        )


@transaction.atomic
def update_contribution(
    *,
    contribution: Contribution,
    user: User,
    data: Mapping[str, Any],
    expected_version: int | None,
    speakers: Sequence[Person] | None = None,
) -> Contribution:
    """Change the fields given, if nobody else changed the contribution since it was read."""
    contribution = _locked(contribution)
    if not roles.may_edit_contribution(user, contribution):
        if roles.works_on_contribution(user, contribution):
            raise InvalidTransition(
                # Translators: %(status)s is the contribution's status in lower case.
                _("A contribution that is %(status)s cannot be changed.")
                % {"status": contribution.get_status_display().lower()}
            )
        raise NotAllowed(_("Only the country's focal points and editors may change it."))
    _check_version(contribution, expected_version)
    _check_values(user, contribution.event, contribution.country, data)
    for name in CONTRIBUTION_FIELDS:
        if name in data:
            setattr(contribution, name, data[name])
    contribution.version += 1
    _record(contribution, user, "Edited")
    contribution.save()
    if speakers is not None:
        _set_speakers(contribution, speakers)
    audit.record(audit.Action.CONTRIBUTION_EDITED, actor=user, target=contribution)
    return contribution


# What a transition from the wrong status answers, by the transition's verb.
CANNOT = {
    # Translators: %(status)s is the contribution's status in lower case, e.g. "published".
    "submit": gettext_lazy("Cannot submit a contribution that is %(status)s."),
    "publish": gettext_lazy("Cannot publish a contribution that is %(status)s."),
    "return": gettext_lazy("Cannot return a contribution that is %(status)s."),
    "withdraw": gettext_lazy("Cannot withdraw a contribution that is %(status)s."),
}


def _transition(
    contribution: Contribution,
    *,
    user: User,
    allowed_from: tuple[str, ...],
    to: str,
    verb: str,
    **stamps: object,
) -> Contribution:
    if contribution.status not in allowed_from:
        raise InvalidTransition(
            CANNOT[verb] % {"status": contribution.get_status_display().lower()}
        )
    contribution.status = to
    for name, value in stamps.items():
        setattr(contribution, name, value)
    contribution.version += 1
    _record(contribution, user, verb.capitalize())
    contribution.save(update_fields=["status", "version", "updated_at", *stamps])
    return contribution


@transaction.atomic
def submit_contribution(*, contribution: Contribution, user: User) -> Contribution:
    """A focal point (or an editor) sends a draft or returned contribution for review."""
    contribution = _locked(contribution)
    if not roles.works_on_contribution(user, contribution):
        raise NotAllowed(_("Only the country's focal points and editors may submit it."))
    contribution = _transition(
        contribution,
        user=user,
        allowed_from=Contribution.EDITABLE_STATUSES,
        to=Contribution.Status.SUBMITTED,
        verb="submit",
        submitted_at=timezone.now(),
    )
    audit.record(audit.Action.CONTRIBUTION_SUBMITTED, actor=user, target=contribution)
    return contribution


@transaction.atomic
def publish_contribution(*, contribution: Contribution, editor: User) -> Contribution:
    """Only editors publish, and only what was submitted (or an editor's own draft)."""
    if not roles.may_review(editor):
        raise NotAllowed(_("Only editors may publish contributions."))
    contribution = _locked(contribution)
    contribution = _transition(
        contribution,
        user=editor,
        allowed_from=(Contribution.Status.SUBMITTED, Contribution.Status.DRAFT),
        to=Contribution.Status.PUBLISHED,
        verb="publish",
        published_at=timezone.now(),
    )
    audit.record(audit.Action.CONTRIBUTION_PUBLISHED, actor=editor, target=contribution)
    return contribution


@transaction.atomic
def return_contribution(*, contribution: Contribution, editor: User, comment: str) -> Contribution:
    """Send a submitted contribution back to its country, saying what to change."""
    if not roles.may_review(editor):
        raise NotAllowed(_("Only editors may return contributions."))
    if not comment.strip():
        raise Refused(_("Say what should change: the comment is required."), field="comment")
    contribution = _locked(contribution)
    contribution = _transition(
        contribution,
        user=editor,
        allowed_from=(Contribution.Status.SUBMITTED,),
        to=Contribution.Status.CHANGES_REQUESTED,
        verb="return",
    )
    audit.record(
        audit.Action.CONTRIBUTION_RETURNED,
        actor=editor,
        target=contribution,
        detail=comment.strip(),
    )
    return contribution


@transaction.atomic
def withdraw_contribution(*, contribution: Contribution, editor: User) -> Contribution:
    """Take a published contribution off the public pages; it stays in the records."""
    if not roles.may_review(editor):
        raise NotAllowed(_("Only editors may withdraw contributions."))
    contribution = _locked(contribution)
    contribution = _transition(
        contribution,
        user=editor,
        allowed_from=(Contribution.Status.PUBLISHED,),
        to=Contribution.Status.ARCHIVED,
        verb="withdraw",
    )
    audit.record(audit.Action.CONTRIBUTION_WITHDRAWN, actor=editor, target=contribution)
    return contribution


@transaction.atomic
def delete_contribution(
    *, contribution: Contribution, user: User, expected_version: int | None = None
) -> None:
    """A draft goes with its documents (their files once the deletion commits); editors may
    delete any contribution."""
    from paks.services import _delete_files_on_commit

    contribution = _locked(contribution)
    if not roles.works_on_contribution(user, contribution):
        raise NotAllowed(
            _("Only drafts may be deleted, by their country's focal points or editors.")
        )
    if not roles.is_editor(user) and contribution.status != Contribution.Status.DRAFT:
        raise InvalidTransition(
            # Translators: %(status)s is the contribution's status in lower case.
            _("A contribution that is %(status)s cannot be deleted; only drafts can.")
            % {"status": contribution.get_status_display().lower()}
        )
    _check_version(contribution, expected_version)
    _delete_files_on_commit(list(contribution.documents.all()))
    audit.record(audit.Action.CONTRIBUTION_DELETED, actor=user, target=contribution)
    contribution.delete()


def unique_person_slug(name: str) -> str:
    base = slugify(name)[:90].strip("-") or "person"
    slug, n = base, 2
    while Person.objects.filter(slug=slug).exists():
        slug = f"{base}-{n}"
        n += 1
    return slug


@transaction.atomic
def person_named(
    *,
    name: str,
    position: str = "",
    organization: Organization | None = None,
    country: Country | None = None,
) -> Person:
    """The person of this name (and country, where given) already recorded, or a new one:
    a speaker is recorded once however many events they speak at."""
    name = " ".join(name.split())
    if not name:
        raise Refused(_("Give the speaker's name."), field="speakers")
    same = Person.objects.filter(name__iexact=name)
    if country is not None:
        same = same.filter(Q(country=country) | Q(country__isnull=True))
    person = same.order_by("pk").first()
    if person is None:
        return Person.objects.create(
            name=name[:300],
            slug=unique_person_slug(name),
            position=position[:300],
            organization=organization,
            country=country,
        )
    changed = False
    for attribute, value in (
        ("position", position),
        ("organization", organization),
        ("country", country),
    ):
        if value and not getattr(person, attribute):
            setattr(person, attribute, value)
            changed = True
    if changed:
        person.save()
    return person


@transaction.atomic
def merge_people(*, keep: Person, duplicates: Sequence[Person], editor: User) -> Person:
    """Editors merge records of one person: their talks and chairs move to `keep`."""
    if not roles.is_editor(editor):
        raise NotAllowed(_("Only editors may merge people."))
    others = [p for p in duplicates if p.pk != keep.pk]
    if others:
        names = ", ".join(f"{p.name} (#{p.pk})" for p in others)
        audit.record(audit.Action.PEOPLE_MERGED, actor=editor, target=keep, detail=names)
    for other in others:
        for role in ContributionSpeaker.objects.filter(person=other):
            if ContributionSpeaker.objects.filter(
                contribution_id=role.contribution_id, person=keep
            ).exists():
                role.delete()
            else:
                role.person = keep
                role.save(update_fields=["person"])
        for session in Session.objects.filter(chairs=other):
            session.chairs.remove(other)
            session.chairs.add(keep)
        for attribute in ("position", "organization", "country"):
            if not getattr(keep, attribute) and getattr(other, attribute):
                setattr(keep, attribute, getattr(other, attribute))
        other.delete()
    keep.save()
    return keep
