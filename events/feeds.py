"""iCalendar (RFC 5545) for public events: a calendar of the events around now and one per
year. One event's file, with its programme, is built by the portal (paks.event_views)."""

import datetime
from collections.abc import Iterable

import icalendar
from django.conf import settings
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone

from events.models import Event
from events.translations import show_events, shown_of

PRODID = "-//Public Administration Knowledge Space//Events//EN"
# The subscribed calendar: events starting from a year ago to two years ahead; a whole year
# is at /events/calendar/<year>.ics. Either holds at most CALENDAR_LIMIT events.
CALENDAR_PAST = datetime.timedelta(days=365)
CALENDAR_AHEAD = datetime.timedelta(days=2 * 365)
CALENDAR_LIMIT = 500
YEARS = range(1900, 2101)


def new_calendar(name: str) -> icalendar.Calendar:
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    return calendar


def event_uid(event: Event, *, request: HttpRequest) -> str:
    return f"event-{event.pk}@{request.get_host()}"


def event_component(
    event: Event, *, request: HttpRequest, stamp: datetime.datetime
) -> icalendar.Event:
    """One event's VEVENT: its dates or local times, title, page, place and summary; the
    title and summary translated where `show_events` found a translation, with the LANGUAGE
    of the text shown (English, the calendar's own, see PRODID, goes unsaid)."""
    shown = shown_of(event)
    language = {"LANGUAGE": shown.language} if shown.language != settings.LANGUAGE_CODE else {}
    vevent = icalendar.Event()
    vevent.add("uid", event_uid(event, request=request))
    vevent.add("dtstamp", stamp)
    for name, value in _when(event).items():
        vevent.add(name, value)
    vevent.add("summary", shown.title, parameters=language)
    vevent.add("url", request.build_absolute_uri(event.get_absolute_url()))
    if event.location:
        vevent.add("location", event.location)
    if shown.summary:
        vevent.add("description", shown.summary, parameters=language)
    vevent.add("last-modified", event.updated_at)
    return vevent


def calendar_bytes(calendar: icalendar.Calendar) -> bytes:
    """The calendar as a file, with a VTIMEZONE for every zone its times name."""
    calendar.add_missing_timezones()
    return calendar.to_ical()


def build_calendar(events: Iterable[Event], *, request: HttpRequest, name: str) -> bytes:
    calendar = new_calendar(name)
    stamp = timezone.now()
    for event in show_events(events):
        calendar.add_component(event_component(event, request=request, stamp=stamp))
    return calendar_bytes(calendar)


def _when(event: Event) -> dict[str, datetime.date]:
    """DTSTART and DTEND: dates (VALUE=DATE) for an event known by its dates, DTEND the day
    after the last, as RFC 5545 makes it exclusive; else times in the event's own zone (TZID),
    so calendars show them as the organizers do."""
    if event.all_day:
        return {"dtstart": event.first_day, "dtend": event.last_day + datetime.timedelta(days=1)}
    return {"dtstart": event.local_start, "dtend": event.local_end}


def ics_response(body: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _calendar_events() -> QuerySet[Event]:
    return Event.objects.public().select_related("country").order_by("start", "pk")


def events_ical(request: HttpRequest) -> HttpResponse:
    """The calendar to subscribe to: past events stay a year, the next two years are in."""
    now = timezone.now()
    events = _calendar_events().filter(
        start__gte=now - CALENDAR_PAST, start__lt=now + CALENDAR_AHEAD
    )
    body = build_calendar(events[:CALENDAR_LIMIT], request=request, name="PAKS events")
    return ics_response(body, "paks-events.ics")


def events_ical_year(request: HttpRequest, year: int) -> HttpResponse:
    """Every public event starting in one year (in the site's time zone)."""
    if year not in YEARS:
        raise Http404("No calendar for that year.")
    events = _calendar_events().filter(start__year=year)
    body = build_calendar(events[:CALENDAR_LIMIT], request=request, name=f"PAKS events {year}")
    return ics_response(body, f"paks-events-{year}.ics")
