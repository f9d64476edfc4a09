"""The schema.org JSON-LD of the public pages, read back with extruct as a search engine reads
it: one block per page, of the right type, with the properties that type needs."""

import datetime
import re
import zoneinfo

import extruct
import pytest
from django.template import Context, Template
from django.test import Client

from events.models import Event, EventOrganizer
from tests.factories import (
    CaseStudyFactory,
    CountryFactory,
    EventFactory,
    EventOrganizerFactory,
    OrganizationFactory,
    ThemeFactory,
)

pytestmark = pytest.mark.django_db

SEOUL = zoneinfo.ZoneInfo("Asia/Seoul")
BASE = "http://testserver"


def json_ld(url: str) -> dict:
    """The page's one JSON-LD object, parsed from the HTML."""
    response = Client().get(url)
    assert response.status_code == 200, url
    html = response.content.decode()
    assert 'type="application/json"' not in html  # the old, unread kind of block
    found = extruct.extract(html, base_url=BASE + url, syntaxes=["json-ld"], uniform=False)
    (data,) = found["json-ld"]
    assert data["@context"] == "https://schema.org"
    return data


# --- Events --------------------------------------------------------------------------------


def test_event_json_ld_has_dates_place_organizers_sponsors_and_its_parent():
    country = CountryFactory(name="Republic of Korea", iso2="KR")
    parent = EventFactory(title="Governance conference")
    event = EventFactory(
        title="MDG workshop",
        start=datetime.datetime(2010, 6, 18, tzinfo=SEOUL),
        end=datetime.datetime(2010, 6, 18, 23, 59, tzinfo=SEOUL),
        all_day=True,
        venue="Millennium Seoul Hilton",
        city="Seoul",
        country=country,
        part_of=parent,
        summary="Workshop on ICT access.",
    )
    for role, name in [
        (EventOrganizer.Role.SPONSOR, "UNPOG"),
        (EventOrganizer.Role.ORGANIZER, "UN DESA"),
        (EventOrganizer.Role.HOST, "City of Seoul"),
        (EventOrganizer.Role.SUPPORTER, "NIA"),
    ]:
        EventOrganizerFactory(event=event, role=role, organization=OrganizationFactory(name=name))
    data = json_ld(event.get_absolute_url())
    assert data["@type"] == "Event"
    assert data["name"] == "MDG workshop"
    assert data["url"] == BASE + event.get_absolute_url()
    assert (data["startDate"], data["endDate"]) == ("2010-06-18", "2010-06-18")
    assert data["eventAttendanceMode"] == "https://schema.org/OfflineEventAttendanceMode"
    assert data["eventStatus"] == "https://schema.org/EventScheduled"
    assert data["description"] == "Workshop on ICT access."
    assert data["location"] == {
        "@type": "Place",
        "name": "Millennium Seoul Hilton",
        "address": {"@type": "PostalAddress", "addressLocality": "Seoul", "addressCountry": "KR"},
    }
    assert [o["name"] for o in data["organizer"]] == ["UN DESA", "City of Seoul"]
    assert [o["name"] for o in data["sponsor"]] == ["UNPOG", "NIA"]
    assert all(o["@type"] == "Organization" and o["url"].startswith(BASE) for o in data["sponsor"])
    assert data["superEvent"] == {
        "@type": "Event",
        "name": "Governance conference",
        "url": BASE + parent.get_absolute_url(),
    }
    assert "subEvent" not in data


def test_event_json_ld_lists_its_public_side_events():
    event = EventFactory(title="Beijing+20 review")
    side = EventFactory(title="Special session", part_of=event)
    EventFactory(title="Closed meeting", part_of=event, is_public=False)
    data = json_ld(event.get_absolute_url())
    assert data["subEvent"] == [
        {"@type": "Event", "name": "Special session", "url": BASE + side.get_absolute_url()}
    ]
    assert "superEvent" not in data
    assert "organizer" not in data and "sponsor" not in data  # none recorded


def test_event_json_ld_names_no_private_parent():
    event = EventFactory(part_of=EventFactory(is_public=False))
    assert "superEvent" not in json_ld(event.get_absolute_url())


def test_timed_event_json_ld_gives_local_times_with_their_offset():
    start = datetime.datetime(2014, 12, 4, 11, 0, tzinfo=SEOUL)
    event = EventFactory(start=start, end=start + datetime.timedelta(hours=2, minutes=30))
    data = json_ld(event.get_absolute_url())
    assert data["startDate"] == "2014-12-04T11:00:00+09:00"
    assert data["endDate"] == "2014-12-04T13:30:00+09:00"


def test_online_event_has_a_virtual_location():
    event = EventFactory(mode=Event.Mode.ONLINE, city="", website="https://example.org/webinar")
    data = json_ld(event.get_absolute_url())
    assert data["eventAttendanceMode"] == "https://schema.org/OnlineEventAttendanceMode"
    assert data["location"] == {"@type": "VirtualLocation", "url": "https://example.org/webinar"}


