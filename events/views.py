"""Public event pages: upcoming and past lists with filters, and the JSON-LD of an event.

An event's own page shows what was presented there, so it lives in the portal
(paks.event_views), above the cases and contributions it reads."""

from collections.abc import Callable, Iterable
from typing import Any

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.views.generic import ListView

from events.filters import EventFilter
from events.models import Event, EventOrganizer, EventTranslation
from events.translations import show_events, shown_of

Role = EventOrganizer.Role


class EventListView(ListView):
    """Upcoming or past events, filtered; without a choice, upcoming when there are any."""

    template_name = "events/event_list.html"
    context_object_name = "events"
    paginate_by = 20
    when: str  # "upcoming" or "past"
    upcoming_count: int
    past_count: int

    def get_queryset(self) -> QuerySet[Event]:
        events = Event.objects.public().select_related("country")
        self.filterset = EventFilter(self.request.GET or None, queryset=events)
        matching = self.filterset.qs if self.filterset.is_bound else events
        # Both tabs' counts in one query; the active tab's is also the paginator's count.
        self.upcoming_count, self.past_count = matching.upcoming_and_past_counts()
        self.when = self._when()
        return matching.past() if self.when == "past" else matching.upcoming()

    def _when(self) -> str:
        asked = self.request.GET.get("when")
        if asked in ("upcoming", "past"):
            return asked
        return "upcoming" if self.upcoming_count or not self.past_count else "past"

    def get_paginator(
        self,
        queryset: Any,
        per_page: int,
        orphans: int = 0,
        allow_empty_first_page: bool = True,
        **kwargs: Any,
    ) -> Paginator:
        paginator = super().get_paginator(
            queryset, per_page, orphans, allow_empty_first_page, **kwargs
        )
        # Known from the tabs' counts: the paginator need not count again.
        paginator.count = self.past_count if self.when == "past" else self.upcoming_count
        return paginator

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["filter"] = self.filterset
        context["events"] = show_events(context["events"])
        context["when"] = self.when
        context["upcoming_count"] = self.upcoming_count
        context["past_count"] = self.past_count
        return context


ATTENDANCE_MODES: dict[str, str] = {
    Event.Mode.IN_PERSON: "https://schema.org/OfflineEventAttendanceMode",
    Event.Mode.ONLINE: "https://schema.org/OnlineEventAttendanceMode",
    Event.Mode.HYBRID: "https://schema.org/MixedEventAttendanceMode",
}
# schema.org says who ran an event (organizer) apart from who paid for or backed it (sponsor).
ORGANIZING_ROLES: set[str] = {Role.ORGANIZER, Role.CO_ORGANIZER, Role.HOST}
SPONSORING_ROLES: set[str] = {Role.SPONSOR, Role.SUPPORTER}


def event_json_ld(
    event: Event,
    *,
    absolute: Callable[[str], str],
    side_events: Iterable[Event] = (),
    translation: EventTranslation | None = None,
) -> dict[str, Any]:
    """schema.org Event, so search engines show its dates, place and organizers; its name and
    description those the page shows (the `translation` when it shows one). An Event is no
    CreativeWork: it has no translationOfWork, and its inLanguage would be the language
    spoken there, not that of its description.

    `absolute` makes a path a full address (the request's build_absolute_uri)."""
    shown = translation or event
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": shown.title,
        "url": absolute(event.get_absolute_url()),
        **_json_ld_dates(event),
        "eventAttendanceMode": ATTENDANCE_MODES.get(event.mode, ATTENDANCE_MODES["in_person"]),
        # The model records no cancellations or postponements: an event is as scheduled.
        "eventStatus": "https://schema.org/EventScheduled",
        "location": _json_ld_location(event, absolute),
    }
    if shown.summary:
        data["description"] = shown.summary
    roles = list(event.organizer_roles.all())
    for key, kinds in (("organizer", ORGANIZING_ROLES), ("sponsor", SPONSORING_ROLES)):
        bodies = _organizations(roles, kinds, absolute)
        if bodies:
            data[key] = bodies
    if event.part_of and event.part_of.is_public:
        data["superEvent"] = _event_ref(event.part_of, absolute)
    subs = [_event_ref(side, absolute) for side in side_events]
    if subs:
        data["subEvent"] = subs
    return data


def _json_ld_dates(event: Event) -> dict[str, str]:
    """Dates alone for an event known by its dates (endDate its last day), else local times."""
    if event.all_day:
        return {"startDate": event.first_day.isoformat(), "endDate": event.last_day.isoformat()}
    return {"startDate": event.local_start.isoformat(), "endDate": event.local_end.isoformat()}


def _json_ld_location(event: Event, absolute: Callable[[str], str]) -> Any:
    """A Place for where people meet, a VirtualLocation for online; both for hybrid."""
    online = {
        "@type": "VirtualLocation",
        "url": event.website or absolute(event.get_absolute_url()),
    }
    if event.mode == Event.Mode.ONLINE:
        return online
    place: dict[str, Any] = {"@type": "Place"}
    if event.place_parts:
        place["name"] = event.venue or event.city or event.place_parts[0]
    address = {
        "@type": "PostalAddress",
        "addressLocality": event.city,
        "addressCountry": event.country.iso2 if event.country else "",
    }
    if event.city or event.country:
        place["address"] = {key: value for key, value in address.items() if value}
    return [place, online] if event.mode == Event.Mode.HYBRID else place


def _organizations(
    roles: list[EventOrganizer], kinds: set[str], absolute: Callable[[str], str]
) -> list[dict[str, str]]:
    """Each organization once, in role order, that holds one of `kinds` of role."""
    seen: dict[int, dict[str, str]] = {}
    for role in roles:
        if role.role in kinds and role.organization_id not in seen:
            org = role.organization
            seen[org.pk] = {
                "@type": "Organization",
                "name": org.name,
                "url": absolute(org.get_absolute_url()),
            }
    return list(seen.values())


def _event_ref(event: Event, absolute: Callable[[str], str]) -> dict[str, str]:
    # Its title in the page's language where the page found a translation (show_events).
    return {
        "@type": "Event",
        "name": shown_of(event).title,
        "url": absolute(event.get_absolute_url()),
    }
