"""The public event pages as a visitor sees them: the list's tabs, counts and filter labels,
dates of events known by their dates only, organizers in role order, objectives as lists, the
calendar files and the feeds."""

import datetime
import re
import xml.etree.ElementTree as ET
import zoneinfo
from html.parser import HTMLParser

import icalendar
import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from events.models import Event, EventOrganizer
from tests.factories import (
    CaseStudyFactory,
    CountryFactory,
    EventFactory,
    EventOrganizerFactory,
    OrganizationFactory,
    SDGFactory,
    ThemeFactory,
)

pytestmark = pytest.mark.django_db

SEOUL = zoneinfo.ZoneInfo("Asia/Seoul")
ATOM = "{http://www.w3.org/2005/Atom}"
DASH = "\u2013"  # between two dates or times, as people write them


def _get(url: str) -> str:
    response = Client().get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def _past(n: int = 1, **kwargs) -> list[Event]:
    return [
        EventFactory(start=timezone.now() - datetime.timedelta(days=40 + i), **kwargs)
        for i in range(n)
    ]


def _upcoming(**kwargs) -> Event:
    return EventFactory(start=timezone.now() + datetime.timedelta(days=9), **kwargs)


def _all_day(first: datetime.date, last: datetime.date, **kwargs) -> Event:
    """As the demo enters an event known by its dates: 00:00 to 23:59 local, all day."""
    return EventFactory(
        start=datetime.datetime.combine(first, datetime.time(0, 0), SEOUL),
        end=datetime.datetime.combine(last, datetime.time(23, 59), SEOUL),
        timezone="Asia/Seoul",
        all_day=True,
        **kwargs,
    )


def _heading(html: str) -> str:
    found = re.search(r"<h2>((?:Upcoming|Past) events) <span[^>]*>\((\d+)\)</span></h2>", html)
    assert found, "no list heading"
    return f"{found[1]} ({found[2]})"


def _tabs(html: str) -> dict[str, str]:
    """Each tab's words, and which one is current."""
    nav = html[html.index('<nav aria-label="Upcoming or past"') :]
    nav = nav[: nav.index("</nav>")]
    tabs = {}
    for attrs, text in re.findall(r"<a ([^>]*)>(.*?)</a>", nav):
        words = re.sub(r"<[^>]+>", "", text)
        tabs[words] = "current" if 'aria-current="page"' in attrs else ""
    return tabs


# --- The list: which tab opens, and the counts ---------------------------------------------


def test_event_list_opens_on_past_events_when_none_is_upcoming():
    _past(7)
    html = _get(reverse("events:list"))
    assert _heading(html) == "Past events (7)"
    assert _tabs(html) == {"Upcoming (0)": "", "Past (7)": "current"}
    assert html.count('<li>\n  <a href="/events/') == 7
    assert "<title>Past events" in html


def test_event_list_opens_on_upcoming_events_when_there_are_some():
    _past(3)
    _upcoming(title="Next forum")
    html = _get(reverse("events:list"))
    assert _heading(html) == "Upcoming events (1)"
    assert _tabs(html) == {"Upcoming (1)": "current", "Past (3)": ""}
    assert "Next forum" in html


def test_event_list_with_nothing_at_all_says_so_on_the_upcoming_tab():
    html = _get(reverse("events:list"))
    assert _heading(html) == "Upcoming events (0)"
    assert "No upcoming event matches." in html
    assert "past events</a>" not in html  # no link to an empty tab


def test_asking_for_upcoming_events_shows_none_and_links_to_the_past_ones():
    _past(2)
    html = _get(reverse("events:list") + "?when=upcoming")
    assert _heading(html) == "Upcoming events (0)"
    assert 'See <a href="?when=past">past events</a>.' in html


def test_event_list_counts_follow_the_filters_and_tabs_keep_them():
    conference = Event.Kind.CONFERENCE
    _past(2, kind=conference)
    _past(3)
    _upcoming(kind=conference)
    html = _get(reverse("events:list") + "?kind=conference&when=past")
    assert _heading(html) == "Past events (2)"
    assert _tabs(html) == {"Upcoming (1)": "", "Past (2)": "current"}
    assert 'href="?kind=conference&amp;when=upcoming"' in html


