"""Reading the API v1 anonymously: public content only, stable shapes, JSON errors."""

import re

import pytest
from django.urls import reverse

from tests.factories import (
    CaseStudyFactory,
    CountryFactory,
    DocumentFactory,
    EGovScoreFactory,
    EventFactory,
    EventOrganizerFactory,
    OrganizationFactory,
    ParticipationFactory,
    SDGFactory,
    ThemeFactory,
)

pytestmark = pytest.mark.django_db


def api(name, *args):
    return reverse(f"api-v1:{name}", args=args)


def test_cases_list_is_the_search_with_facets_and_pages(client):
    for n in range(3):
        CaseStudyFactory(published=True, title=f"Harbour permits {n}", summary="harbour")
    CaseStudyFactory(title="Draft harbour plan", summary="harbour")
    response = client.get(api("case-list"), {"q": "harbour", "page_size": 2})
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 3
    assert len(body["results"]) == 2
    assert body["previous"] is None
    assert "page=2" in body["next"]
    assert "<mark>harbour</mark>" in body["results"][0]["snippet"]
    assert body["results"][0]["case"]["url"].startswith("http://testserver/api/v1/cases/")
    assert {f["count"] for f in body["facets"]["country"]} == {1}
    second = client.get(body["next"]).json()
    assert len(second["results"]) == 1 and second["next"] is None
    titles = [h["case"]["title"] for h in body["results"] + second["results"]]
    assert "Draft harbour plan" not in titles


def test_case_detail_by_slug_with_documents_and_a_draft_is_404(client):
    theme = ThemeFactory(slug="ict-access")
    case = CaseStudyFactory(published=True, slug="digital-centres")
    case.themes.add(theme)
    DocumentFactory(case=case, title="Slides")
    response = client.get(api("case-detail", "digital-centres"))
    assert response.status_code == 200
    body = response.json()
    assert body["themes"] == ["ict-access"]
    assert body["documents"][0]["title"] == "Slides"
    assert body["documents"][0]["download_url"].endswith("/download/")
    assert body["country"]["iso3"] == case.country.iso3
    draft = CaseStudyFactory(slug="secret-plan")
    response = client.get(api("case-detail", draft.slug))
    assert response.status_code == 404
    assert response.json() == {"code": "not_found", "message": "Not found."}


def test_documents_list_only_public_documents(client):
    public = DocumentFactory(case=CaseStudyFactory(published=True), title="Public slides")
    DocumentFactory(case=CaseStudyFactory(), title="Draft slides")
    body = client.get(api("document-list")).json()
    assert [d["title"] for d in body["results"]] == ["Public slides"]
    assert client.get(api("document-detail", public.pk)).status_code == 200


def test_events_hide_private_ones_and_give_local_times(client):
    event = EventFactory(slug="study-visit", title="Study visit")
    EventOrganizerFactory(event=event)
    ParticipationFactory(event=event, participants=4)
    EventFactory(slug="retreat", is_public=False)
    body = client.get(api("event-list")).json()
    assert [e["slug"] for e in body["results"]] == ["study-visit"]
    detail = client.get(api("event-detail", "study-visit")).json()
    assert detail["timezone"] == "Asia/Seoul"
    assert detail["local_start"].endswith("+09:00")
    assert detail["participations"][0]["participants"] == 4
    assert client.get(api("event-detail", "retreat")).status_code == 404


def test_countries_by_iso_code_with_groupings_and_scores(client):
    country = CountryFactory(iso3="BGD", iso2="BD", m49="050", name="Bangladesh", is_ldc=True)
    EGovScoreFactory(country=country, survey_year=2024, egdi="0.6579")
    body = client.get(api("country-detail", "bgd")).json()
    assert body["groups"] == ["LDC"]
    assert body["egov_scores"][0]["egdi"] == "0.65790"
    listed = client.get(api("country-list"), {"is_ldc": "true"}).json()
    assert [c["iso3"] for c in listed["results"]] == ["BGD"]


def test_organizations_themes_and_sdgs(client):
    OrganizationFactory(slug="unpog", name="UNPOG")
    ThemeFactory(slug="e-participation")
    SDGFactory(number=16)
    assert client.get(api("organization-detail", "unpog")).json()["name"] == "UNPOG"
    assert client.get(api("theme-detail", "e-participation")).status_code == 200
    assert client.get(api("sdg-detail", 16)).json()["number"] == 16


def test_read_only_endpoints_refuse_writes_with_json_405(client):
    response = client.post(api("theme-list"), {"name": "x"})
    assert response.status_code == 405
    assert response.json()["code"] == "method_not_allowed"


def test_schema_and_docs_are_served_without_any_cdn(client):
    schema = client.get(api("schema"), HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert schema.status_code == 200
    assert schema.json()["info"]["title"] == "PAKS API"
    assert "/api/v1/cases/" in schema.json()["paths"]
    docs = client.get(api("docs"))
    assert docs.status_code == 200
    html = docs.content.decode()
    assert re.findall(r'(?:src|href)="(https?://[^"]+)"', html) == []
    assert "swagger-ui" in html


# The list endpoints' exact query counts: tests/test_query_counts.py.
