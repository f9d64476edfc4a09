"""Demo content: the organizations and events of the seed documents, demo country cases and logins.

The content is data, in paks/data/demo/ (organizations.json, events.json, cases.json,
programme.json; their README says what each field means and where each session, speaker and
case comes from); this module reads it and writes the rows. Events, organizations, their links
and the events' programmes come from the seed texts (UNPOG news items, a UN press release and
an aide-memoire); nothing is added that those texts do not say. The country cases are demo
summaries of real e-government initiatives, written for this portal from the public sources
each one links to, and say so in their summary; those presented at the study visit are its
contributions, made and published through the contribution services. Every step is
idempotent: running the builder again creates nothing new.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import os
import secrets
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from django.core.files.base import ContentFile
from django.db import transaction

from accounts.editors import editors_group
from accounts.models import User
from countries.models import Country, FocalPoint, Organization
from countries.services import appoint_focal_point
from events.models import Event, EventOrganizer, Participation, Person, Session
from paks.contributions import create_contribution, person_named
from paks.documents.processing import queue_processing
from paks.models import CaseLink, CaseStudy, Contribution, Document
from paks.reference import load_all
from paks.search import index as search_index
from taxonomy.models import SDG, Theme

DEMO_DATA = Path(__file__).resolve().parent / "data" / "demo"
DEMO_FILES = Path(__file__).resolve().parent / "demo_files"

EDITOR_EMAIL = "editor@paks.example"
FOCAL_EMAIL = "focal.bgd@paks.example"
# The demo focal point's country and body; the cases of that country are written by it.
FOCAL_COUNTRY = "BGD"
FOCAL_ORGANIZATION = "bangladesh-a2i"
# Without these variables, a new account gets a random password, printed once.
EDITOR_PASSWORD_ENV = "PAKS_DEMO_EDITOR_PASSWORD"
FOCAL_PASSWORD_ENV = "PAKS_DEMO_FOCAL_PASSWORD"

MEDIA_TYPES = {
    ".pdf": "application/pdf",
    ".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".png": "image/png",
    ".jpg": "image/jpeg",
}

# Keys of an event's data that are links or times, not fields written as they are.
EVENT_LINKS = (
    "slug",
    "country",
    "part_of",
    "organizers",
    "participants",
    "themes",
    "sdgs",
    "documents",
    "timezone",
    "days",
    "start",
    "end",
)


def read(name: str) -> list[dict[str, Any]]:
    """The rows of one demo data file, paks/data/demo/<name>.json, in their order."""
    rows: list[dict[str, Any]] = json.loads((DEMO_DATA / f"{name}.json").read_text("utf-8"))
    return rows


def local_span(spec: dict[str, Any], tz: ZoneInfo) -> tuple[datetime.datetime, datetime.datetime]:
    """Start and end in the zone: "days" (first and last date) the whole local days, for
    sources that give dates but no hours; "start" and "end" local times."""
    if "days" in spec:
        first, last = (datetime.date.fromisoformat(day) for day in spec["days"])
        start = datetime.datetime.combine(first, datetime.time(0, 0), tz)
        end = datetime.datetime.combine(last, datetime.time(23, 59), tz)
    else:
        start = datetime.datetime.fromisoformat(spec["start"]).replace(tzinfo=tz)
        end = datetime.datetime.fromisoformat(spec["end"]).replace(tzinfo=tz)
    return start, end


def event_times(spec: dict[str, Any]) -> dict[str, Any]:
    """Start, end, time zone and all_day of an event. An event known by its "days" is all-day
    (shown as dates, exported as iCalendar dates)."""
    start, end = local_span(spec, ZoneInfo(spec["timezone"]))
    return {"start": start, "end": end, "timezone": spec["timezone"], "all_day": "days" in spec}


@dataclass
class Login:
    """A demo account; `password` is the one this run set (printed once), None if unchanged."""

    label: str
    email: str
    password: str | None
    password_env: str


@dataclass
class DemoResult:
    """What the builder did: rows created per kind, and the demo logins."""

    created: Counter[str] = field(default_factory=Counter)
    reference_loaded: bool = False
    logins: list[Login] = field(default_factory=list)


def _countries() -> dict[str, Country]:
    return {c.iso3: c for c in Country.objects.all()}


def _organizations(result: DemoResult, countries: dict[str, Country]) -> dict[str, Organization]:
    orgs: dict[str, Organization] = {}
    for spec in read("organizations"):
        fields = {k: v for k, v in spec.items() if k not in ("slug", "parent", "country")}
        fields["parent"] = orgs[spec["parent"]] if "parent" in spec else None
        fields["country"] = countries[spec["country"]] if "country" in spec else None
        org, created = Organization.objects.update_or_create(slug=spec["slug"], defaults=fields)
        orgs[spec["slug"]] = org
        result.created["organizations"] += created
    return orgs


def _events(
    result: DemoResult,
    countries: dict[str, Country],
    orgs: dict[str, Organization],
    specs: list[dict[str, Any]],
) -> dict[str, Event]:
    themes = {t.slug: t for t in Theme.objects.all()}
    sdgs = {s.number: s for s in SDG.objects.all()}
    events: dict[str, Event] = {}
    for spec in specs:
        fields = {k: v for k, v in spec.items() if k not in EVENT_LINKS}
        fields |= event_times(spec)
        fields["country"] = countries[spec["country"]] if "country" in spec else None
        fields["part_of"] = events[spec["part_of"]] if "part_of" in spec else None
        event, created = Event.objects.update_or_create(slug=spec["slug"], defaults=fields)
        events[spec["slug"]] = event
        result.created["events"] += created
        for organizer in spec["organizers"]:
            _, created = EventOrganizer.objects.get_or_create(
                event=event, organization=orgs[organizer["organization"]], role=organizer["role"]
            )
            result.created["event organizers"] += created
        for iso3 in spec.get("participants", []):
            _, created = Participation.objects.get_or_create(event=event, country=countries[iso3])
            result.created["participations"] += created
        event.themes.add(*(themes[s] for s in spec["themes"]))
        event.sdgs.add(*(sdgs[n] for n in spec["sdgs"]))
    return events


def _user(
    email: str, password_env: str, *, first_name: str, last_name: str, staff: bool
) -> tuple[User, str | None]:
    """The account, and the password this run gave it: the environment variable's when set
    and different, a random one when the account is new, else None (unchanged)."""
    user, created = User.objects.get_or_create(
        email=email,
        defaults={
            "username": email,
            "first_name": first_name,
            "last_name": last_name,
            "is_staff": staff,
        },
    )
    given = os.environ.get(password_env) or None
    password = None
    if given is not None and (created or not user.check_password(given)):
        password = given
    elif created:
        password = secrets.token_urlsafe(12)
    if password is not None or not user.is_active:
        if password is not None:
            user.set_password(password)
        user.is_active = True
        user.save()
    return user, password


def _users(
    result: DemoResult, countries: dict[str, Country], orgs: dict[str, Organization]
) -> tuple[User, User]:
    before = User.objects.count()
    editor, editor_password = _user(
        EDITOR_EMAIL, EDITOR_PASSWORD_ENV, first_name="Demo", last_name="Editor", staff=True
    )
    editor.groups.add(editors_group())
    focal, focal_password = _user(
        FOCAL_EMAIL, FOCAL_PASSWORD_ENV, first_name="Demo", last_name="Focal Point", staff=False
    )
    result.created["users"] += User.objects.count() - before
    country = countries[FOCAL_COUNTRY]
    if not FocalPoint.objects.filter(user=focal, country=country, until__isnull=True).exists():
        appoint_focal_point(
            user=focal,
            country=country,
            organization=orgs[FOCAL_ORGANIZATION],
            position="e-Government focal point",
            is_contact_public=True,
        )
        result.created["focal points"] += 1
    result.logins = [
        Login("editor (admin)", EDITOR_EMAIL, editor_password, EDITOR_PASSWORD_ENV),
        Login(f"focal point, {country.name}", FOCAL_EMAIL, focal_password, FOCAL_PASSWORD_ENV),
    ]
    return editor, focal


def _save_document(result: DemoResult, doc: Document, filename: str) -> None:
    data = (DEMO_FILES / filename).read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    # Stored once per owner: a case, a contribution, or the event itself.
    same_file = Document.objects.filter(sha256=digest)
    if doc.case:
        same_file = same_file.filter(case=doc.case)
    else:
        same_file = same_file.filter(event=doc.event, contribution=doc.contribution)
    if same_file.exists():
        return
    doc.original_filename = filename
    doc.media_type = MEDIA_TYPES[Path(filename).suffix.lower()]
    doc.size = len(data)
    doc.sha256 = digest
    # Stored through the storage API like any upload; processing picks it up as pending.
    doc.file.save(filename, ContentFile(data), save=True)
    queue_processing(doc)
    result.created["documents"] += 1


def review_dates(spec: dict[str, Any], event: Event | None) -> dict[str, datetime.datetime]:
    """When a seed case was submitted and published: 30 and 45 days after the event it was
    presented at; without an event, on its "published" date (09:00 UTC), submitted 15 days
    before. A draft has neither."""
    Status = CaseStudy.Status
    if spec["status"] not in (Status.SUBMITTED, Status.PUBLISHED):
        return {}
    if event is not None:
        submitted = event.end + datetime.timedelta(days=30)
        published = event.end + datetime.timedelta(days=45)
    else:
        day = datetime.date.fromisoformat(spec["published"])
        published = datetime.datetime.combine(day, datetime.time(9, 0), datetime.UTC)
        submitted = published - datetime.timedelta(days=15)
    if spec["status"] == Status.SUBMITTED:
        return {"submitted_at": submitted}
    return {"submitted_at": submitted, "published_at": published}


def _cases(
    result: DemoResult,
    countries: dict[str, Country],
    orgs: dict[str, Organization],
    events: dict[str, Event],
    editor: User,
    focal: User,
) -> None:
    themes = {t.slug: t for t in Theme.objects.all()}
    sdgs = {s.number: s for s in SDG.objects.all()}
    for spec in read("cases"):
        event = events[spec["event"]] if spec["event"] else None
        # Seed data: statuses and their dates are set directly, as if the review had happened
        # (after the event, or on the date the data gives), instead of replaying the review
        # services with today's dates.
        stamps = review_dates(spec, event)
        country = countries[spec["country"]]
        case, created = CaseStudy.objects.get_or_create(
            slug=spec["slug"],
            defaults={
                "title": spec["title"],
                "country": country,
                "organization": orgs[spec["organization"]],
                "year": spec["year"],
                "event": event,
                "summary": spec["summary"],
                "challenge": spec["challenge"],
                "solution": spec["solution"],
                "results": spec["results"],
                "lessons_learned": spec["lessons_learned"],
                "status": spec["status"],
                "created_by": focal if country.iso3 == FOCAL_COUNTRY else editor,
                **stamps,
            },
        )
        result.created["cases"] += created
        if created:
            case.themes.set([themes[s] for s in spec["themes"]])
            case.sdgs.set([sdgs[n] for n in spec["sdgs"]])
        for link in spec.get("links", []):
            _, created = CaseLink.objects.get_or_create(
                case=case, url=link["url"], defaults={"title": link["title"]}
            )
            result.created["case links"] += created
        for document in spec.get("documents", []):
            doc = Document(
                case=case,
                title=document["title"],
                kind=document["kind"],
                uploaded_by=case.created_by,
            )
            _save_document(result, doc, document["file"])


def _event_documents(
    result: DemoResult, specs: list[dict[str, Any]], events: dict[str, Event], editor: User
) -> None:
    """Documents attached to an event rather than a case."""
    for spec in specs:
        for document in spec.get("documents", []):
            doc = Document(
                event=events[spec["slug"]],
                title=document["title"],
                kind=document["kind"],
                uploaded_by=editor,
            )
            _save_document(result, doc, document["file"])


def _sessions(result: DemoResult, event: Event, specs: list[dict[str, Any]]) -> dict[str, Session]:
    sessions: dict[str, Session] = {}
    for spec in specs:
        start, end = local_span(spec, event.tzinfo)
        fields = {
            "kind": spec["kind"],
            "start": start,
            "end": end,
            "place": spec.get("place", ""),
            "description": spec.get("description", ""),
        }
        session = Session.objects.filter(event=event, title=spec["title"]).first()
        if session is None:
            session = Session(event=event, title=spec["title"])
            result.created["sessions"] += 1
        elif all(getattr(session, name) == value for name, value in fields.items()):
            sessions[session.title] = session
            continue  # as the data says: no save, no new history
        for name, value in fields.items():
            setattr(session, name, value)
        session.clean()  # within the event's days
        session.save()
        sessions[session.title] = session
    return sessions


def _contribution(
    result: DemoResult,
    event: Event,
    spec: dict[str, Any],
    *,
    position: int,
    sessions: dict[str, Session],
    orgs: dict[str, Organization],
    editor: User,
) -> None:
    """A published contribution, made once through the services (audited and versioned):
    a country case presented at the event (titled as the case) or a talk of its speakers."""
    case = (
        CaseStudy.objects.select_related("country").get(slug=spec["case"])
        if "case" in spec
        else None
    )
    title = case.title if case is not None else spec["title"]
    same = Contribution.objects.filter(event=event)
    same = same.filter(case=case) if case is not None else same.filter(title=title, case=None)
    contribution = same.first()
    if contribution is None:
        speakers = [
            person_named(
                name=speaker["name"],
                position=speaker.get("position", ""),
                organization=orgs[speaker["organization"]] if "organization" in speaker else None,
            )
            for speaker in spec.get("speakers", [])
        ]
        contribution = create_contribution(
            user=editor,
            event=event,
            country=case.country if case is not None else None,
            data={
                "title": title,
                "kind": spec.get("kind", Contribution.Kind.PRESENTATION),
                "abstract": spec.get("abstract", ""),
                "session": sessions[spec["session"]] if "session" in spec else None,
                "case": case,
                "position": position,
                "publish": True,
            },
            speakers=speakers,
        )
        result.created["contributions"] += 1
    for document in spec.get("documents", []):
        doc = Document(
            event=event,
            contribution=contribution,
            title=document["title"],
            kind=document["kind"],
            uploaded_by=editor,
        )
        _save_document(result, doc, document["file"])


def _programmes(
    result: DemoResult, events: dict[str, Event], orgs: dict[str, Organization], editor: User
) -> None:
    """Sessions, speakers and contributions of the events whose seed texts describe them."""
    people = Person.objects.count()
    for programme in read("programme"):
        event = events[programme["event"]]
        sessions = _sessions(result, event, programme["sessions"])
        for position, spec in enumerate(programme["contributions"]):
            _contribution(
                result,
                event,
                spec,
                position=position,
                sessions=sessions,
                orgs=orgs,
                editor=editor,
            )
    result.created["people"] += Person.objects.count() - people


def reference_data_missing() -> bool:
    return not (Country.objects.exists() and SDG.objects.exists() and Theme.objects.exists())


@transaction.atomic
def load_demo() -> DemoResult:
    """Build (or complete) the demo content; safe to run any number of times."""
    result = DemoResult()
    if reference_data_missing():
        load_all()
        result.reference_loaded = True
    countries = _countries()
    orgs = _organizations(result, countries)
    event_specs = read("events")
    events = _events(result, countries, orgs, event_specs)
    editor, focal = _users(result, countries, orgs)
    _cases(result, countries, orgs, events, editor, focal)
    _event_documents(result, event_specs, events, editor)
    _programmes(result, events, orgs, editor)
    # Seed cases are written directly, not through the workflow: index them in one pass.
    search_index.rebuild()
    return result