def test_past_heading_counts_every_page_not_the_first_one():
    _past(23)
    html = _get(reverse("events:list") + "?when=past")
    assert _heading(html) == "Past events (23)"
    assert "Page 1 of 2" in html
    assert "Past events (23)" in _heading(_get(reverse("events:list") + "?when=past&page=2"))


def test_a_country_filter_counts_each_event_once():
    country = CountryFactory()
    event = _past(1, country=country)[0]
    event.participating_countries.add(country)  # hosted and took part: still one event
    html = _get(reverse("events:list") + f"?country={country.iso3}")
    assert _heading(html) == "Past events (1)"


# --- The list: filter labels ---------------------------------------------------------------


class FormFields(HTMLParser):
    """The filter form's fields by id, and the visible labels pointing at them."""

    def __init__(self) -> None:
        super().__init__()
        self.fields: list[str] = []
        self.labels: dict[str, str] = {}
        self._label_for: str | None = None
        self._in_form = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        names = dict(attrs)
        if tag == "form" and names.get("class") == "filters":
            self._in_form = True
        if not self._in_form:
            return
        if tag in ("select", "input") and names.get("type") != "hidden":
            self.fields.append(names.get("id") or "")
        if tag == "label":
            self._label_for = names.get("for")
            self.labels[self._label_for or ""] = ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "label":
            self._label_for = None
        if tag == "form":
            self._in_form = False

    def handle_data(self, data: str) -> None:
        if self._label_for is not None:
            self.labels[self._label_for] += data


def test_every_filter_has_a_visible_label_naming_it():
    event = _past(1, country=CountryFactory(), kind=Event.Kind.WORKSHOP)[0]
    EventOrganizerFactory(event=event)
    event.themes.add(ThemeFactory())
    event.sdgs.add(SDGFactory())
    parser = FormFields()
    parser.feed(_get(reverse("events:list")))
    assert parser.fields == [
        "id_kind",
        "id_year",
        "id_country",
        "id_organizer",
        "id_theme",
        "id_sdg",
    ]
    assert {field: parser.labels.get(field) for field in parser.fields} == {
        "id_kind": "Kind:",
        "id_year": "Year:",
        "id_country": "Country (host or participant):",
        "id_organizer": "Organizer:",
        "id_theme": "Theme:",
        "id_sdg": "SDG:",
    }


def test_the_year_filter_lists_years_with_events_and_filters_by_them():
    _all_day(datetime.date(2007, 10, 8), datetime.date(2007, 10, 12), title="Training 2007")
    _all_day(datetime.date(2019, 4, 1), datetime.date(2019, 4, 5), title="Study visit 2019")
    html = _get(reverse("events:list") + "?year=2007")
    assert '<option value="2007" selected>2007</option>' in html
    assert "Training 2007" in html and "Study visit 2019" not in html
    assert "[invalid name]" not in html


# --- An event's dates ----------------------------------------------------------------------


def test_event_known_by_its_dates_shows_dates_only():
    event = _all_day(datetime.date(2019, 4, 1), datetime.date(2019, 4, 5))
    html = _get(event.get_absolute_url())
    assert f"<dt>When</dt><dd>1{DASH}5 April 2019</dd>" in html
    assert "00:00" not in html and "23:59" not in html
    assert "Asia/Seoul time" not in html


@pytest.mark.parametrize(
    ("first", "last", "shown"),
    [
        (datetime.date(2010, 6, 18), datetime.date(2010, 6, 18), "18 June 2010"),
        (datetime.date(2019, 3, 30), datetime.date(2019, 4, 2), f"30 March {DASH} 2 April 2019"),
        (
            datetime.date(2019, 12, 30),
            datetime.date(2020, 1, 2),
            f"30 December 2019 {DASH} 2 January 2020",
        ),
    ],
)
def test_dates_are_written_with_what_they_share_said_once(first, last, shown):
    event = _all_day(first, last)
    assert f"<dt>When</dt><dd>{shown}</dd>" in _get(event.get_absolute_url())


def test_an_all_day_event_ending_at_midnight_ends_the_day_before():
    event = EventFactory(
        start=datetime.datetime(2019, 4, 1, tzinfo=SEOUL),
        end=datetime.datetime(2019, 4, 6, tzinfo=SEOUL),
        timezone="Asia/Seoul",
        all_day=True,
    )
    assert f"<dd>1{DASH}5 April 2019</dd>" in _get(event.get_absolute_url())


