"""Writes about events and the countries taking part: imports and commands call these.

(The admin's event form writes through its inlines; contributions are `paks.contributions`.)
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext

from accounts import audit
from accounts.models import User
from countries.models import Country, Organization
from events.models import Event, EventOrganizer, Participation

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
