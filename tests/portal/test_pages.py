"""The public pages as visitors see them: content, what stays hidden, and query counts."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from events.models import Event
from paks.models import CaseStudy
from tests.factories import (
    CaseStudyFactory,
    CountryFactory,
    DocumentFactory,
    EGovScoreFactory,
    EventFactory,
    EventOrganizerFactory,
    FocalPointFactory,
    OrganizationFactory,
    ParticipationFactory,
    SDGFactory,
    ThemeFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def published(**kwargs):
    return CaseStudyFactory(published=True, **kwargs)


def test_home_shows_latest_cases_events_regions_and_links():
    case = published(title="Union digital centres")
    CaseStudyFactory(title="Secret draft")
    EventFactory(title="Future forum", start=timezone.now() + datetime.timedelta(days=9))
    ThemeFactory(name="Local e-government")
    page = reverse("paks:home")
    html = _get(page)
    assert "Union digital centres" in html
    assert "Secret draft" not in html
    assert "Future forum" in html
    assert f"{case.country.region_name}</a>: 1" in html
    assert "Local e-government" in html
    assert 'role="search"' in html


def test_case_page_shows_sections_documents_and_citation():
    theme = ThemeFactory(name="Service delivery innovation")
    event = EventFactory(title="Study visit 2019")
    case = published(
        title="One-stop centres",
        solution="**Local entrepreneurs** run the centres.\n\n<script>alert(1)</script>",
        event=event,
    )
    case.themes.add(theme)
    DocumentFactory(case=case, title="Country presentation", page_count=12)
    html = _get(case.get_absolute_url())
    assert "<h1>One-stop centres</h1>" in html
    assert "<strong>Local entrepreneurs</strong>" in html
    assert "<script>alert(1)</script>" not in html
    assert "Country presentation" in html
    assert "PDF · 15\xa0bytes · 12 pages" in html
    assert reverse("paks:document-download", args=[case.documents.get().pk]) in html
    assert "Study visit 2019" in html
    assert "Service delivery innovation" in html
    assert "Public Administration Knowledge Space. http://testserver/cases/" in html
    assert '"@type": "Article"' in html


def test_related_cases_share_a_theme_or_the_country():
    theme = ThemeFactory()
    case = published()
    case.themes.add(theme)
    same_theme = published(title="Same theme case")
    same_theme.themes.add(theme)
    published(title="Same country case", country=case.country)
    published(title="Unrelated case")
    html = _get(case.get_absolute_url())
    assert "Same theme case" in html
    assert "Same country case" in html
    assert "Unrelated case" not in html


@pytest.mark.parametrize(
    "status",
    [
        CaseStudy.Status.DRAFT,
        CaseStudy.Status.SUBMITTED,
        CaseStudy.Status.CHANGES_REQUESTED,
        CaseStudy.Status.ARCHIVED,
    ],
)
def test_unpublished_cases_answer_404_and_appear_nowhere(client, status):
    theme, sdg = ThemeFactory(), SDGFactory()
    case = CaseStudyFactory(title="Hidden practice", status=status)
    case.themes.add(theme)
    case.sdgs.add(sdg)
    assert client.get(case.get_absolute_url()).status_code == 404
    for url in (
        reverse("paks:home"),
        reverse("paks:case-list"),
        reverse("paks:case-list") + "?q=hidden",
        case.country.get_absolute_url(),
        theme.get_absolute_url(),
        sdg.get_absolute_url(),
        case.organization.get_absolute_url(),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert b"Hidden practice" not in response.content, url


def test_private_events_answer_404_and_stay_out_of_lists_and_calendars(client):
    event = EventFactory(title="Internal retreat", is_public=False)
    assert client.get(event.get_absolute_url()).status_code == 404
    assert client.get(reverse("events:ical", args=[event.slug])).status_code == 404
    assert b"Internal retreat" not in client.get(reverse("events:list") + "?when=past").content
    assert b"Internal retreat" not in client.get(reverse("events:ical-all")).content


def test_case_list_filters_by_facet_and_shows_counts():
    asia = CountryFactory(name="Bangladesh", iso3="BGD", iso2="BD", m49="050", is_ldc=True)
    europe = CountryFactory(name="Estonia", iso3="EST", iso2="EE", m49="233", region_name="Europe")
    published(title="Digital centres", country=asia)
    published(title="X-road", country=europe)
    html = _get(reverse("paks:case-list") + "?country=BGD")
    assert "Digital centres" in html
    assert "X-road" not in html
    assert "1 result" in html
    assert 'Estonia</a> <span class="muted">(1)</span>' in html


def test_case_list_shows_a_long_facets_most_frequent_values_with_a_link_to_all():
    countries = [CountryFactory(name=f"Country {i:02}") for i in range(12)]
    for i, country in enumerate(countries):
        for _ in range(2 if i in (3, 11) else 1):
            published(country=country)
    html = _get(reverse("paks:case-list"))
    # The two with two cases first, then by name; two of the twelve are left out.
    assert html.index("Country 03</a>") < html.index("Country 11</a>") < html.index("Country 00")
    assert "Country 08</a>" in html
    assert "Country 09</a>" not in html
    assert "Country 10</a>" not in html
    assert 'href="?more=country">Show all 12<span class="visually-hidden"> values of Country' in (
        html
    )
    # A chosen value stays in view, and the whole list is a link away.
    assert "Country 10</a>" in _get(reverse("paks:case-list") + f"?country={countries[10].iso3}")
    everything = _get(reverse("paks:case-list") + "?more=country")
    assert all(f"Country {i:02}</a>" in everything for i in range(12))
    assert everything.index("Country 00</a>") < everything.index("Country 03</a>")  # by name
    assert 'href="?">Show the most frequent' in everything


def test_case_list_filters_by_the_event_where_cases_were_presented():
    event = EventFactory(title="Study visit 2019")
    published(title="Presented there", event=event)
    published(title="Presented elsewhere")
    html = _get(reverse("paks:case-list") + f"?event={event.slug}")
    assert "Presented there" in html
    assert "Presented elsewhere" not in html
    assert "Remove filter: </span>Study visit 2019" in html
    assert f"?event={event.slug}" in _get(event.get_absolute_url())


def test_case_list_beyond_the_last_page_is_404(client):
    published()
    assert client.get(reverse("paks:case-list") + "?page=9").status_code == 404


def test_event_page_shows_local_times_organizers_participants_and_side_events():
    start = datetime.datetime(2019, 4, 1, 0, 30, tzinfo=datetime.UTC)  # 09:30 in Seoul
    event = EventFactory(title="Study visit", start=start, end=start + datetime.timedelta(days=4))
    EventOrganizerFactory(event=event, organization=OrganizationFactory(name="UNPOG"))
    ParticipationFactory(event=event, country=CountryFactory(name="Bhutan"), participants=3)
    EventFactory(title="Side session", part_of=event)
    EventFactory(title="Private side session", part_of=event, is_public=False)
    html = _get(event.get_absolute_url())
    assert "1 April 2019, 09:30" in html
    assert "Asia/Seoul time" in html
    assert 'UNPOG</a> <span class="muted">(organizer)</span>' in html
    # The participating countries' table: each country's row, with its participants.
    assert re.search(r'<th scope="row"><a href="[^"]+">Bhutan</a></th>\s*<td>3</td>', html)
    assert "Side session" in html
    assert "Private side session" not in html
    assert '"@type": "Event"' in html
    assert '"startDate": "2019-04-01T09:30:00+09:00"' in html


def test_event_list_splits_upcoming_and_past_and_filters_by_kind():
    now = timezone.now()
    EventFactory(title="Next workshop", start=now + datetime.timedelta(days=3))
    EventFactory(title="Old workshop", start=now - datetime.timedelta(days=300))
    EventFactory(
        title="Old conference",
        kind=Event.Kind.CONFERENCE,
        start=now - datetime.timedelta(days=200),
    )
    upcoming = _get(reverse("events:list"))
    assert "Next workshop" in upcoming and "Old workshop" not in upcoming
    past = _get(reverse("events:list") + "?when=past&kind=conference")
    assert "Old conference" in past and "Old workshop" not in past


def test_event_calendar_has_one_vevent_per_public_event_in_its_timezone(client):
    EventFactory.create_batch(3)
    EventFactory(is_public=False)
    response = client.get(reverse("events:ical-all"))
    body = response.content.decode()
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert body.startswith("BEGIN:VCALENDAR\r\n")
    assert body.count("BEGIN:VEVENT") == 3
    assert "TZID:Asia/Seoul" in body
    assert "DTSTART;TZID=Asia/Seoul:" in body


def test_country_list_groups_by_region_and_filters_by_grouping():
    CountryFactory(name="Nepal", is_ldc=True, is_lldc=True)
    CountryFactory(name="Fiji", is_sids=True, region_name="Oceania")
    html = _get(reverse("countries:list"))
    assert '<h2 id="region-1">Asia</h2>' in html
    assert "Nepal" in html and "LDC, LLDC" in html
    html = _get(reverse("countries:list") + "?group=sids")
    assert "Fiji" in html and "Nepal" not in html


def test_country_page_shows_scores_cases_events_and_only_public_focal_points():
    country = CountryFactory(name="Bangladesh", iso3="BGD", iso2="BD", m49="050")
    EGovScoreFactory(country=country, survey_year=2024, rank=100, egdi="0.66")
    published(title="Digital centres", country=country)
    ParticipationFactory(country=country, event=EventFactory(title="Study visit"))
    FocalPointFactory(
        country=country, is_contact_public=True, user=UserFactory(email="open@gov.example")
    )
    FocalPointFactory(
        country=country, is_contact_public=False, user=UserFactory(email="quiet@gov.example")
    )
    html = _get("/countries/bgd/")
    assert "0.6600" in html
    assert "Digital centres" in html
    assert "Study visit" in html
    assert "open@gov.example" in html
    assert "quiet@gov.example" not in html


def test_organization_theme_sdg_and_about_pages():
    org = OrganizationFactory(name="UN-APCICT")
    EventOrganizerFactory(organization=org, event=EventFactory(title="Training workshop"))
    theme, sdg = ThemeFactory(name="ICT access"), SDGFactory(number=9, short_title="Industry")
    case = published(title="Rural broadband", organization=org)
    case.themes.add(theme)
    case.sdgs.add(sdg)
    assert "Training workshop" in _get(org.get_absolute_url())
    assert "Rural broadband" in _get(org.get_absolute_url())
    assert "Rural broadband" in _get(theme.get_absolute_url())
    assert "Rural broadband" in _get(sdg.get_absolute_url())
    assert "(1 good practice)" in _get(reverse("paks:theme-list"))
    assert "1 published good practice" in _get(reverse("paks:about"))


def test_unknown_address_gets_the_sites_404_page(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert b"Page not found" in response.content
    assert b"Skip to main content" in response.content


def _get(url):
    from django.test import Client

    response = Client().get(url)
    assert response.status_code == 200, url
    return response.content.decode()


# The pages' exact query counts: tests/test_query_counts.py.
