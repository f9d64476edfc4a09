"""Lists in the reader's language: where a case or an event appears in a list, its published
translation into the page's language gives its title (and summary), marked with that
language; the original otherwise, marked with its own. The case page's JSON-LD and citation
describe the text it shows."""

import json
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.translation import override

from paks.search.index import reindex_cases
from tests.factories import (
    CaseStudyFactory,
    ContributionFactory,
    CountryFactory,
    EventFactory,
    EventOrganizerFactory,
    OrganizationFactory,
    ThemeFactory,
    UserFactory,
)
from tests.pages import html_of, url_in
from tests.translation_factories import CaseTranslationFactory, EventTranslationFactory

pytestmark = pytest.mark.django_db

FRENCH_TITLE = "Centres de services numériques à guichet unique"
FRENCH_SUMMARY = "Les centres numériques rapprochent les services publics des citoyens ruraux."


@pytest.fixture
def case():
    """An English case with a published French translation (and a draft Spanish one)."""
    theme = ThemeFactory()
    case = CaseStudyFactory(
        published=True, language="en", title="One-stop digital service centres", event=None
    )
    case.themes.add(theme)
    CaseTranslationFactory(case=case, language="fr", published=True)
    CaseTranslationFactory(case=case, language="es", title="Centros de servicios")
    reindex_cases([case.pk])
    return case


ENGLISH_TITLE = '<h3 lang="en" dir="auto"><a href="{url}">One-stop digital service centres</a>'


def pages_listing(case):
    """Every page that lists the case as a card (or a search result), by name."""
    return {
        "search": ("paks:case-list", ()),
        "home": ("paks:home", ()),
        "theme": ("paks:theme-detail", (case.themes.get().slug,)),
        "country": ("countries:detail", (case.country.iso3.lower(),)),
        "organization": ("countries:organization-detail", (case.organization.slug,)),
    }


@pytest.mark.parametrize("page", ["search", "home", "theme", "country", "organization"])
def test_lists_show_the_published_translation_in_the_pages_language(client, case, page):
    name, args = pages_listing(case)[page]
    with override("fr"):
        case_url = case.get_absolute_url()
    html = html_of(client, url_in("fr", name, *args))
    assert f'<h3 lang="fr" dir="auto"><a href="{case_url}">{FRENCH_TITLE}</a></h3>' in html
    assert f'<p lang="fr" dir="auto">{FRENCH_SUMMARY}</p>' in html
    assert "One-stop digital service centres" not in html


@pytest.mark.parametrize("page", ["search", "home", "theme", "country", "organization"])
def test_lists_show_the_original_where_no_translation_is_published(client, case, page):
    name, args = pages_listing(case)[page]
    for language in ("en", "es", "zh-hans"):  # its own; a draft; none at all
        with override(language):
            case_url = case.get_absolute_url()
        html = html_of(client, url_in(language, name, *args))
        assert ENGLISH_TITLE.format(url=case_url) in html, language
        assert FRENCH_TITLE not in html and "Centros de servicios" not in html


def test_a_case_written_in_the_pages_language_shows_its_original(client):
    case = CaseStudyFactory(published=True, language="fr", title="Guichet unique", event=None)
    CaseTranslationFactory(case=case, language="en", title="One-stop shop", published=True)
    html = html_of(client, url_in("fr", "paks:home"))
    assert '<h3 lang="fr" dir="auto"><a href="/fr/cases/' in html
    assert ">Guichet unique</a>" in html and "One-stop shop" not in html
    english = html_of(client, url_in("en", "paks:home"))
    assert '<h3 lang="en" dir="auto">' in english and ">One-stop shop</a>" in english


def test_a_search_keeps_the_original_snippet_where_it_marks_the_words_found(client, case):
    html = html_of(client, url_in("fr", "paks:case-list", query="?q=rural"))
    assert f">{FRENCH_TITLE}</a></h3>" in html
    # The words were found in the original: its snippet, marked, in its language.
    snippet = re.search(r'<p lang="(\w+)" dir="auto">([^\n]*<mark>[^\n]*)</p>', html)
    assert snippet and snippet.group(1) == "en"
    assert "rural" in snippet.group(2)


