"""What happened at an event and what was presented there, as the public sees it: the
programme by day with its published contributions, the event's own documents by kind, the
participating countries with their public focal points, and the countries represented with
the published cases they presented. Read by the event page, its printable programme, its
proceedings (page and PDF) and its calendar file.

Only published contributions to public events, and public documents, are read here.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import groupby
from typing import TYPE_CHECKING

from django.db.models import Case, IntegerField, Prefetch, Q, QuerySet, Value, When
from django.utils.translation import gettext_lazy as _

from core.lists import Window
from countries.models import Country, FocalPoint
from events.models import Event, Participation, Person, Session
from paks.models import CaseStudy, Contribution, ContributionSpeaker, Document

if TYPE_CHECKING:
    from django.utils.functional import _StrPromise

# A programme longer than this is cut, and says so: every page and the PDF stay bounded.
SESSIONS_LIMIT = 300
CONTRIBUTIONS_LIMIT = 1000
# The proceedings list at most this many of the event's own documents and cases presented.
DOCUMENTS_LIMIT = 200
CASES_LIMIT = 500

# The event's own documents, in the order an event produces them, each kind under a heading.
DOCUMENT_GROUPS: dict[str, _StrPromise] = {
    Document.Kind.AIDE_MEMOIRE: _("Aide-mémoire"),
    Document.Kind.CONCEPT_NOTE: _("Concept notes"),
    Document.Kind.AGENDA: _("Agenda"),
    Document.Kind.PRESENTATION: _("Presentations"),
    Document.Kind.REPORT: _("Reports"),
    Document.Kind.PHOTO: _("Photos"),
    Document.Kind.VIDEO: _("Videos"),
    Document.Kind.OTHER: _("Other documents"),
}
DOCUMENT_KIND_RANK = Case(
    *(When(kind=kind, then=Value(rank)) for rank, kind in enumerate(DOCUMENT_GROUPS)),
    default=Value(len(DOCUMENT_GROUPS)),
    output_field=IntegerField(),
)
# The documents that record what an event produced, listed first in its proceedings.
OUTPUT_KINDS = (Document.Kind.REPORT,)


# --- The programme -------------------------------------------------------------------------


@dataclass(frozen=True)
class ProgrammeSession:
    session: Session
    contributions: list[Contribution]
    # A session of an event known by its dates, itself given without hours.
    whole_day: bool

    @property
    def first_day(self) -> datetime.date:
        return self.session.day

    @property
    def last_day(self) -> datetime.date:
        """As Event.last_day: an end at 00:00 of a later day closes the day before."""
        end = self.session.local_end
        if end.time() == datetime.time(0, 0) and end.date() > self.first_day:
            return end.date() - datetime.timedelta(days=1)
        return end.date()

    @property
    def ends_another_day(self) -> bool:
        return self.last_day != self.first_day


@dataclass(frozen=True)
class ProgrammeDay:
    day: datetime.date
    sessions: list[ProgrammeSession]


@dataclass(frozen=True)
class Programme:
    days: list[ProgrammeDay]
    unscheduled: list[Contribution]  # published, in no session of the programme
    cut: bool  # the event has more sessions or contributions than listed

    @property
    def contributions(self) -> list[Contribution]:
        """Every listed contribution, in programme order."""
        listed = [c for day in self.days for entry in day.sessions for c in entry.contributions]
        return listed + self.unscheduled

    def __bool__(self) -> bool:
        return bool(self.days or self.unscheduled)


def _whole_day(session: Session, event: Event) -> bool:
    """Entered as the event's days are when they have no hours: from 00:00 to 23:59 (or to
    00:00 of a later day) in the event's zone."""
    if not event.all_day:
        return False
    start, end = session.local_start, session.local_end
    midnight = datetime.time(0, 0)
    return start.time() == midnight and (
        end.time() >= datetime.time(23, 59) or (end.time() == midnight and end > start)
    )


def published_contributions(event: Event, *, with_documents: bool = True) -> QuerySet[Contribution]:
    """The event's published contributions with their country and case, their speakers in
    order with each one's organization and country, and (unless told not to) their public
    documents."""
    contributions = (
        event.contributions.published()
        .select_related("country", "case")
        .prefetch_related(
            Prefetch(
                "speaker_roles",
                queryset=ContributionSpeaker.objects.select_related(
                    "person__organization", "person__country"
                ),
            )
        )
        .order_by("position", "pk")
    )
    if with_documents:
        contributions = contributions.prefetch_related(
            Prefetch("documents", queryset=Document.objects.public().order_by("uploaded_at", "pk"))
        )
    return contributions


