"""What a list shows of an event, or of a case: its title and summary in the page's language
when a translation into it is public, else the original, with the language of the text shown
(for `lang`), an event's original being in `event.language`. The event's pages read their
translations themselves (paks.views)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TypeVar

from django.conf import settings
from django.utils.translation import get_language

from events.models import Event, EventTranslation


@dataclass(frozen=True, slots=True)
class Shown:
    """The title and summary a list shows, and their language."""

    title: str
    summary: str
    language: str
    translated: bool = False  # a translation's, not the original's


E = TypeVar("E", bound=Event)


def page_language() -> str:
    return get_language() or settings.LANGUAGE_CODE


def show_events(events: Iterable[E]) -> list[E]:
    """The events, each with `shown`: its translation into the page's language, else its own
    title and summary (in `event.language`). One query; none when every event is written in
    the page's language (no translation into an event's own language exists)."""
    events = list(events)
    language = page_language()
    found: dict[int, tuple[str, str]] = {}
    others = [e.pk for e in events if e.language != language]
    if others:
        rows = EventTranslation.objects.filter(event_id__in=others, language=language).values_list(
            "event_id", "title", "summary"
        )
        found = {pk: (title, summary) for pk, title, summary in rows}
    for event in events:
        if event.pk in found:
            title, summary = found[event.pk]
            shown = Shown(title, summary, language, translated=True)
        else:
            shown = original(event)
        event.shown = shown  # type: ignore[attr-defined]
    return events


def original(event: Event) -> Shown:
    """The event's title and summary as written, in its own language."""
    return Shown(event.title, event.summary, event.language)


def shown_of(event: Event) -> Shown:
    """What `show_events` chose for the event, else its original."""
    shown: Shown | None = getattr(event, "shown", None)
    return shown or original(event)
