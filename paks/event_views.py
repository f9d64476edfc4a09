"""An event's public pages: the event with its programme and what was presented there, its
printable programme, its proceedings (page and PDF) and its calendar file.

They read contributions, cases and documents, so they live in the portal, above the events
app; their addresses stay in the "events" namespace (paks.event_urls). Every page starts
from public events and published contributions: a draft never shows, and a non-public event
answers 404.
"""

from __future__ import annotations

import datetime
from typing import Any

import icalendar
from django.db.models import Prefetch, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_safe
from django.views.generic import DetailView

from core.lists import first, window
from countries.names import sort_key
from events import feeds
from events.models import Event, EventOrganizer, EventTranslation
from events.translations import show_events, shown_of
from events.views import event_json_ld
from paks.models import CaseStudy, Document
from paks.programme import (
    DOCUMENTS_LIMIT,
    OUTPUT_KINDS,
    Programme,
    ProgrammeSession,
    countries_represented,
    event_documents,
    grouped,
    participating_countries,
    programme_of,
)
from paks.translations import show_cases
from paks.views import translation_context


def public_events() -> QuerySet[Event]:
    return Event.objects.public().select_related("country", "part_of")


def _with_organizers(events: QuerySet[Event]) -> QuerySet[Event]:
    # In role order (EventOrganizer.Meta.ordering): organizer first, supporter last.
    return events.prefetch_related(
        Prefetch("organizer_roles", queryset=EventOrganizer.objects.select_related("organization"))
    )


def _public_parent(event: Event) -> Event | None:
    return event.part_of if event.part_of and event.part_of.is_public else None


class EventDetailView(DetailView):
    template_name = "events/event_detail.html"
    context_object_name = "event"

    def get_queryset(self) -> QuerySet[Event]:
        translations = Prefetch(
            "translations",
            queryset=EventTranslation.objects.select_related("translated_by").order_by("language"),
        )
        return _with_organizers(public_events()).prefetch_related("themes", "sdgs", translations)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        event: Event = self.object
        context.update(translation_context(event, event.language, self.request))
        parent = _public_parent(event)
        context["programme"] = programme_of(event)
        cases, context["more_cases"] = first(
            event.cases.published()
            .select_related("country", "organization")
            .order_by("-published_at", "-pk")
        )
        # Their titles, and those of the cases the programme's presentations present, in the
        # page's language where a translation is published.
        show_cases([*cases, *_presented_cases(context["programme"])])
        context["cases"] = cases
        documents = window(self.request, event_documents(event), param="documents")
        context["documents"] = documents
        context["document_groups"] = grouped(documents.rows)
        participations = window(
            self.request,
            event.participations.select_related("country").order_by("country__name", "pk"),
            param="countries",
            n=100,
        )
        context["participations"] = participations
        context["participating"] = participating_countries(participations)
        # The family of events it belongs to, in one query: its side events, and when it was
        # held on the occasion of a public event, that event's other side events.
        family = window(
            self.request,
            Event.objects.public()
            .filter((Q(part_of=event) | Q(part_of=parent)) if parent else Q(part_of=event))
            .select_related("country")  # each event's line names its country
            .order_by("start", "pk"),
            param="side",
        )
        show_events([*family.rows, parent] if parent else family.rows)
        side_events = [e for e in family.rows if e.part_of_id == event.pk]
        context["family"] = family
        context["side_events"] = side_events
        context["siblings"] = [e for e in family.rows if e.part_of_id != event.pk]
        context["part_of_public"] = parent
        context["json_ld"] = event_json_ld(
            event,
            absolute=self.request.build_absolute_uri,
            side_events=side_events,
            translation=context["translation"],
        )
        return context


class ProgrammeView(DetailView):
    """The timetable, a table per day, to print or to keep open during the event."""

    template_name = "events/programme.html"
    context_object_name = "event"

    def get_queryset(self) -> QuerySet[Event]:
        return public_events()

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["programme"] = programme_of(self.object, with_documents=False)
        return context


def proceedings_context(event: Event) -> dict[str, Any]:
    """What the proceedings gather, for the page and the PDF alike."""
    programme = programme_of(event)
    documents = list(event_documents(event)[:DOCUMENTS_LIMIT])
    outputs = [d for d in documents if d.kind in OUTPUT_KINDS]
    # In the order of the countries' names in the page's language, their cases' titles in it.
    countries = sorted(
        countries_represented(event, programme.contributions),
        key=lambda row: sort_key(row.country.local_name),
    )
    show_cases([*(case for row in countries for case in row.cases), *_presented_cases(programme)])
    return {
        "event": event,
        "part_of_public": _public_parent(event),
        "programme": programme,
        "countries": countries,
        "output_groups": grouped(outputs),
        "document_groups": grouped(d for d in documents if d.kind not in OUTPUT_KINDS),
    }