def test_event_with_hours_keeps_its_local_times():
    start = datetime.datetime(2014, 12, 4, 11, 0, tzinfo=SEOUL)
    event = EventFactory(start=start, end=start + datetime.timedelta(hours=2, minutes=30))
    html = _get(event.get_absolute_url())
    assert f"4 December 2014, 11:00</time> {DASH} " in html
    assert "4 December 2014, 13:30</time>" in html
    assert "(Asia/Seoul time)" in html


def test_event_lists_give_an_all_day_events_date_without_a_time():
    _all_day(datetime.date(2007, 10, 8), datetime.date(2007, 10, 12))
    html = _get(reverse("events:list"))
    assert '<time datetime="2007-10-08">8 Oct 2007</time>' in html


def test_an_event_with_only_a_host_country_says_where():
    event = EventFactory(city="", country=CountryFactory(name="Bhutan"))
    assert re.search(
        r"<dt>Where</dt><dd><a href=\"[^\"]+\">Bhutan</a></dd>", _get(event.get_absolute_url())
    )


# --- Organizers in role order --------------------------------------------------------------


def _roles_in_every_order() -> Event:
    event = EventFactory()
    for role, name in [
        (EventOrganizer.Role.SUPPORTER, "Aardvark City"),
        (EventOrganizer.Role.SPONSOR, "Bank of Zeta"),
        (EventOrganizer.Role.HOST, "Alpha Host"),
        (EventOrganizer.Role.CO_ORGANIZER, "Beta Institute"),
        (EventOrganizer.Role.CO_ORGANIZER, "Aleph University"),
        (EventOrganizer.Role.ORGANIZER, "Zulu Office"),
    ]:
        EventOrganizerFactory(event=event, role=role, organization=OrganizationFactory(name=name))
    return event


ROLE_ORDER = [
    ("Zulu Office", "organizer"),
    ("Aleph University", "co-organizer"),
    ("Beta Institute", "co-organizer"),
    ("Alpha Host", "host"),
    ("Bank of Zeta", "sponsor"),
    ("Aardvark City", "supporter"),
]


def test_event_page_lists_organizers_by_role_then_name():
    html = _get(_roles_in_every_order().get_absolute_url())
    section = html[html.index('<h2 id="org-h">') : html.index("</section>", html.index("org-h"))]
    listed = re.findall(r'">([^<]+)</a> <span class="muted">\(([^)]+)\)</span>', section)
    assert listed == ROLE_ORDER


def test_event_api_lists_organizers_by_role_then_name(client):
    event = _roles_in_every_order()
    body = client.get(reverse("api-v1:event-detail", args=[event.slug])).json()
    roles = [(o["organization"]["name"], o["role"]) for o in body["organizers"]]
    assert roles == [(name, role.replace("-", "_")) for name, role in ROLE_ORDER]


# --- Objectives and outputs ----------------------------------------------------------------


def test_objectives_and_outputs_given_as_lines_are_lists():
    event = EventFactory(
        objectives="- Strategic planning\n- Needs <assessments>\n- Partnerships",
        outputs="1. A network launched\n2. A curriculum shared",
        summary="Five days of training.\nSite visits in Incheon.",
    )
    html = _get(event.get_absolute_url())
    assert (
        '<h2 id="obj-h">Objectives</h2><ul><li>Strategic planning</li>'
        "<li>Needs &lt;assessments&gt;</li><li>Partnerships</li></ul>"
    ) in html
    assert (
        '<h2 id="out-h">Outputs</h2><ol><li>A network launched</li>'
        "<li>A curriculum shared</li></ol>"
    ) in html
    assert (
        '<h2 id="about-h">About</h2><p>Five days of training.<br>Site visits in Incheon.</p>'
        in (html)
    )
    assert "- Strategic planning" not in html


# --- Calendar files ------------------------------------------------------------------------


def _vevent(client, event: Event) -> icalendar.Event:
    response = client.get(reverse("events:ical", args=[event.slug]))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = icalendar.Calendar.from_ical(response.content)
    (vevent,) = calendar.walk("VEVENT")
    return vevent