def programme_of(event: Event, *, with_documents: bool = True) -> Programme:
    """The sessions day by day (in the event's zone), each with its published contributions
    in order; then the published contributions given in no session. Without documents for
    the pages that list none (the timetable, the calendar)."""
    sessions = list(
        event.sessions.prefetch_related(
            Prefetch("chairs", queryset=Person.objects.select_related("organization", "country"))
        ).order_by("start", "end", "pk")[: SESSIONS_LIMIT + 1]
    )
    contributions = list(
        published_contributions(event, with_documents=with_documents)[: CONTRIBUTIONS_LIMIT + 1]
    )
    cut = len(sessions) > SESSIONS_LIMIT or len(contributions) > CONTRIBUTIONS_LIMIT
    sessions, contributions = sessions[:SESSIONS_LIMIT], contributions[:CONTRIBUTIONS_LIMIT]
    by_session: dict[int | None, list[Contribution]] = {}
    for contribution in contributions:
        by_session.setdefault(contribution.session_id, []).append(contribution)
    listed = {session.pk for session in sessions}
    entries = [
        ProgrammeSession(
            session=session,
            contributions=by_session.get(session.pk, []),
            whole_day=_whole_day(session, event),
        )
        for session in sessions
    ]
    days = [
        ProgrammeDay(day=day, sessions=list(group))
        for day, group in groupby(entries, key=lambda entry: entry.first_day)
    ]
    # A contribution in a session past the limit is not listed: the programme says it is cut.
    unscheduled = [c for c in contributions if c.session_id is None]
    cut = cut or any(c.session_id not in listed for c in contributions if c.session_id)
    return Programme(days=days, unscheduled=unscheduled, cut=cut)


# --- The event's own documents -------------------------------------------------------------


@dataclass(frozen=True)
class DocumentGroup:
    kind: str
    heading: str | _StrPromise
    documents: list[Document]


def event_documents(event: Event) -> QuerySet[Document]:
    """The event's own public documents (not a case's or a contribution's), kind by kind."""
    return (
        Document.objects.public()
        .filter(event=event, case__isnull=True, contribution__isnull=True)
        .order_by(DOCUMENT_KIND_RANK.asc(), "uploaded_at", "pk")
    )


def grouped(documents: Iterable[Document]) -> list[DocumentGroup]:
    """Documents read in kind order, under one heading per kind."""
    return [
        DocumentGroup(kind=kind, heading=DOCUMENT_GROUPS.get(kind, kind), documents=list(rows))
        for kind, rows in groupby(documents, key=lambda document: document.kind)
    ]


# --- Who took part -------------------------------------------------------------------------


@dataclass(frozen=True)
class ParticipatingCountry:
    participation: Participation
    focal_points: list[FocalPoint]  # public ones, as the country's page shows them


def participating_countries(window: Window) -> list[ParticipatingCountry]:
    """A page of participations, each with its country's public focal points (one query)."""
    countries = [p.country_id for p in window.rows]
    points: dict[int, list[FocalPoint]] = {}
    if countries:
        for point in (
            FocalPoint.objects.public()
            .filter(country__in=countries)
            .select_related("user", "organization")
            .order_by("country", "user__last_name", "user__first_name", "pk")
        ):
            points.setdefault(point.country_id, []).append(point)
    return [
        ParticipatingCountry(participation=p, focal_points=points.get(p.country_id, []))
        for p in window.rows
    ]


@dataclass(frozen=True)
class RepresentedCountry:
    country: Country
    participants: int | None  # from the country's participation, where known
    cases: list[CaseStudy]  # published cases it presented at the event


def cases_presented(event: Event) -> QuerySet[CaseStudy]:
    """Published cases presented at the event: recorded on the case, or through one of the
    event's published contributions."""
    through_contributions = Contribution.objects.published().filter(event=event).values("case")
    return (
        CaseStudy.objects.published()
        .filter(Q(event=event) | Q(pk__in=through_contributions))
        .select_related("country", "organization")
        .order_by("country__name", "title", "pk")
    )


def countries_represented(
    event: Event, contributions: Iterable[Contribution]
) -> list[RepresentedCountry]:
    """Every country that took part, spoke or presented a case, by name, with its cases."""
    countries: dict[int, Country] = {}
    participants: dict[int, int | None] = {}
    for participation in event.participations.select_related("country"):
        countries[participation.country_id] = participation.country
        participants[participation.country_id] = participation.participants
    for contribution in contributions:
        if contribution.country is not None:
            countries.setdefault(contribution.country.pk, contribution.country)
    cases: dict[int, list[CaseStudy]] = {}
    for case in cases_presented(event)[:CASES_LIMIT]:
        countries.setdefault(case.country_id, case.country)
        cases.setdefault(case.country_id, []).append(case)
    return [
        RepresentedCountry(
            country=country,
            participants=participants.get(pk),
            cases=cases.get(pk, []),
        )
        for pk, country in sorted(countries.items(), key=lambda item: item[1].name)
    ]
