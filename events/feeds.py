"""iCalendar (RFC 5545) for public events: one calendar of them all and one file per event."""

from collections.abc import Iterable

import icalendar
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone

from events.models import Event

PRODID = "-//Public Administration Knowledge Space//Events//EN"


def build_calendar(events: Iterable[Event], *, request: HttpRequest, name: str) -> bytes:
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    stamp = timezone.now()
    for event in events:
        vevent = icalendar.Event()
        vevent.add("uid", f"event-{event.pk}@{request.get_host()}")
        vevent.add("dtstamp", stamp)
        # Times in the event's own zone (TZID), so calendars show them as the organizers do.
        vevent.add("dtstart", event.local_start)
        vevent.add("dtend", event.local_end)
        vevent.add("summary", event.title)
        vevent.add("url", request.build_absolute_uri(event.get_absolute_url()))
        place = ", ".join(
            p for p in (event.venue, event.city, event.country and event.country.name) if p
        )
        if place:
            vevent.add("location", place)
        if event.summary:
            vevent.add("description", event.summary)
        vevent.add("last-modified", event.updated_at)
        calendar.add_component(vevent)
    calendar.add_missing_timezones()
    return calendar.to_ical()


def _ics(body: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def events_ical(request: HttpRequest) -> HttpResponse:
    events = Event.objects.public().select_related("country").order_by("start")
    body = build_calendar(events, request=request, name="PAKS events")
    return _ics(body, "paks-events.ics")


def event_ical(request: HttpRequest, slug: str) -> HttpResponse:
    event = get_object_or_404(Event.objects.public().select_related("country"), slug=slug)
    return _ics(build_calendar([event], request=request, name=event.title), f"{event.slug}.ics")
