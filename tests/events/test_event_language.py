"""An event records the language its title and summary are written in: its pages and lists
mark the original with it, a translation is into another language, and the API, the open
data and the imports carry it."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.translation import override

from events.models import Event, EventTranslation
from events.services import EventError, save_event, save_event_translation
from events.translations import show_events
from tests.admin.test_admin_translations import event_form
from tests.factories import EditorFactory, EventFactory
from tests.imports.sheets import write
from tests.pages import html_of, url_in
from tests.translation_factories import EventTranslationFactory

pytestmark = pytest.mark.django_db

FRENCH_TITLE = "Atelier régional sur l'identité numérique"
ENGLISH_TITLE = "Regional workshop on digital identity"


@pytest.fixture
def event():
    """A public event written in French, translated into English."""
    event = EventFactory(
        title=FRENCH_TITLE,
        slug="atelier-identite",
        summary="Les pays partagent leurs pratiques.",
        language="fr",
    )
    EventTranslationFactory(
        event=event,
        language="en",
        title=ENGLISH_TITLE,
        summary="Countries share their practices.",
    )
    return event


def translation_queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        html = html_of(client, url)
    return html, sum("events_eventtranslation" in q["sql"] for q in captured.captured_queries)


# --- Lists -----------------------------------------------------------------------------------


def test_an_english_page_lists_a_french_event_by_its_english_translation(client, event):
    html = html_of(client, url_in("en", "events:list", query="?when=past"))
    # In the page's language: no lang of its own.
    assert f'<a href="{event.get_absolute_url()}">{ENGLISH_TITLE}</a>' in html
    assert "Atelier régional" not in html


def test_a_french_page_lists_french_events_without_reading_translations(client, event):
    EventFactory(language="fr", title="Forum sur l'administration en ligne")
    url = url_in("fr", "events:list", query="?when=past")
    client.get(url)  # whatever is kept, kept

    html, queries = translation_queries(client, url)

    with override("fr"):
        event_url = event.get_absolute_url()
    assert f'<a href="{event_url}">Atelier régional sur l&#x27;identité numérique</a>' in html
    assert ENGLISH_TITLE not in html
    assert queries == 0  # every event is written in the page's language


def test_a_list_reads_the_translations_once_when_an_event_is_in_another_language(client, event):
    EventFactory(language="en", title="Forum on e-government")
    html, queries = translation_queries(client, url_in("fr", "events:list", query="?when=past"))
    assert queries == 1
    assert 'lang="en" dir="auto">Forum on e-government</a>' in html


def test_a_page_in_a_third_language_marks_the_original_with_its_language(client, event):
    html = html_of(client, url_in("es", "events:list", query="?when=past"))
    with override("es"):
        event_url = event.get_absolute_url()
    assert f'<a href="{event_url}" lang="fr" dir="auto">Atelier régional' in html


def test_shown_is_the_original_in_the_events_language_or_the_translation(event):
    english = EventFactory(language="en")
    with override("en"):
        french, other = show_events([event, english])
    assert (french.shown.title, french.shown.language, french.shown.translated) == (
        ENGLISH_TITLE,
        "en",
        True,
    )
    assert (other.shown.language, other.shown.translated) == ("en", False)
    with override("ru"):
        (french,) = show_events([Event.objects.get(pk=event.pk)])
    assert (french.shown.title, french.shown.language) == (FRENCH_TITLE, "fr")


# --- The event's pages -------------------------------------------------------------------


def test_the_english_page_of_a_french_event_shows_its_translation_from_french(client, event):
    html = html_of(client, url_in("en", "events:detail", event.slug))
    assert f"<h1>{ENGLISH_TITLE}</h1>" in html
    assert "Translated from French" in html
    assert '?original" hreflang="fr"' in html


def test_the_original_of_a_french_event_is_marked_french(client, event):
    html = html_of(client, url_in("en", "events:detail", event.slug, query="?original"))
    assert '<h1 lang="fr" dir="ltr">Atelier régional sur l&#x27;identité numérique</h1>' in html
    assert "This is the original text, in French." in html
    assert '<section aria-labelledby="about-h" lang="fr"' in html


def test_the_french_page_of_a_french_event_shows_it_as_written(client, event):
    html = html_of(client, url_in("fr", "events:detail", event.slug))
    assert "<h1>Atelier régional sur l&#x27;identité numérique</h1>" in html
    assert "translation-notice" not in html
    # Also in English, its translation.
    assert 'hreflang="en" lang="en">English</a>' in html


def test_the_programme_marks_the_title_with_the_events_language(client, event):
    html = html_of(client, url_in("en", "events:programme", event.slug))
    assert (
        '<span lang="fr" dir="auto">Atelier régional sur l&#x27;identité numérique</span>' in html
    )
    french = html_of(client, url_in("fr", "events:programme", event.slug))
    assert "<span>Atelier régional sur l&#x27;identité numérique</span>" in french


def test_the_calendar_says_the_language_of_the_text_it_gives(client, event):
    french = client.get(url_in("fr", "events:ical", event.slug)).content.decode()
    assert "SUMMARY;LANGUAGE=fr:Atelier régional" in french
    english = client.get(url_in("en", "events:ical", event.slug)).content.decode()
    assert f"SUMMARY:{ENGLISH_TITLE}" in english


# --- Translations into another language only ----------------------------------------------


def test_a_translation_into_the_events_own_language_is_refused():
    event = EventFactory(language="fr")
    with pytest.raises(EventError, match="The event is written in French: translate it"):
        save_event_translation(
            event=event, language="fr", data={"title": "Atelier"}, user=EditorFactory()
        )
    assert not EventTranslation.objects.exists()


def test_a_french_event_may_be_translated_into_english():
    event = EventFactory(language="fr")
    translation = save_event_translation(
        event=event, language="en", data={"title": "Workshop"}, user=EditorFactory()
    )
    assert (translation.language, translation.title) == ("en", "Workshop")


def test_an_event_cannot_be_said_written_in_a_language_it_is_translated_into(event):
    with pytest.raises(EventError, match="The event has a translation into English"):
        save_event(user=EditorFactory(), event=event, data={"language": "en"})
    event.refresh_from_db()
    assert event.language == "fr"


def test_the_event_form_sets_the_language_and_refuses_a_translation_into_it(client):
    editor = EditorFactory()
    client.force_login(editor)
    event = EventFactory()
    data = event_form(client, event) | {
        "language": "fr",
        "translations-TOTAL_FORMS": 1,
        "translations-0-language": "fr",
        "translations-0-title": "Atelier",
    }
    url = reverse("admin:events_event_change", args=[event.pk])

    response = client.post(url, data)

    assert response.status_code == 200
    assert "The event is written in French: translate it into another language." in (
        response.content.decode()
    )
    assert not EventTranslation.objects.exists()

    data["translations-0-language"] = "en"
    assert client.post(url, data).status_code == 302
    event.refresh_from_db()
    assert event.language == "fr"
    assert list(EventTranslation.objects.values_list("language", flat=True)) == ["en"]


# --- API, open data, imports ----------------------------------------------------------------


def test_the_api_gives_the_events_language(client, event):
    listed = client.get(reverse("api-v1:event-list")).json()["results"]
    assert [(e["slug"], e["language"]) for e in listed] == [(event.slug, "fr")]
    detail = client.get(reverse("api-v1:event-detail", args=[event.slug])).json()
    assert detail["language"] == "fr"
    response = client.get(reverse("api-v1:event-list"), {"format": "csv"})
    csv = b"".join(response.streaming_content).decode().lstrip("\ufeff")
    assert csv.splitlines()[0].startswith("slug,title,language,")


def run_import(path, editor):
    out = StringIO()
    call_command("import_data", "events", str(path), "--as", editor.email, stdout=out)
    return out.getvalue()


HEADERS = ("Title", "Kind", "Start", "End", "Language")


def test_an_import_reads_the_language_by_code_or_name(tmp_path):
    editor = EditorFactory()
    rows = [
        ("Atelier", "workshop", "2025-03-04 09:00:00", "2025-03-06 17:00:00", "fr"),
        ("Taller", "workshop", "2025-04-04 09:00:00", "2025-04-06 17:00:00", "spanish"),
        ("Workshop", "workshop", "2025-05-04 09:00:00", "2025-05-06 17:00:00", ""),
    ]
    report = run_import(write(tmp_path, "events.csv", HEADERS, rows), editor)
    assert "3 rows: 3 created" in report
    assert dict(Event.objects.values_list("title", "language")) == {
        "Atelier": "fr",
        "Taller": "es",
        "Workshop": "en",
    }


def test_an_import_refuses_a_row_in_an_unknown_language(tmp_path):
    editor = EditorFactory()
    rows = [("Werkstatt", "workshop", "2025-03-04 09:00:00", "2025-03-06 17:00:00", "de")]
    out = StringIO()
    with pytest.raises(CommandError):
        call_command(
            "import_data",
            "events",
            str(write(tmp_path, "events.csv", HEADERS, rows)),
            "--as",
            editor.email,
            stdout=out,
        )
    assert 'Column "language": "de" is not one of: Arabic, Chinese, English' in out.getvalue()
    assert not Event.objects.exists()
