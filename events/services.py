"""Writes about events and the countries taking part: imports and commands call these.

(The admin's event form writes through its inlines; contributions are `paks.contributions`.)
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext

from accounts import audit
from accounts.models import User
from countries.models import Country, Organization
from events.models import Event, EventOrganizer, EventTranslation, Participation

EVENT_CREATED = audit.Action.EVENT_CREATED
EVENT_CHANGED = audit.Action.EVENT_CHANGED
PARTICIPATION_SET = audit.Action.PARTICIPATION_SET

# What a write may set of an event; its sessions and contributions have their own writes.
EVENT_FIELDS = (
    "title",
    "slug",
    "kind",
    "start",
    "end",
    "all_day",
    "timezone",
    "mode",
    "venue",
    "city",
    "country",
    "summary",
    "language",
    "objectives",
    "outputs",
    "languages",
    "expected_participants",
    "actual_participants",
    "part_of",
    "website",
    "is_public",
)


class EventError(Exception):
    """An event write that cannot happen; the message says why."""


def _check_editor(user: User | None) -> None:
    # None is an operator's write (a command run on the server).
    if user is not None and not user.is_editor:
        raise EventError(gettext("Only editors may add or change events."))


def unique_event_slug(title: str, *, exclude_pk: int | None = None) -> str:
    base = slugify(title)[:190].strip("-") or "event"
    taken = Event.objects.exclude(pk=exclude_pk) if exclude_pk else Event.objects.all()
    slug, n = base, 2
    while taken.filter(slug=slug).exists():
        slug = f"{base}-{n}"
        n += 1
    return slug


def _set_relations(event: Event, data: Mapping[str, Any]) -> None:
    organizers: Iterable[Organization] | None = data.get("organizers")
    if data.get("themes") is not None:
        event.themes.set(data["themes"])
    if data.get("sdgs") is not None:
        event.sdgs.set(data["sdgs"])
    if organizers is not None:
        # The sheet names the organizers; co-organizers, hosts and sponsors stay as they are.
        event.organizer_roles.filter(role=EventOrganizer.Role.ORGANIZER).delete()
        EventOrganizer.objects.bulk_create(
            EventOrganizer(event=event, organization=o, role=EventOrganizer.Role.ORGANIZER)
            for o in dict.fromkeys(organizers)
        )


@transaction.atomic
def save_event(*, user: User | None, data: Mapping[str, Any], event: Event | None = None) -> Event:
    """Create an event, or change `event`; `themes`, `sdgs` and `organizers` in `data`
    replace the event's."""
    _check_editor(user)
    created = event is None
    event = Event() if event is None else Event.objects.select_for_update().get(pk=event.pk)
    for name in EVENT_FIELDS:
        if name in data:
            setattr(event, name, data[name])
    if not event.slug:
        event.slug = unique_event_slug(event.title, exclude_pk=event.pk)
    event.full_clean()
    if not created and event.translations.filter(language=event.language).exists():
        raise EventError(
            # Translators: %(language)s is a language's name, e.g. "French".
            gettext(
                "The event has a translation into %(language)s: remove it before saying the "
                "event is written in %(language)s."
            )
            % {"language": dict(settings.LANGUAGES)[event.language]}
        )
    event._history_user = user  # type: ignore[attr-defined]
    event._change_reason = "Created" if created else "Edited"  # type: ignore[attr-defined]
    event.save()
    _set_relations(event, data)
    audit.record(EVENT_CREATED if created else EVENT_CHANGED, actor=user, target=event)
    return event


@transaction.atomic
def set_participation(
    *, user: User | None, event: Event, country: Country, participants: int | None
) -> tuple[Participation, bool]:
    """Record that a country takes part in an event (with how many people, when known);
    returns the row and whether it is new."""
    _check_editor(user)
    participation, created = Participation.objects.select_for_update().get_or_create(
        event=event, country=country, defaults={"participants": participants}
    )
    if not created and participation.participants != participants:
        participation.participants = participants
        participation.full_clean()
        participation.save(update_fields=["participants"])
    audit.record(PARTICIPATION_SET, actor=user, target=participation, detail=f"{participants}")
    return participation, created


# What a translation of an event gives in another language; the rest of the event is shared.
EVENT_TRANSLATION_FIELDS = ("title", "summary")


def check_translation_language(*, event_language: str, language: str) -> None:
    """A translation is into one of the portal's languages other than the event's own (the
    admin's form checks the language it is given before the event is saved)."""
    if language not in dict(settings.LANGUAGES):
        raise EventError(
            # Translators: %(language)s is a language code, e.g. "de".
            gettext("“%(language)s” is not one of the portal's languages.") % {"language": language}
        )
    if language == event_language:
        raise EventError(
            # Translators: %(language)s is a language's name, e.g. "French".
            gettext("The event is written in %(language)s: translate it into another language.")
            % {"language": dict(settings.LANGUAGES)[language]}
        )


@transaction.atomic
def save_event_translation(
    *, event: Event, language: str, data: Mapping[str, Any], user: User | None
) -> EventTranslation:
    """Create or change the event's title and summary in `language`, another language than
    the one the event is written in (`event.language`). Editors only; public once saved."""
    _check_editor(user)
    event = Event.objects.select_for_update().get(pk=event.pk)
    check_translation_language(event_language=event.language, language=language)
    translation = EventTranslation.objects.filter(event=event, language=language).first()
    created = translation is None
    if translation is None:
        translation = EventTranslation(event=event, language=language, translated_by=user)
    for name in EVENT_TRANSLATION_FIELDS:
        if name in data:
            setattr(translation, name, data[name])
    translation.full_clean(exclude=["event"])
    translation._history_user = user  # type: ignore[attr-defined]
    translation._change_reason = "Created" if created else "Edited"  # type: ignore[attr-defined]
    translation.save()
    audit.record(EVENT_CHANGED, actor=user, target=event, detail=f"translation {language}")
    return translation


@transaction.atomic
def delete_event_translation(*, translation: EventTranslation, user: User | None) -> None:
    """Remove an event's translation; the page shows the event as written again."""
    _check_editor(user)
    translation._history_user = user  # type: ignore[attr-defined]
    audit.record(EVENT_CHANGED, actor=user, target=translation.event, detail="translation removed")
    translation.delete()