def test_a_search_found_through_the_translation_shows_its_summary(client, case):
    html = html_of(client, url_in("fr", "paks:case-list", query="?q=citoyens"))
    assert f">{FRENCH_TITLE}</a></h3>" in html
    assert f'<p lang="fr" dir="auto">{FRENCH_SUMMARY}</p>' in html


def test_the_event_page_lists_its_cases_and_presentations_translated(client, case):
    event = EventFactory(is_public=True)
    case.event = event
    case.save()
    ContributionFactory(event=event, case=case, published=True)
    html = html_of(client, url_in("fr", "events:detail", event.slug))
    assert f'<h3 lang="fr" dir="auto"><a href="/fr/cases/{case.slug}/">{FRENCH_TITLE}</a>' in html
    assert html.count(FRENCH_TITLE) >= 2  # the card and the presentation in the programme
    assert "One-stop digital service centres" not in html.split('id="main"')[1]


def test_the_cases_feed_is_in_the_feeds_language(client, case):
    xml = client.get(url_in("fr", "feed-cases-atom")).content.decode()
    assert f"<title>{FRENCH_TITLE} (" in xml
    assert FRENCH_SUMMARY in xml
    english = client.get(url_in("en", "feed-cases-atom")).content.decode()
    assert "<title>One-stop digital service centres (" in english


# --- Events --------------------------------------------------------------------------------


@pytest.fixture
def event():
    event = EventFactory(is_public=True, start=timezone.now(), summary="Countries share.")
    EventTranslationFactory(event=event, language="fr")
    return event


def test_event_lists_show_the_translation_in_the_pages_language(client, event):
    html = html_of(client, url_in("fr", "events:list"))
    with override("fr"):
        event_url = event.get_absolute_url()
    # In the page's language: no lang of its own.
    assert f'<a href="{event_url}">Atelier régional sur l&#x27;administration en ligne</a>' in html
    assert event.title not in html


def test_event_lists_mark_an_untranslated_title_with_the_original_language(client, event):
    html = html_of(client, url_in("es", "events:list"))
    with override("es"):
        event_url = event.get_absolute_url()
    assert f'<a href="{event_url}" lang="en" dir="auto">{event.title}</a>' in html
    english = html_of(client, url_in("en", "events:list"))
    assert f'<a href="{event.get_absolute_url()}">{event.title}</a>' in english


def test_the_organization_page_lists_its_events_translated(client, event):
    organization = OrganizationFactory()
    EventOrganizerFactory(event=event, organization=organization)
    html = html_of(client, url_in("fr", "countries:organization-detail", organization.slug))
    assert '/">Atelier régional sur l&#x27;administration en ligne</a>' in html
    assert event.title not in html


def test_the_events_feed_and_calendar_are_in_their_language(client, event):
    xml = client.get(url_in("fr", "feed-events-rss")).content.decode()
    assert "<title>Atelier régional sur l'administration en ligne</title>" in xml
    assert "Les pays partagent leurs bonnes pratiques." in xml
    ics = client.get(url_in("fr", "events:ical", event.slug)).content.decode()
    assert "SUMMARY;LANGUAGE=fr:Atelier régional sur l'administration en ligne" in ics
    english = client.get(url_in("en", "events:ical", event.slug)).content.decode()
    assert f"SUMMARY:{event.title}" in english


def test_an_event_list_reads_the_translations_in_one_query_and_none_in_english(client):
    for _ in range(3):
        EventTranslationFactory(event=EventFactory(is_public=True, country=CountryFactory()))

    def queries(language):
        with CaptureQueriesContext(connection) as captured:
            client.get(url_in(language, "events:list", query="?when=past"))
        return [q["sql"] for q in captured.captured_queries]

    client.get(url_in("fr", "events:list"))  # whatever is kept, kept
    english, french = queries("en"), queries("fr")
    assert len(french) == len(english) + 1
    assert not any("events_eventtranslation" in sql for sql in english)
    assert sum("events_eventtranslation" in sql for sql in french) == 1