def test_hybrid_event_has_a_place_and_a_virtual_location():
    event = EventFactory(mode=Event.Mode.HYBRID, city="Incheon", country=None)
    data = json_ld(event.get_absolute_url())
    assert data["eventAttendanceMode"] == "https://schema.org/MixedEventAttendanceMode"
    place, online = data["location"]
    assert place == {
        "@type": "Place",
        "name": "Incheon",
        "address": {"@type": "PostalAddress", "addressLocality": "Incheon"},
    }
    assert online == {"@type": "VirtualLocation", "url": BASE + event.get_absolute_url()}


def test_event_whose_place_is_not_known_still_has_a_location_and_invents_none():
    event = EventFactory(venue="", city="", country=None)
    assert json_ld(event.get_absolute_url())["location"] == {"@type": "Place"}


# --- Cases, countries, organizations -------------------------------------------------------


def test_case_json_ld_is_an_article_with_its_publication_author_and_country():
    theme = ThemeFactory(name="Service delivery")
    published = datetime.datetime(2019, 5, 20, 9, 0, tzinfo=datetime.UTC)
    case = CaseStudyFactory(published=True, published_at=published, title="One-stop centres")
    case.themes.add(theme)
    data = json_ld(case.get_absolute_url())
    assert data["@type"] == "Article"
    assert data["headline"] == "One-stop centres"
    assert data["url"] == BASE + case.get_absolute_url()
    assert data["datePublished"] == "2019-05-20T09:00:00+00:00"
    assert data["inLanguage"] == "en"
    assert data["author"] == {
        "@type": "Organization",
        "name": case.organization.name,
        "url": BASE + case.organization.get_absolute_url(),
    }
    assert data["publisher"]["name"] == "Public Administration Knowledge Space"
    assert data["spatialCoverage"] == {
        "@type": "Country",
        "name": case.country.name,
        "identifier": case.country.iso3,
        "url": BASE + case.country.get_absolute_url(),
    }
    assert data["about"] == [
        {"@type": "Thing", "name": "Service delivery", "url": BASE + theme.get_absolute_url()}
    ]


def test_country_json_ld_is_a_country_with_its_iso3_code():
    country = CountryFactory(name="Bangladesh", iso3="BGD", iso2="BD", m49="050")
    data = json_ld(country.get_absolute_url())
    assert data == {
        "@context": "https://schema.org",
        "@type": "Country",
        "name": "Bangladesh",
        "identifier": "BGD",
        "url": BASE + country.get_absolute_url(),
    }


def test_organization_json_ld_gives_names_country_and_parent():
    country = CountryFactory(name="Republic of Korea", iso3="KOR", iso2="KR")
    parent = OrganizationFactory(name="UN DESA", country=None)
    org = OrganizationFactory(
        name="UN Project Office on Governance",
        acronym="UNPOG",
        country=country,
        parent=parent,
        website="https://unpan.un.org/unpog",
    )
    data = json_ld(org.get_absolute_url())
    assert data["@type"] == "Organization"
    assert data["name"] == "UN Project Office on Governance"
    assert data["alternateName"] == "UNPOG"
    assert data["url"] == BASE + org.get_absolute_url()
    assert data["sameAs"] == "https://unpan.un.org/unpog"
    assert data["address"] == {"@type": "PostalAddress", "addressCountry": "KR"}
    assert data["location"]["identifier"] == "KOR"
    assert data["parentOrganization"]["name"] == "UN DESA"
    bare = json_ld(parent.get_absolute_url())
    assert not {"alternateName", "address", "location", "parentOrganization"} & set(bare)


# --- Safe in the page, and outside the CSP -------------------------------------------------


def test_json_ld_escapes_what_could_close_its_script_element():
    event = EventFactory(title="</script><script>alert(1)</script> & <!-- more")
    response = Client().get(event.get_absolute_url())
    html = response.content.decode()
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)[1]
    assert "<" not in block and ">" not in block and "&" not in block
    assert "\\u003C/script\\u003E" in block and "\\u0026" in block
    assert json_ld(event.get_absolute_url())["name"] == event.title


def test_json_ld_blocks_need_no_nonce_under_the_strict_policy():
    """The CSP runs no inline script without the page's nonce (and this page asks for none); a
    JSON-LD block is a data block, which browsers neither run nor check against script-src,
    so it goes without one and the policy stays as strict."""
    response = Client().get(EventFactory().get_absolute_url())
    directives = dict(
        part.strip().split(" ", 1) for part in response["Content-Security-Policy"].split(";")
    )
    assert directives["script-src"] == "'self'"
    html = response.content.decode()
    assert re.findall(r"<script([^>]*)>", html) == [' type="application/ld+json"']


def test_json_ld_filter_writes_nothing_for_no_data():
    template = Template("{% load paks_tags %}[{{ data|json_ld }}]")
    assert template.render(Context({"data": None})) == "[]"
    assert template.render(Context({})) == "[]"