def test_calendar_gives_an_all_day_event_as_dates_ending_the_day_after(client):
    event = _all_day(datetime.date(2019, 4, 1), datetime.date(2019, 4, 5))
    body = client.get(reverse("events:ical", args=[event.slug])).content.decode()
    assert "DTSTART;VALUE=DATE:20190401\r\n" in body
    assert "DTEND;VALUE=DATE:20190406\r\n" in body
    assert "T000000" not in body and "T235900" not in body


def test_calendar_gives_a_timed_event_in_its_own_time_zone(client):
    start = datetime.datetime(2014, 12, 4, 11, 0, tzinfo=SEOUL)
    event = EventFactory(start=start, end=start + datetime.timedelta(hours=2))
    body = client.get(reverse("events:ical", args=[event.slug])).content.decode()
    assert "DTSTART;TZID=Asia/Seoul:20141204T110000\r\n" in body
    assert "DTEND;TZID=Asia/Seoul:20141204T130000\r\n" in body


@pytest.mark.parametrize(
    ("place", "location"),
    [
        ({"venue": "UNCC", "city": "Bangkok", "country": "Thailand"}, "UNCC, Bangkok, Thailand"),
        (
            {"venue": "", "city": "Incheon", "country": "Republic of Korea"},
            "Incheon, Republic of Korea",
        ),
        ({"venue": "", "city": "", "country": "Bhutan"}, "Bhutan"),
        ({"venue": "Town hall", "city": "", "country": None}, "Town hall"),
        ({"venue": "", "city": "Seoul", "country": None, "mode": "hybrid"}, "Seoul and online"),
        ({"venue": "", "city": "", "country": None, "mode": "online"}, "Online"),
    ],
)
def test_calendar_location_joins_the_known_place_parts(client, place, location):
    country = place.pop("country")
    country = CountryFactory(name=country) if country else None
    event = EventFactory(country=country, **place)
    assert str(_vevent(client, event)["LOCATION"]) == location


def test_calendar_has_no_location_for_an_event_whose_place_is_not_known(client):
    event = EventFactory(venue="", city="", country=None)
    assert "LOCATION" not in _vevent(client, event)


# --- Feeds ---------------------------------------------------------------------------------


def test_a_2007_events_feed_entries_carry_2007_not_the_day_it_was_entered(client):
    event = _all_day(datetime.date(2007, 10, 8), datetime.date(2007, 10, 12), title="Training")
    assert event.created_at.year == timezone.now().year
    atom = ET.fromstring(client.get(reverse("feed-events-atom")).content)
    (entry,) = atom.findall(f"{ATOM}entry")
    assert entry.find(f"{ATOM}published").text == "2007-10-08T00:00:00+09:00"
    assert entry.find(f"{ATOM}updated").text == "2007-10-08T00:00:00+09:00"
    assert f"8{DASH}12 October 2007" in entry.find(f"{ATOM}summary").text
    rss = ET.fromstring(client.get(reverse("feed-events-rss")).content)
    assert rss.find("channel/item/pubDate").text == "Mon, 08 Oct 2007 00:00:00 +0900"


def test_events_feed_is_not_dated_in_the_future_by_an_upcoming_event(client):
    _upcoming()
    atom = ET.fromstring(client.get(reverse("feed-events-atom")).content)
    updated = datetime.datetime.fromisoformat(atom.find(f"{ATOM}updated").text)
    assert updated <= timezone.now()
    entry_published = atom.find(f"{ATOM}entry/{ATOM}published").text
    assert datetime.datetime.fromisoformat(entry_published) > timezone.now()


def test_case_feed_entries_are_dated_by_publication_not_by_the_last_save(client):
    published = datetime.datetime(2019, 5, 20, 9, 0, tzinfo=datetime.UTC)
    case = CaseStudyFactory(published=True, published_at=published, title="Digital centres")
    case.save()  # as a reload of the demo does: updated_at is today
    assert case.updated_at.year == timezone.now().year
    atom = ET.fromstring(client.get(reverse("feed-cases-atom")).content)
    (entry,) = atom.findall(f"{ATOM}entry")
    assert entry.find(f"{ATOM}published").text == "2019-05-20T09:00:00+00:00"
    assert entry.find(f"{ATOM}updated").text == "2019-05-20T09:00:00+00:00"
    rss = ET.fromstring(client.get(reverse("feed-cases-rss")).content)
    assert rss.find("channel/item/pubDate").text == "Mon, 20 May 2019 09:00:00 +0000"