class ProceedingsView(DetailView):
    """One page gathering what the event was for, what was presented, by whom, and what it
    produced: printable as a document (a page per day of the programme)."""

    template_name = "events/proceedings.html"
    context_object_name = "event"

    def get_queryset(self) -> QuerySet[Event]:
        return _with_organizers(public_events())

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(proceedings_context(self.object))
        return context


@require_safe
def proceedings_pdf(request: HttpRequest, slug: str) -> HttpResponse:
    """The proceedings as a PDF, made on the first request after any change and then kept."""
    # WeasyPrint (and Pango under it) loads in seconds: only a process that makes a PDF does.
    from paks import proceedings

    event = get_object_or_404(_with_organizers(public_events()), slug=slug)
    context = proceedings_context(event)
    context["page_url"] = request.build_absolute_uri(
        reverse("events:proceedings", args=[event.slug])
    )
    pdf = proceedings.pdf(request, context, documents=_documents_in(context))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{event.slug}-proceedings.pdf"'
    return response


def _presented_cases(programme: Programme) -> list[CaseStudy]:
    return [c.case for c in programme.contributions if c.case is not None]


def _documents_in(context: dict[str, Any]) -> list[Document]:
    """Every document the proceedings list: their contributions' and the event's own."""
    programme: Programme = context["programme"]
    listed = [d for c in programme.contributions for d in c.documents.all()]
    for group in (*context["output_groups"], *context["document_groups"]):
        listed += group.documents
    return listed


# --- Calendar ------------------------------------------------------------------------------


@require_safe
def event_ical(request: HttpRequest, slug: str) -> HttpResponse:
    """The event, then each session of its programme as an event of its own."""
    event = get_object_or_404(public_events(), slug=slug)
    show_events([event])
    calendar = feeds.new_calendar(shown_of(event).title)
    stamp = timezone.now()
    calendar.add_component(feeds.event_component(event, request=request, stamp=stamp))
    programme = programme_of(event, with_documents=False)
    for day in programme.days:
        for entry in day.sessions:
            calendar.add_component(_session_component(entry, event, request=request, stamp=stamp))
    return feeds.ics_response(feeds.calendar_bytes(calendar), f"{event.slug}.ics")


def _session_component(
    entry: ProgrammeSession, event: Event, *, request: HttpRequest, stamp: datetime.datetime
) -> icalendar.Event:
    session = entry.session
    vevent = icalendar.Event()
    vevent.add("uid", f"session-{session.pk}@{request.get_host()}")
    vevent.add("dtstamp", stamp)
    if entry.whole_day:  # dates, DTEND the day after the last (exclusive)
        vevent.add("dtstart", entry.first_day)
        vevent.add("dtend", entry.last_day + datetime.timedelta(days=1))
    else:  # in the event's zone (TZID), as the programme gives them
        vevent.add("dtstart", session.local_start)
        vevent.add("dtend", session.local_end)
    vevent.add("summary", session.title)
    vevent.add("related-to", feeds.event_uid(event, request=request))
    vevent.add(
        "url", request.build_absolute_uri(f"{event.get_absolute_url()}#session-{session.pk}")
    )
    location = ", ".join(part for part in (session.place, event.location) if part)
    if location:
        vevent.add("location", location)
    vevent.add("description", _session_description(entry))
    return vevent


def _session_description(entry: ProgrammeSession) -> str:
    """The session's kind, chairs, description and published contributions, as plain text."""
    session = entry.session
    lines = [session.get_kind_display()]
    chairs = [_name_with(person.name, person.affiliation) for person in session.chairs.all()]
    if chairs:
        lines.append(
            ngettext("Chair: %(names)s", "Chairs: %(names)s", len(chairs))
            % {"names": "; ".join(chairs)}
        )
    if session.description:
        lines += ["", session.description]
    if entry.contributions:
        # Translators: in a calendar file, before the list of a session's presentations.
        lines += ["", _("Presentations:")]
    for contribution in entry.contributions:
        speakers = [
            _name_with(role.person.name, role.person.affiliation)
            for role in contribution.speaker_roles.all()
        ]
        country = f" [{contribution.country.name}]" if contribution.country else ""
        line = f"- {contribution.title}{country}"
        lines.append(line + (f" — {'; '.join(speakers)}" if speakers else ""))
    return "\n".join(lines)


def _name_with(name: str, affiliation: str) -> str:
    return f"{name} ({affiliation})" if affiliation else name
