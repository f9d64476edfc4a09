"""An event's programme as a visitor sees it: on the event page (by day, each session with
its time, kind, place, chairs and what was presented, with slides), on the printable
timetable and in the event's calendar file; the event's own documents by kind, who took part,
and the events held with it. Drafts never show; a non-public event has none of these pages."""

import datetime
import io
import re
import zoneinfo

import icalendar
import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse
from PIL import Image

from paks import programme
from paks.models import CaseStudy, Document
from tests.factories import (
    CaseStudyFactory,
    ContributionFactory,
    ContributionSpeakerFactory,
    CountryFactory,
    DocumentFactory,
    EventFactory,
    FocalPointFactory,
    OrganizationFactory,
    ParticipationFactory,
    PersonFactory,
    SessionFactory,
)

pytestmark = pytest.mark.django_db

SEOUL = zoneinfo.ZoneInfo("Asia/Seoul")
DASH = "\u2013"
PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
UNPUBLISHED = [
    CaseStudy.Status.DRAFT,
    CaseStudy.Status.SUBMITTED,
    CaseStudy.Status.CHANGES_REQUESTED,
    CaseStudy.Status.ARCHIVED,
]


def _get(url: str) -> str:
    response = Client().get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def jpeg() -> ContentFile:
    image = io.BytesIO()
    Image.new("RGB", (32, 24), "navy").save(image, "JPEG")
    return ContentFile(image.getvalue(), name="thumbnail.jpg")


