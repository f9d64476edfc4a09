"""Every page in the six UN languages: the address names the language, each page links to
itself in the others, Arabic reads right to left, and the API answers in the client's."""

import datetime
import re
from html.parser import HTMLParser

import pytest
from django.utils import translation

from paks.search.index import reindex_case
from tests.factories import (
    CaseStudyFactory,
    CountryFactory,
    EventFactory,
    SDGFactory,
    ThemeFactory,
)

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


def in_language(code, text, **values):
    """A catalogue's translation, as the page in that language writes it."""
    with translation.override(code):
        translated = translation.gettext(text)
    assert translated != text or code == "en", f"{text!r} has no {code} translation"
    return translated % values if values else translated


def test_the_interface_speaks_each_language(client):
    for code in LANGUAGES:
        prefix = "" if code == "en" else f"/{code}"
        page = client.get(f"{prefix}/cases/").content.decode()
        assert in_language(code, "Good practices") in page
        assert in_language(code, "Skip to main content") in page


def test_countries_and_regions_are_named_by_cldr_in_each_language(client):
    uganda = CountryFactory(
        iso3="UGA",
        iso2="UG",
        name="Uganda",
        region_code="002",
        region_name="Africa",
        subregion_code="014",
        subregion_name="Eastern Africa",
    )
    CaseStudyFactory(published=True, country=uganda, title="Mobile birth registration")
    names = {"fr": "Ouganda", "ar": "أوغندا", "zh-hans": "乌干达", "ru": "Уганда", "es": "Uganda"}
    for code, name in names.items():
        page = client.get(f"/{code}/countries/uga/").content.decode()
        assert f"<h1>{name}</h1>" in page
    french = client.get("/fr/countries/uga/").content.decode()
    assert "Afrique orientale" in french
    assert "Afrique" in client.get("/fr/countries/").content.decode()
    # The search's filters and results name it the same way.
    results = client.get("/fr/cases/?country=UGA").content.decode()
    assert "Ouganda" in results
    assert "Uganda" not in results.replace("?country=UGA", "")
    # The English page keeps M49's name.
    assert "<h1>Uganda</h1>" in client.get("/countries/uga/").content.decode()
    # The API names the country in all six, whatever the client's language.
    names_in_api = client.get("/api/v1/countries/UGA/", HTTP_ACCEPT_LANGUAGE="fr").json()["names"]
    assert names_in_api == {**names, "en": "Uganda"}


def test_a_case_is_found_by_its_country_in_any_of_the_six_languages(client):
    uganda = CountryFactory(iso3="UGA", iso2="UG", name="Uganda")
    CaseStudyFactory(published=True, country=uganda, title="Mobile birth registration")
    for name in ("Ouganda", "أوغندا", "乌干达", "Уганда"):
        page = client.get("/cases/", {"q": name}).content.decode()
        assert "Mobile birth registration" in page, name


def test_themes_and_goals_are_shown_in_the_visitors_language(client):
    theme = ThemeFactory(
        name="E-government",
        slug="e-government",
        translations={"fr": {"name": "Administration en ligne", "description": "Les TIC."}},
    )
    sdg = SDGFactory(
        number=1,
        short_title="No poverty",
        title="End poverty in all its forms everywhere",
        translations={"fr": {"short_title": "Pas de pauvreté", "title": "Éliminer la pauvreté"}},
    )
    case = CaseStudyFactory(published=True)
    case.themes.set([theme])
    case.sdgs.set([sdg])
    reindex_case(case_id=case.pk)
    assert "Administration en ligne" in client.get("/fr/themes/").content.decode()
    assert "Les TIC." in client.get("/fr/themes/e-government/").content.decode()
    assert "Éliminer la pauvreté" in client.get("/fr/sdgs/1/").content.decode()
    facets = client.get("/fr/cases/").content.decode()
    assert "Administration en ligne" in facets and "Pas de pauvreté" in facets
    # Without a translation, the English name.
    assert "E-government" in client.get("/es/themes/").content.decode()
    # A query in French finds the theme's cases.
    assert client.get("/cases/", {"q": "administration en ligne"}).context["results"].total == 1


def test_the_taxonomy_files_carry_every_goal_and_theme_in_the_five_other_languages():
    from taxonomy.models import SDG, Theme
    from taxonomy.reference import load_sdgs, load_themes

    load_sdgs()
    load_themes()
    for row in [*SDG.objects.all(), *Theme.objects.all()]:
        assert set(row.translations) == set(LANGUAGES) - {"en"}, row
    with translation.override("fr"):
        assert SDG.objects.get(number=1).local_short_title == "Pas de pauvreté"
    with translation.override("zh-hans"):
        assert Theme.objects.get(slug="e-government").local_name == "电子政务"


def test_dates_are_written_as_each_language_writes_them(client):
    event = EventFactory(
        start=datetime.datetime(2026, 12, 7, 1, tzinfo=datetime.UTC),
        end=datetime.datetime(2026, 12, 9, 8, tzinfo=datetime.UTC),
    )
    path = event.get_absolute_url()
    assert "7 December 2026" in client.get(path).content.decode()
    assert "décembre 2026" in client.get(f"/fr{path}").content.decode()
    assert "2026年12月7日" in client.get(f"/zh-hans{path}").content.decode()
    assert "декабря 2026" in client.get(f"/ru{path}").content.decode()


def test_an_api_error_is_explained_in_the_clients_language(client):
    english = client.get("/api/v1/cases/?year=abc").json()
    french = client.get("/api/v1/cases/?year=abc", HTTP_ACCEPT_LANGUAGE="fr").json()
    assert english.keys() == french.keys()
    assert english != french
