"""Bulk export of the case and event lists as CSV, with the same filters as the JSON lists."""

import csv
import io

import pytest
from django.urls import reverse

from tests.factories import CaseStudyFactory, CountryFactory, EventFactory, ThemeFactory

pytestmark = pytest.mark.django_db


def rows_of(response):
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="')
    assert response.streaming
    text = b"".join(response.streaming_content).decode()
    return list(csv.DictReader(io.StringIO(text)))


def test_cases_csv_has_every_match_unpaged_and_no_drafts(client):
    country = CountryFactory(iso3="BGD")
    theme = ThemeFactory(name="Service delivery")
    for n in range(25):
        case = CaseStudyFactory(published=True, country=country, title=f"Harbour {n}")
        case.themes.add(theme)
    CaseStudyFactory(published=True, title="Unrelated forest registry", summary="trees")
    CaseStudyFactory(country=country, title="Harbour draft")
    rows = rows_of(client.get(reverse("api-v1:case-list"), {"format": "csv", "q": "harbour"}))
    assert len(rows) == 25
    assert {r["country_iso3"] for r in rows} == {"BGD"}
    assert rows[0]["themes"] == theme.slug  # as in the themes table of the open data
    assert all(r["url"].startswith("http://testserver/cases/") for r in rows)
    assert "Harbour draft" not in {r["title"] for r in rows}


def test_cases_csv_by_accept_header_and_with_facet_filters(client):
    CaseStudyFactory(published=True, country=CountryFactory(iso3="NPL"), title="Nepal")
    CaseStudyFactory(published=True, country=CountryFactory(iso3="BTN"), title="Bhutan")
    response = client.get(reverse("api-v1:case-list"), {"country": "NPL"}, HTTP_ACCEPT="text/csv")
    assert [r["title"] for r in rows_of(response)] == ["Nepal"]


def test_csv_cells_that_look_like_formulas_are_disarmed(client):
    CaseStudyFactory(published=True, title='=HYPERLINK("http://evil")')
    rows = rows_of(client.get(reverse("api-v1:case-list"), {"format": "csv"}))
    assert rows[0]["title"].startswith("'=")


def test_events_csv_uses_the_event_filters(client):
    EventFactory(title="Seoul workshop", city="Seoul")
    EventFactory(title="Hidden meeting", is_public=False)
    rows = rows_of(client.get(reverse("api-v1:event-list"), {"format": "csv"}))
    assert [r["title"] for r in rows] == ["Seoul workshop"]
    assert rows[0]["city"] == "Seoul"


def test_csv_is_offered_for_lists_only(client):
    case = CaseStudyFactory(published=True)
    response = client.get(reverse("api-v1:case-detail", args=[case.slug]), {"format": "csv"})
    assert response.status_code == 404
