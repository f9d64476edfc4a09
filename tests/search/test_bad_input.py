"""Whatever a query string holds, the page answers 200 and says what it left out, and the
API answers 400 naming the parameter; nothing answers 500."""

import pytest
from django.urls import reverse

from paks.models import CaseStudy
from paks.search.index import reindex_case
from tests.factories import CaseStudyFactory, CountryFactory

pytestmark = pytest.mark.django_db

# (parameter, value(s), what the page says)
BAD = [
    ("country", "XYZ", "There is no country with the code “XYZ”"),
    ("country", "toolong", "“toolong” is not a three-letter country code."),
    ("region", "Atlantis", "There is no region “Atlantis”"),
    ("group", "g77", "“g77” is not one of ldc, lldc, sids."),
    ("theme", "no-such-theme", "There is no theme “no-such-theme”"),
    ("sdg", "18", "“18” is not an SDG number (1 to 17)"),
    ("sdg", "five", "“five” is not an SDG number (1 to 17)"),
    ("year", "20x9", "“20x9” is not a year"),
    ("year", "1850", "“1850” is not a year"),
    ("organization", "nobody", "There is no organization “nobody”"),
    ("event", "never-held", "There is no event “never-held”"),
    ("sort", "best", "“best” is not one of relevance, newest, oldest, title."),
    ("sort", ["newest", "title"], "Give “sort” once; the first value was used."),
    ("page", "0", "“0” is not a page number."),
    ("page", "two", "“two” is not a page number."),
    ("q", "x" * 10_000, "Only the first 500 characters were searched."),
    ("q", "kiosk\x00\x07", "The words had control characters; they were read as spaces."),
    ("country", "Q" * 10_000, "is not a three-letter country code."),
]

# Operators of SQL, FTS5 and tsquery are only words here: found or not, never an error.
SYNTAX = [
    "'; DROP TABLE paks_casestudy; --",
    '"unclosed phrase',
    "NEAR(kiosk union)",
    "kiosk AND OR NOT",
    "title:kiosk",
    "kiosk* ^union",
    "!kiosk & (union | :*)",
    "or or or",
    "- -- ---",
    "\u202ekiosk\u200b",
]


@pytest.fixture
def case():
    country = CountryFactory(iso3="BGD", name="Bangladesh", region_name="Asia")
    case = CaseStudyFactory(
        title="Union kiosks", summary="A kiosk in every union.", country=country, published=True
    )
    reindex_case(case_id=case.pk)
    return case


@pytest.mark.parametrize(("name", "value", "said"), BAD, ids=lambda v: str(v)[:20])
def test_the_page_answers_with_a_message_and_the_api_names_the_parameter(
    client, case, name, value, said
):
    page = client.get(reverse("paks:case-list"), {name: value})
    assert page.status_code == 200
    assert said in page.content.decode()

    api_name = "page_size" if name == "per_page" else name
    answer = client.get("/api/v1/cases/", {api_name: value})
    assert answer.status_code == 400
    body = answer.json()
    assert body["field"] == api_name
    assert said in body["message"]


@pytest.mark.parametrize("q", SYNTAX)
def test_query_syntax_of_the_engines_is_only_words(client, case, q):
    page = client.get(reverse("paks:case-list"), {"q": q})
    assert page.status_code == 200
    answer = client.get("/api/v1/cases/", {"q": q})
    assert answer.status_code == 200
    assert answer.json()["count"] in (0, 1)
    assert CaseStudy.objects.count() == 1


def test_a_known_value_beside_an_unknown_one_still_filters_on_the_page(client, case):
    page = client.get(reverse("paks:case-list"), {"q": "kiosk", "country": ["BGD", "XYZ"]})
    html = page.content.decode()
    assert "1 result" in html
    assert "There is no country with the code “XYZ”" in html


def test_api_facets_false_answers_without_counts(client, case):
    body = client.get("/api/v1/cases/", {"q": "kiosk", "facets": "false"}).json()
    assert body["count"] == 1
    assert body["facets"] == {}
    refused = client.get("/api/v1/cases/", {"facets": "maybe"})
    assert refused.status_code == 400
    assert refused.json()["field"] == "facets"