def at(day: int, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime(2019, 4, day, hour, minute, tzinfo=SEOUL)


def study_visit(**kwargs):
    """A three-day study visit in Incheon, with hours."""
    return EventFactory(
        title="Study visit on e-government",
        slug="study-visit",
        start=at(1, 9),
        end=at(3, 17),
        timezone="Asia/Seoul",
        venue="",
        city="Incheon",
        **kwargs,
    )


def speaker(name: str, *, position: str, organization: str, country):
    return PersonFactory(
        name=name,
        position=position,
        organization=OrganizationFactory(name=organization, acronym="", country=country),
        country=country,
    )


@pytest.fixture
def visit():
    """The study visit with an opening, a panel of two country presentations on the first
    day and a training module on the second."""
    event = study_visit()
    opening = SessionFactory(
        event=event, title="Opening", kind="opening", start=at(1, 9), end=at(1, 9, 45)
    )
    korea = CountryFactory(name="Korea")
    opening.chairs.add(
        speaker("Kim Min-jun", position="Director", organization="NIA", country=korea)
    )
    panel = SessionFactory(
        event=event,
        title="Country presentations",
        kind="country_presentations",
        start=at(1, 10),
        end=at(1, 12, 30),
        place="Room 301",
    )
    bangladesh = CountryFactory(name="Bangladesh")
    bd = CountryFactory(name="BD")  # the speakers' country, named apart from the contribution's
    bhutan = CountryFactory(name="Bhutan")
    second = ContributionFactory(
        event=event, session=panel, title="Community centres", country=bhutan, position=2
    )
    second.status, second.published_at = "published", event.start
    second.save()
    first = ContributionFactory(
        event=event,
        session=panel,
        title="Union Digital Centres",
        country=bangladesh,
        position=1,
        published=True,
        case=CaseStudyFactory(published=True, title="One-stop centres", country=bangladesh),
    )
    ContributionSpeakerFactory(
        contribution=first,
        position=1,
        person=speaker("Rahim Uddin", position="Secretary", organization="a2i", country=bd),
    )
    ContributionSpeakerFactory(
        contribution=first,
        position=0,
        person=speaker("Ayesha Khan", position="Director", organization="ICT Division", country=bd),
    )
    DocumentFactory(
        case=None,
        event=event,
        contribution=first,
        title="Slides of the centres",
        media_type=PPTX,
        size=3_100_000,
        page_count=12,
        thumbnail=jpeg(),
    )
    SessionFactory(
        event=event, title="Training module", kind="training_module", start=at(2, 9), end=at(2, 17)
    )
    return event


# --- The event page ------------------------------------------------------------------------


def test_event_page_shows_the_programme_day_by_day_with_local_times_kinds_and_places(visit):
    html = _get(visit.get_absolute_url())
    section = html[html.index('<h2 id="programme-h">') :]
    days = re.findall(r'<h3 id="day-([\d-]+)"><time datetime="[\d-]+">([^<]+)</time></h3>', section)
    assert days == [("2019-04-01", "Monday 1 April 2019"), ("2019-04-02", "Tuesday 2 April 2019")]
    sessions = re.findall(r"<h4>([^<]+)</h4>", section)
    assert sessions == ["Opening", "Country presentations", "Training module"]
    assert f">09:00</time>{DASH}<time" in section and ">12:30</time>" in section
    assert "Country presentations · Room 301" in section
    assert "Times are Asia/Seoul time." in section


def test_a_session_shows_its_chairs_with_their_affiliation(visit):
    html = _get(visit.get_absolute_url())
    assert (
        'Chair: <span class="person">Kim Min-jun <span class="muted">(Director, NIA, Korea)'
        "</span></span>"
    ) in html


def test_presentations_come_in_their_order_with_speakers_country_case_and_slides(visit):
    html = _get(visit.get_absolute_url())
    panel = html[html.index("<h4>Country presentations</h4>") : html.index("<h4>Training")]
    titles = re.findall(r'<p class="contribution-title"><strong>([^<]+)</strong>', panel)
    assert titles == ["Union Digital Centres", "Community centres"]
    speakers = re.findall(r'<span class="person">([^<]+) <span class="muted">\(([^)]+)\)', panel)
    assert speakers == [
        ("Ayesha Khan", "Director, ICT Division, BD"),
        ("Rahim Uddin", "Secretary, a2i, BD"),
    ]
    assert ">Bangladesh</a></span>" in panel
    case = CaseStudy.objects.get(title="One-stop centres")
    assert f'Case presented: <a href="{case.get_absolute_url()}">One-stop centres</a>' in panel
    slides = Document.objects.get(title="Slides of the centres")
    assert (
        f'<img src="{reverse("paks:document-thumbnail", args=[slides.pk])}" '
        'alt="First slide of “Slides of the centres”"' in panel
    )
    assert f'<a href="{reverse("paks:document-download", args=[slides.pk])}">' in panel
    assert "PowerPoint · 3.0\xa0MB · 12 slides" in panel


def test_a_contributions_address_leads_to_it_on_the_event_page(visit):
    contribution = visit.contributions.get(title="Union Digital Centres")
    page, anchor = contribution.get_absolute_url().split("#")
    assert f'id="{anchor}"' in _get(page)


@pytest.mark.parametrize("status", UNPUBLISHED)
def test_unpublished_contributions_and_their_slides_show_on_no_page(client, visit, status):
    hidden = ContributionFactory(
        event=visit,
        session=visit.sessions.get(title="Opening"),
        title="Hidden presentation",
        status=status,
    )
    ContributionSpeakerFactory(contribution=hidden, person=PersonFactory(name="Hidden Speaker"))
    DocumentFactory(case=None, event=visit, contribution=hidden, title="Hidden slides")
    ContributionFactory(event=visit, title="Hidden and unscheduled", status=status)
    for name in ("detail", "programme", "proceedings", "ical"):
        body = client.get(reverse(f"events:{name}", args=[visit.slug])).content.decode()
        assert "Community centres" in body, name
        for words in ("Hidden presentation", "Hidden Speaker", "Hidden slides", "unscheduled"):
            assert words not in body, (name, words)


def test_a_presentations_case_is_linked_only_when_published(visit):
    contribution = visit.contributions.get(title="Community centres")
    contribution.case = CaseStudyFactory(title="Draft case of Bhutan")
    contribution.save()
    html = _get(visit.get_absolute_url())
    assert "Draft case of Bhutan" not in html


def test_presentations_given_in_no_session_follow_the_programme(visit):
    ContributionFactory(event=visit, title="A written statement", published=True)
    html = _get(visit.get_absolute_url())
    rest = html[html.index('<h3 id="other-contributions-h">Other presentations</h3>') :]
    assert "A written statement" in rest


def test_an_event_without_a_programme_has_no_programme_section_nor_timetable_link():
    event = study_visit()
    html = _get(event.get_absolute_url())
    assert 'id="programme-h"' not in html
    assert reverse("events:programme", args=[event.slug]) not in html
    assert "The programme has not been published yet." in _get(
        reverse("events:programme", args=[event.slug])
    )


def test_sessions_of_an_event_known_by_its_dates_show_no_hours_when_they_have_none():
    event = EventFactory(
        start=datetime.datetime(2019, 4, 1, tzinfo=SEOUL),
        end=datetime.datetime(2019, 4, 5, 23, 59, tzinfo=SEOUL),
        timezone="Asia/Seoul",
        all_day=True,
    )
    SessionFactory(
        event=event,
        title="Site visit",
        start=datetime.datetime(2019, 4, 2, tzinfo=SEOUL),
        end=datetime.datetime(2019, 4, 2, 23, 59, tzinfo=SEOUL),
    )
    SessionFactory(event=event, title="Briefing", start=at(3, 10), end=at(3, 11))
    html = _get(event.get_absolute_url())
    visit_line = html[html.index("<h4>Site visit</h4>") : html.index("<h4>Briefing</h4>")]
    assert "All day · Country presentations" in visit_line
    assert ">00:00<" not in html and ">23:59<" not in html
    assert f">10:00</time>{DASH}<time" in html  # a session with hours keeps them
    assert "Times are" not in html


def test_a_long_programme_is_cut_and_says_so(monkeypatch, visit):
    monkeypatch.setattr(programme, "SESSIONS_LIMIT", 2)
    for url in (visit.get_absolute_url(), reverse("events:programme", args=[visit.slug])):
        html = _get(url)
        assert "Training module" not in html
        assert "This programme is longer than a page lists" in html


# --- The event's own documents -------------------------------------------------------------


def test_the_events_own_documents_are_grouped_by_kind_in_the_order_an_event_makes_them(visit):
    for title, kind in [
        ("Final report", "report"),
        ("Group photo", "photo"),
        ("Programme agenda", "agenda"),
        ("Aide-memoire", "aide_memoire"),
        ("Concept note", "concept_note"),
    ]:
        DocumentFactory(case=None, event=visit, title=title, kind=kind)
    DocumentFactory(
        case=None,
        event=visit,
        title="Recording",
        kind="video",
        file="",
        external_url="https://video.example.org/opening",
    )
    DocumentFactory(case=CaseStudyFactory(event=visit), event=visit, title="A draft case's file")
    html = _get(visit.get_absolute_url())
    section = html[html.index('<h2 id="docs-h">') :]
    section = section[: section.index("</section>")]
    headings = re.findall(r'<h3 id="docs-\w+">([^<]+)</h3>', section)
    assert headings == [
        "Aide-mémoire",
        "Concept notes",
        "Agenda",
        "Reports",
        "Photos",
        "Videos",
    ]
    assert '<a href="https://video.example.org/opening" rel="noopener">Recording</a>' in section
    assert "Slides of the centres" not in section  # a presentation's slides are with it
    assert "A draft case" not in html


# --- Who took part -------------------------------------------------------------------------


def test_participation_gives_the_numbers_and_each_countrys_participants_and_focal_points():
    event = study_visit(expected_participants=30, actual_participants=27)
    bhutan = CountryFactory(name="Bhutan")
    nepal = CountryFactory(name="Nepal")
    ParticipationFactory(event=event, country=bhutan, participants=3)
    ParticipationFactory(event=event, country=nepal)
    shown = FocalPointFactory(country=bhutan, is_contact_public=True, position="Head of ICT")
    shown.user.first_name, shown.user.last_name = "Tashi", "Wangchuk"
    shown.user.save()
    FocalPointFactory(country=bhutan, is_contact_public=False)
    FocalPointFactory(
        country=nepal,
        is_contact_public=True,
        since=datetime.date(2015, 1, 1),
        until=datetime.date(2018, 1, 1),
    )
    html = _get(event.get_absolute_url())
    section = html[html.index('<h2 id="part-h">') :]
    section = section[: section.index("</section>")]
    assert "<dt>Expected participants</dt><dd>30</dd>" in section
    assert "<dt>Participants</dt><dd>27</dd>" in section
    assert re.findall(r'<th scope="col">([^<]+)</th>', section) == [
        "Country",
        "Participants",
        "Focal points",
    ]
    rows = re.findall(r"<tr>\s*<th scope=\"row\">.*?</tr>", section, re.S)
    assert len(rows) == 2
    assert ">Bhutan</a></th>" in rows[0] and "<td>3</td>" in rows[0]
    assert "Tashi Wangchuk, Head of ICT" in rows[0]
    assert f'href="mailto:{shown.user.email}"' in rows[0]
    assert rows[0].count("mailto:") == 1  # the one whose contact is not public is not named
    assert ">Nepal</a></th>" in rows[1] and "not known" in rows[1]
    assert "mailto:" not in rows[1]  # an appointment that ended


# --- Events held together ------------------------------------------------------------------


def test_the_events_held_together_show_on_the_parent_and_on_each_side_event():
    parent = EventFactory(title="Governance forum")
    side = EventFactory(title="Special session", part_of=parent)
    sibling = EventFactory(title="Expert meeting", part_of=parent)
    EventFactory(title="Closed retreat", part_of=parent, is_public=False)
    EventFactory(title="Side of the side", part_of=side)

    on_parent = _get(parent.get_absolute_url())
    tree = on_parent[on_parent.index('<h2 id="side-h">') :]
    assert "Held on its occasion" in tree
    assert "Special session" in tree and "Expert meeting" in tree
    assert "Closed retreat" not in on_parent
    assert "Side of the side" not in tree

    on_side = _get(side.get_absolute_url())
    tree = on_side[on_side.index('<h2 id="side-h">') :]
    tree = tree[: tree.index("</section>")]
    assert f'<a href="{parent.get_absolute_url()}">Governance forum</a>' in tree
    assert '<strong aria-current="page">Special session</strong>' in tree
    assert sibling.get_absolute_url() in tree and "Side of the side" in tree
    assert "Closed retreat" not in on_side


def test_a_side_event_of_a_private_event_names_no_parent():
    side = EventFactory(
        title="Special session", part_of=EventFactory(title="Private board", is_public=False)
    )
    assert "Private board" not in _get(side.get_absolute_url())


# --- The printable timetable ---------------------------------------------------------------


def test_the_printable_timetable_is_a_table_per_day_linked_from_the_event_page(visit):
    url = reverse("events:programme", args=[visit.slug])
    assert url == "/events/study-visit/programme/"
    assert f'href="{url}"' in _get(visit.get_absolute_url())
    html = _get(url)
    assert html.count('<table class="timetable">') == 2
    assert re.findall(r'<th scope="col">([^<]+)</th>', html)[:3] == [
        "Time",
        "Session",
        "Presentations",
    ]
    rows = re.findall(r'<tr id="session-\d+">(.*?)</tr>', html, re.S)
    assert len(rows) == 3
    assert f">10:00</time>{DASH}<time" in rows[1] and "Room 301" in rows[1]
    assert re.search(r"Union Digital Centres.*Community centres", rows[1], re.S)
    assert "Ayesha Khan, Rahim Uddin" in rows[1]
    assert "Slides of the centres" not in html  # a timetable, not the proceedings


def test_the_event_pages_load_only_the_sites_own_stylesheet_and_no_script(visit):
    for name in ("detail", "programme", "proceedings"):
        html = _get(reverse(f"events:{name}", args=[visit.slug]))
        assert "<script src" not in html and "<script>" not in html, name
        loaded = re.findall(
            r'<(?:link|img|iframe|script)[^>]+(?:src|href)="(https?://[^"]+)"', html
        )
        assert [u for u in loaded if not u.startswith("http://testserver/")] == [], name


@pytest.mark.parametrize("name", ["detail", "programme", "proceedings", "proceedings-pdf", "ical"])
def test_a_non_public_event_has_none_of_these_pages(client, name):
    event = study_visit(is_public=False)
    SessionFactory(event=event)
    ContributionFactory(event=event, published=True)
    assert client.get(reverse(f"events:{name}", args=[event.slug])).status_code == 404


# --- The calendar file ---------------------------------------------------------------------


def _calendar(client, event) -> list[icalendar.Event]:
    response = client.get(reverse("events:ical", args=[event.slug]))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return icalendar.Calendar.from_ical(response.content).walk("VEVENT")


def test_the_calendar_has_the_event_then_each_session_in_the_events_time_zone(client, visit):
    event_entry, *sessions = _calendar(client, visit)
    assert str(event_entry["SUMMARY"]) == "Study visit on e-government"
    assert [str(s["SUMMARY"]) for s in sessions] == [
        "Opening",
        "Country presentations",
        "Training module",
    ]
    panel = sessions[1]
    assert panel["DTSTART"].dt == at(1, 10) and panel["DTEND"].dt == at(1, 12, 30)
    body = client.get(reverse("events:ical", args=[visit.slug])).content.decode()
    assert "DTSTART;TZID=Asia/Seoul:20190401T100000\r\n" in body
    assert str(panel["LOCATION"]) == "Room 301, Incheon"
    assert str(sessions[0]["LOCATION"]) == "Incheon"
    assert str(panel["RELATED-TO"]) == str(event_entry["UID"])
    description = str(panel["DESCRIPTION"])
    assert description.index("Union Digital Centres") < description.index("Community centres")
    assert "Ayesha Khan (Director, ICT Division, BD)" in description
    assert "[Bangladesh]" in description
    assert "Kim Min-jun" in str(sessions[0]["DESCRIPTION"])


def test_each_session_keeps_its_uid_from_one_download_to_the_next(client, visit):
    first = [str(v["UID"]) for v in _calendar(client, visit)]
    SessionFactory(event=visit, title="Added later", start=at(1, 8), end=at(1, 8, 30))
    second = [str(v["UID"]) for v in _calendar(client, visit)]
    assert set(first) < set(second)
    assert len(set(second)) == len(second) == 5
    session = visit.sessions.get(title="Opening")
    assert f"session-{session.pk}@testserver" in second


def test_the_calendar_gives_sessions_without_hours_of_an_all_day_event_as_dates(client):
    event = EventFactory(
        start=datetime.datetime(2019, 4, 1, tzinfo=SEOUL),
        end=datetime.datetime(2019, 4, 5, 23, 59, tzinfo=SEOUL),
        timezone="Asia/Seoul",
        all_day=True,
    )
    SessionFactory(
        event=event,
        title="Field trip",
        start=datetime.datetime(2019, 4, 2, tzinfo=SEOUL),
        end=datetime.datetime(2019, 4, 3, 23, 59, tzinfo=SEOUL),
    )
    body = client.get(reverse("events:ical", args=[event.slug])).content.decode()
    assert "DTSTART;VALUE=DATE:20190401\r\n" in body  # the event itself, as before
    assert "DTSTART;VALUE=DATE:20190402\r\n" in body
    assert "DTEND;VALUE=DATE:20190404\r\n" in body
    assert "T000000" not in body and "T235900" not in body


def test_the_event_api_reads_the_programme_with_its_chairs(client):
    from tests.factories import EventFactory, PersonFactory, SessionFactory

    event = EventFactory()
    first = SessionFactory(event=event, title="Opening")
    first.chairs.add(PersonFactory(name="Ana Lima", position="Minister"))
    SessionFactory(
        event=event,
        title="Site visit",
        start=first.start + datetime.timedelta(hours=3),
        end=first.start + datetime.timedelta(hours=5),
    )
    data = client.get(f"/api/v1/events/{event.slug}/").json()
    assert [s["title"] for s in data["sessions"]] == ["Opening", "Site visit"]
    assert data["sessions"][0]["chairs"] == [
        {"name": "Ana Lima", "position": "Minister", "affiliation": "Minister"}
    ]
