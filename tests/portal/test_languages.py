"""Every page in the six UN languages: the address names the language, each page links to
itself in the others, Arabic reads right to left, and the API answers in the client's."""

import re
from html.parser import HTMLParser

import pytest

from tests.factories import CaseStudyFactory, CountryFactory

pytestmark = pytest.mark.django_db

LANGUAGES = ["ar", "zh-hans", "en", "fr", "ru", "es"]


class Links(HTMLParser):
    """The page's <html> attributes, its hreflang alternates and its language switcher."""

    def __init__(self):
        super().__init__()
        self.html, self.alternates, self.switcher = {}, {}, []
        self._in_switcher = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "html":
            self.html = attrs
        elif tag == "link" and attrs.get("rel") == "alternate" and "hreflang" in attrs:
            self.alternates[attrs["hreflang"]] = attrs["href"]
        elif tag == "nav" and attrs.get("class") == "languages":
            self._in_switcher = True
        elif tag == "a" and self._in_switcher:
            self.switcher.append(attrs)

    def handle_endtag(self, tag):
        if tag == "nav":
            self._in_switcher = False


def links(response):
    parser = Links()
    parser.feed(response.content.decode())
    return parser


def test_english_has_no_prefix_and_every_other_language_its_own(client):
    for code in LANGUAGES:
        prefix = "" if code == "en" else f"/{code}"
        response = client.get(f"{prefix}/cases/")
        assert response.status_code == 200, code
        assert response["Content-Language"] == code
        page = links(response)
        assert page.html["lang"] == code
        assert page.html["dir"] == ("rtl" if code == "ar" else "ltr")


def test_an_address_without_prefix_is_english_whatever_the_browser_asks(client):
    response = client.get("/cases/", HTTP_ACCEPT_LANGUAGE="fr,ar;q=0.8")
    assert response["Content-Language"] == "en"
    assert links(response).html["lang"] == "en"
    # One address, one language: caches need not keep a copy per Accept-Language.
    assert "Accept-Language" not in response.get("Vary", "")


def test_an_address_with_en_leads_to_the_english_page_and_nowhere_else(client):
    response = client.get("/en/cases/?q=tax&page=2")
    assert response.status_code == 301
    assert response["Location"] == "/cases/?q=tax&page=2"
    assert client.get("/en//evil.example/")["Location"] == "/evil.example/"
    assert client.get("/en/\\evil.example/")["Location"] == "/evil.example/"


def test_the_switcher_and_the_alternates_lead_to_this_page_with_its_query_in_each_language(
    client,
):
    country = CountryFactory()
    CaseStudyFactory(published=True, country=country)
    query = f"?q=tax&country={country.iso3}"
    page = links(client.get(f"/fr/cases/{query}"))
    assert [(a["hreflang"], a["href"]) for a in page.switcher] == [
        (code, f"{'' if code == 'en' else '/' + code}/cases/{query}") for code in LANGUAGES
    ]
    current = [a["hreflang"] for a in page.switcher if a.get("aria-current") == "true"]
    assert current == ["fr"]
    # Each language's name is written in that language, and marked as such.
    names = {a["lang"]: a for a in page.switcher}
    assert set(names) == set(LANGUAGES)
    assert names["ar"]["dir"] == "rtl"
    assert page.alternates == {
        **{
            code: f"http://testserver{'' if code == 'en' else '/' + code}/cases/{query}"
            for code in LANGUAGES
        },
        "x-default": f"http://testserver/cases/{query}",
    }


def test_a_detail_page_links_to_itself_in_every_language(client):
    case = CaseStudyFactory(published=True)
    english = case.get_absolute_url()
    page = links(client.get(f"/ru{english}"))
    assert page.alternates["ru"] == f"http://testserver/ru{english}"
    assert page.alternates["en"] == f"http://testserver{english}"


def test_a_missing_page_is_answered_in_its_language_with_links_to_each_home(client):
    response = client.get("/ar/no-such-page/")
    assert response.status_code == 404
    page = links(response)
    assert (page.html["lang"], page.html["dir"]) == ("ar", "rtl")
    assert [a["href"] for a in page.switcher] == [
        "/ar/",
        "/zh-hans/",
        "/",
        "/fr/",
        "/ru/",
        "/es/",
    ]


def test_the_api_answers_in_the_language_the_client_asks_for(client):
    response = client.get("/api/v1/cases/", HTTP_ACCEPT_LANGUAGE="fr-CH, fr;q=0.9, en;q=0.8")
    assert response.status_code == 200
    assert response["Content-Language"] == "fr"
    assert "Accept-Language" in response["Vary"]
    assert client.get("/api/v1/cases/")["Content-Language"] == "en"


def test_the_admin_sign_in_follows_the_browser_language(client):
    response = client.get("/admin/login/", HTTP_ACCEPT_LANGUAGE="es")
    assert response["Content-Language"] == "es"
    assert re.search(r'<html lang="es"', response.content.decode())