@pytest.mark.parametrize("page", ["search", "home", "theme", "country", "organization"])
def test_a_case_list_reads_the_translations_in_one_query_and_none_in_the_cases_language(
    client, case, page
):
    name, args = pages_listing(case)[page]
    for _ in range(3):  # more English cases: still one query
        more = CaseStudyFactory(
            published=True,
            language="en",
            country=case.country,
            organization=case.organization,
            event=None,
        )
        more.themes.add(case.themes.get())
        CaseTranslationFactory(case=more, language="fr", published=True)
    reindex_cases(case.country.cases.values_list("pk", flat=True))

    def queries(language):
        with CaptureQueriesContext(connection) as captured:
            html_of(client, url_in(language, name, *args))
        return [q["sql"] for q in captured.captured_queries]

    queries("fr"), queries("en")  # whatever is kept, kept
    english, french = queries("en"), queries("fr")
    assert len(french) == len(english) + 1
    assert not any("paks_casetranslation" in sql for sql in english)
    assert sum("paks_casetranslation" in sql for sql in french) == 1


# --- The case page: JSON-LD and citation ---------------------------------------------------


def json_ld_of(html):
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert block
    return json.loads(block.group(1))


def test_a_translated_case_page_describes_the_translation_and_its_original(client, case):
    translation = case.translations.get(language="fr")
    translation.translated_by = UserFactory(first_name="Amina", last_name="Diallo")
    translation.save()
    with override("fr"):
        url = case.get_absolute_url()
    with override("en"):  # the original's page: in its own language
        original_url = case.get_absolute_url()
    html = html_of(client, url)
    data = json_ld_of(html)
    assert data["headline"] == data["name"] == FRENCH_TITLE
    assert data["inLanguage"] == "fr"
    assert data["abstract"] == FRENCH_SUMMARY
    assert data["url"] == "http://testserver" + url
    assert data["translator"] == {"@type": "Person", "name": "Amina Diallo"}
    assert data["translationOfWork"] == {
        "@type": "Article",
        "headline": "One-stop digital service centres",
        "name": "One-stop digital service centres",
        "inLanguage": "en",
        "url": "http://testserver" + original_url,
    }
    citation = re.search(r'<p class="citation">(.*?)</p>', html, re.S).group(1)
    assert (
        f"<cite>{FRENCH_TITLE}</cite>, traduit de l\u2019original (Anglais) par Amina Diallo."
        in (citation)
    )


def test_the_original_case_page_describes_the_original(client, case):
    with override("fr"):
        url = case.get_absolute_url() + "?original"
    html = html_of(client, url)
    data = json_ld_of(html)
    assert data["headline"] == "One-stop digital service centres"
    assert data["inLanguage"] == "en"
    assert "translationOfWork" not in data
    assert "<cite>One-stop digital service centres</cite>. Espace" in html


def test_a_citation_without_the_translators_name_says_where_it_was_translated_from(client, case):
    translation = case.translations.get(language="fr")
    translation.translated_by = None
    translation.save()
    case.organization = None
    case.save()
    with override("fr"):
        html = html_of(client, case.get_absolute_url())
    assert f"<cite>{FRENCH_TITLE}</cite>, traduit de l\u2019original (Anglais). Espace" in html
    assert "translator" not in json_ld_of(html)


def test_a_translated_event_page_names_the_event_in_its_language(client, event):
    with override("fr"):
        html = html_of(client, event.get_absolute_url())
    data = json_ld_of(html)
    assert data["name"] == "Atelier régional sur l'administration en ligne"
    assert data["description"] == "Les pays partagent leurs bonnes pratiques."
