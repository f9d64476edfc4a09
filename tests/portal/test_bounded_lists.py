"""Detail pages list the latest cases and events, at most SHOWN of each, and link to all."""

import datetime
import html

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from core.lists import SHOWN
from tests.factories import (
    CaseStudyFactory,
    CountryFactory,
    EventFactory,
    EventOrganizerFactory,
    OrganizationFactory,
    ParticipationFactory,
    SDGFactory,
    ThemeFactory,
)

pytestmark = pytest.mark.django_db


def _page(url):
    response = Client().get(url)
    assert response.status_code == 200, url
    return html.unescape(response.content.decode())


def cards(page):
    return page.count('<article class="card">')


def link(row):
    return f">{row.title}</a>"


def dated_cases(n, **kwargs):
    """n published cases, the first the newest."""
    now = timezone.now()
    return [
        CaseStudyFactory(published=True, published_at=now - datetime.timedelta(days=i), **kwargs)
        for i in range(n)
    ]


def dated_events(n, **kwargs):
    now = timezone.now()
    return [EventFactory(start=now - datetime.timedelta(days=30 + i), **kwargs) for i in range(n)]


def test_a_themes_page_shows_its_latest_cases_and_events_and_links_to_all():
    theme = ThemeFactory(slug="e-participation")
    cases = dated_cases(SHOWN + 5)
    events = dated_events(SHOWN + 1)
    for row in (*cases, *events):
        row.themes.add(theme)
    page = _page(theme.get_absolute_url())
    assert cards(page) == SHOWN
    assert link(cases[0]) in page and link(cases[SHOWN - 1]) in page
    assert link(cases[SHOWN]) not in page
    assert f"The {SHOWN} latest of {SHOWN + 5}." in page
    assert f'href="/cases/?theme=e-participation">All {SHOWN + 5} good practices' in page
    assert link(events[0]) in page and link(events[SHOWN]) not in page
    assert 'href="/events/?when=past&theme=e-participation">past</a>' in page
    everything = _page("/events/?when=past&theme=e-participation")
    assert link(events[SHOWN]) in _page("/events/?when=past&theme=e-participation&page=2")
    assert link(events[0]) in everything


def test_an_sdgs_page_links_to_its_events_in_the_event_list():
    sdg = SDGFactory(number=13, short_title="Climate action")
    other = EventFactory(title="Unrelated forum")
    events = dated_events(SHOWN + 1)
    for event in events:
        event.sdgs.add(sdg)
    page = _page(sdg.get_absolute_url())
    assert 'href="/events/?when=past&sdg=13">past</a>' in page
    listed = _page("/events/?when=past&sdg=13")
    assert link(events[0]) in listed and link(other) not in listed
    api = Client().get(reverse("api-v1:event-list") + "?sdg=13&page_size=50").json()
    assert api["count"] == SHOWN + 1
    assert Client().get(reverse("api-v1:event-list") + "?sdg=18").status_code == 400


def test_a_page_with_few_cases_shows_them_all_without_a_total():
    theme = ThemeFactory(slug="local-e-government")
    for case in dated_cases(3):
        case.themes.add(theme)
    page = _page(theme.get_absolute_url())
    assert cards(page) == 3
    assert "latest of" not in page
    assert 'href="/cases/?theme=local-e-government">Search within this theme' in page


def test_a_countrys_page_shows_its_latest_cases_and_events_and_links_to_all():
    country = CountryFactory(iso3="QZZ", iso2="ZZ")
    cases = dated_cases(SHOWN + 2, country=country)
    attended = dated_events(SHOWN + 1)
    for event in attended:
        ParticipationFactory(event=event, country=country)
    page = _page(country.get_absolute_url())
    assert cards(page) == SHOWN
    assert link(cases[0]) in page and link(cases[SHOWN]) not in page
    assert f'href="/cases/?country=QZZ">All {SHOWN + 2} good practices' in page
    assert link(attended[0]) in page and link(attended[SHOWN]) not in page
    assert 'href="/events/?when=past&country=QZZ">past</a>' in page
    assert link(attended[SHOWN]) in _page("/events/?when=past&country=QZZ&page=2")


def test_an_organizations_page_shows_its_latest_cases_and_events_and_links_to_all():
    org = OrganizationFactory(slug="unpog")
    cases = dated_cases(SHOWN + 1, organization=org, country=org.country)
    events = dated_events(SHOWN + 1)
    for event in events:
        EventOrganizerFactory(event=event, organization=org)
    page = _page(org.get_absolute_url())
    assert cards(page) == SHOWN
    assert link(cases[0]) in page and link(cases[SHOWN]) not in page
    assert 'href="/cases/?organization=unpog">All the good practices' in page
    assert link(events[0]) in page and link(events[SHOWN]) not in page
    assert 'href="/events/?when=past&organizer=unpog">past</a>' in page


def test_an_events_page_shows_the_latest_cases_presented_and_links_to_all():
    event = EventFactory(slug="study-visit")
    cases = dated_cases(SHOWN + 1, event=event)
    page = _page(event.get_absolute_url())
    assert cards(page) == SHOWN
    assert link(cases[0]) in page and link(cases[SHOWN]) not in page
    assert 'href="/cases/?event=study-visit">All the cases presented here' in page
    assert link(cases[SHOWN]) in _page("/cases/?event=study-visit&page=2")


def test_an_events_participating_countries_come_a_hundred_to_a_page():
    event = EventFactory()
    for n in range(120):
        country = CountryFactory(name=f"Land {n:03}", m49=f"{100 + n}")
        ParticipationFactory(event=event, country=country)
    first_page = _page(event.get_absolute_url())
    assert "Land 000" in first_page and "Land 099" in first_page and "Land 100" not in first_page
    assert 'href="?countries=2#part-h" rel="next"' in first_page
    second = _page(event.get_absolute_url() + "?countries=2")
    assert "Land 100" in second and "Land 119" in second and "Land 099" not in second
    assert 'href="?countries=1#part-h" rel="prev"' in second
    assert 'rel="next"' not in second.split('id="part-h"')[1].split("</section>")[0]
    # A number that is not a page shows the first.
    assert "Land 000" in _page(event.get_absolute_url() + "?countries=x")


def test_a_countrys_organizations_and_an_organizations_units_are_paged():
    country = CountryFactory()
    parent = OrganizationFactory(country=country, name="Ministry")
    for n in range(55):
        OrganizationFactory(country=country, parent=parent, name=f"Unit {n:02}")
    page = _page(country.get_absolute_url())
    assert 'href="?organizations=2#orgs-h"' in page
    assert "Unit 48" in page and "Unit 49" not in page  # "Ministry" sorts after the units
    units = _page(parent.get_absolute_url())
    assert "Unit 49" in units and "Unit 50" not in units and 'href="?units=2#units-h"' in units
