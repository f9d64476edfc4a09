"""Case and event pages in the reader's language: a published translation with a notice and
a way to the original, the original marked with its language, and links to translations."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import override

from tests.factories import (
    CaseStudyFactory,
    EditorFactory,
    EventFactory,
    FocalPointFactory,
    UserFactory,
)
from tests.pages import html_of
from tests.translation_factories import CaseTranslationFactory, EventTranslationFactory

pytestmark = pytest.mark.django_db

PUBLISHED_ON = datetime.datetime(2025, 3, 14, 12, tzinfo=datetime.UTC)


def published_case(**kwargs):
    kwargs.setdefault("title", "One-stop digital service centres")
    return CaseStudyFactory(published=True, language="en", **kwargs)


def french_page_of(thing):
    with override("fr"):
        return thing.get_absolute_url()


def test_french_readers_see_the_published_french_translation_with_a_notice(client):
    case = published_case()
    CaseTranslationFactory(
        case=case,
        published=True,
        published_at=PUBLISHED_ON,
        translated_by=UserFactory(first_name="Amina", last_name="Diallo"),
    )
    url = french_page_of(case)

    html = html_of(client, url)

    assert url.startswith("/fr/")
    assert "<h1>Centres de services numériques à guichet unique</h1>" in html
    assert "Les centres numériques rapprochent les services publics" in html
    body = html.split('id="main"')[1]  # the JSON-LD in the head describes the original
    assert "Union digital centres bring government services" not in body
    assert '<div class="case-content" lang="fr" dir="ltr">' in html
    notice = re.search(r'<p class="message translation-notice" role="note">(.*?)</p>', html, re.S)
    assert notice is not None
    assert "Amina Diallo" in notice.group(1)
    assert "14 mars 2025" in notice.group(1)
    assert f'href="{url}?original"' in notice.group(1)


def test_the_original_is_a_click_away_and_marked_with_its_language(client):
    case = published_case()
    CaseTranslationFactory(case=case, published=True)

    html = html_of(client, french_page_of(case) + "?original")

    assert '<h1 lang="en" dir="ltr">One-stop digital service centres</h1>' in html
    assert '<div class="case-content" lang="en" dir="ltr">' in html
    assert "Union digital centres bring government services" in html
    assert "Les centres numériques rapprochent" not in html
    assert f'href="{french_page_of(case)}" hreflang="fr"' in html  # back to the translation


@pytest.mark.parametrize("status", ["draft", "submitted"])
def test_an_unpublished_translation_is_never_shown(client, status):
    case = published_case()
    CaseTranslationFactory(case=case, status=status)

    html = html_of(client, french_page_of(case))

    assert '<h1 lang="en" dir="ltr">One-stop digital service centres</h1>' in html
    assert "Centres de services numériques" not in html
    assert "translation-notice" not in html
    assert "translation-links" not in html


@pytest.mark.parametrize(
    ("translator", "credit"),
    [
        (lambda: UserFactory(first_name="Amina", last_name="Diallo"), "by Amina Diallo on"),
        (lambda: EditorFactory(first_name="", last_name=""), "by the editors on"),
        (lambda: UserFactory(first_name="", last_name=""), "by a focal point on"),
        (lambda: None, "by the editors on"),
    ],
    ids=["named", "unnamed editor", "unnamed focal point", "account removed"],
)
def test_the_notice_credits_the_translator(client, translator, credit):
    case = CaseStudyFactory(published=True, language="fr", title="Guichet unique")
    CaseTranslationFactory(
        case=case,
        language="en",
        title="One-stop shop",
        published=True,
        published_at=PUBLISHED_ON,
        translated_by=translator(),
    )

    html = html_of(client, case.get_absolute_url())

    assert f"Translated from French {credit} 14 March 2025." in html
    assert "Read the original" in html


def test_where_there_is_no_translation_in_the_pages_language_the_others_are_listed(client):
    case = published_case()
    CaseTranslationFactory(case=case, language="fr", published=True)
    CaseTranslationFactory(case=case, language="es", published=True, title="Centros")
    CaseTranslationFactory(case=case, language="ar")  # a draft: not listed

    with override("ru"):
        html = html_of(client, case.get_absolute_url())

    assert '<h1 lang="en" dir="ltr">One-stop digital service centres</h1>' in html
    links = re.search(r'<p class="translation-links">(.*?)</p>', html, re.S)
    assert links is not None
    with override("fr"):
        french = case.get_absolute_url()
    with override("es"):
        spanish = case.get_absolute_url()
    assert f'<a href="{french}" hreflang="fr" lang="fr">Français</a>' in links.group(1)
    assert f'<a href="{spanish}" hreflang="es" lang="es">Español</a>' in links.group(1)
    assert "العربية" not in links.group(1)


def test_the_english_page_of_a_case_written_in_english_lists_its_translations(client):
    case = published_case()
    CaseTranslationFactory(case=case, language="zh-hans", published=True, title="一站式")

    html = html_of(client, case.get_absolute_url())

    assert "Also in:" in html
    assert 'hreflang="zh-hans" lang="zh-hans">简体中文' in html
    assert "一站式" not in html


def test_the_workspace_preview_still_shows_the_original(client):
    focal = FocalPointFactory()
    case = CaseStudyFactory(country=focal.country)
    client.force_login(focal.user)

    html = html_of(client, reverse("workspace:case-preview", args=[case.slug]))

    assert f"<h1>{case.title}</h1>" in html  # the page's own language


def test_french_readers_see_the_event_in_french_with_a_notice(client):
    event = EventFactory(is_public=True, summary="Countries share good practices.")
    EventTranslationFactory(
        event=event, translated_by=EditorFactory(first_name="Jean", last_name="Martin")
    )
    url = french_page_of(event)

    html = html_of(client, url)

    assert "<h1>Atelier régional sur l&#x27;administration en ligne</h1>" in html
    assert "Les pays partagent leurs bonnes pratiques." in html
    assert "Countries share good practices." not in html.split('id="main"')[1]
    assert "Jean Martin" in html
    assert f'href="{url}?original"' in html

    original = html_of(client, url + "?original")
    assert f'<h1 lang="en" dir="ltr">{event.title}</h1>' in original
    assert "Countries share good practices." in original


def test_an_event_without_a_translation_in_the_pages_language_lists_the_others(client):
    event = EventFactory(is_public=True, start=timezone.now())
    EventTranslationFactory(event=event, language="es", title="Taller regional")

    with override("fr"):
        html = html_of(client, event.get_absolute_url())

    assert f'<h1 lang="en" dir="ltr">{event.title}</h1>' in html
    assert 'hreflang="es" lang="es">Español</a>' in html


def test_the_case_page_reads_its_translations_in_one_query(client):
    one, five = published_case(), published_case(title="Harbour permits")
    CaseTranslationFactory(case=one, language="fr", published=True)
    for language in ("ar", "zh-hans", "fr", "ru", "es"):
        CaseTranslationFactory(case=five, language=language, published=True)

    counts = []
    for case in (one, five):
        client.get(french_page_of(case))  # warm: the kept counts and versions
        with CaptureQueriesContext(connection) as queries:
            html_of(client, french_page_of(case))
        counts.append(len(queries))

    assert counts[0] == counts[1]


def test_an_english_original_on_an_arabic_page_reads_left_to_right(client):
    case = published_case()

    with override("ar"):
        html = html_of(client, case.get_absolute_url())

    assert '<h1 lang="en" dir="ltr">One-stop digital service centres</h1>' in html
    assert '<div class="case-content" lang="en" dir="ltr">' in html
    assert '<h2 id="summary" lang="ar" dir="rtl">' in html
