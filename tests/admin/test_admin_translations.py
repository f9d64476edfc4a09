"""Translations in the admin: written, published and returned through the services."""

import pytest
from django.urls import reverse

from events.models import EventTranslation
from paks.models import CaseComment, CaseTranslation
from tests.factories import CaseStudyFactory, EditorFactory, EventFactory
from tests.translation_factories import CaseTranslationFactory, EventTranslationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(client):
    editor = EditorFactory()
    client.force_login(editor)
    return editor


def translation_form(translation, **changes):
    return {
        "title": translation.title,
        "summary": translation.summary,
        "challenge": translation.challenge,
        "solution": translation.solution,
        "results": translation.results,
        "lessons_learned": translation.lessons_learned,
        "seen_version": translation.version,
        "return_comment": "",
    } | changes


def test_the_list_filters_by_language_and_status(client, editor):
    CaseTranslationFactory(language="fr", title="Traduction soumise", submitted=True)
    CaseTranslationFactory(language="es", title="Traducción publicada", published=True)
    url = reverse("admin:paks_casetranslation_changelist")

    page = client.get(url, {"language": "fr", "status": "submitted"})

    assert page.status_code == 200
    assert "Traduction soumise" in page.content.decode()
    assert "Traducción publicada" not in page.content.decode()


def test_the_publish_action_publishes_submitted_translations_and_refuses_published_ones(
    client, editor
):
    submitted = CaseTranslationFactory(submitted=True)
    published = CaseTranslationFactory(published=True, language="es")

    response = client.post(
        reverse("admin:paks_casetranslation_changelist"),
        {"action": "publish", "_selected_action": [submitted.pk, published.pk]},
        follow=True,
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert "Published 1 translation(s)." in page
    assert "Cannot publish a translation that is published." in page
    submitted.refresh_from_db()
    assert (submitted.status, submitted.version) == ("published", 2)
    assert submitted.history.first().history_user == editor


def test_an_edit_in_the_admin_goes_through_the_service_and_counts_the_version(client, editor):
    translation = CaseTranslationFactory(published=True)
    url = reverse("admin:paks_casetranslation_change", args=[translation.pk])

    response = client.post(url, translation_form(translation, title="Titre corrigé"))

    assert response.status_code == 302
    translation.refresh_from_db()
    assert (translation.title, translation.version, translation.status) == (
        "Titre corrigé",
        2,
        "published",
    )


def test_a_stale_admin_edit_is_refused_on_the_form(client, editor):
    translation = CaseTranslationFactory()
    url = reverse("admin:paks_casetranslation_change", args=[translation.pk])

    response = client.post(url, translation_form(translation, title="Autre", seen_version=0))

    assert response.status_code == 200
    assert "Someone saved this translation after you opened it" in response.content.decode()
    translation.refresh_from_db()
    assert translation.version == 1


def test_returning_a_translation_with_a_comment_puts_it_back_to_draft(client, editor):
    translation = CaseTranslationFactory(submitted=True)
    url = reverse("admin:paks_casetranslation_change", args=[translation.pk])

    response = client.post(url, translation_form(translation, return_comment="Le résumé manque."))

    assert response.status_code == 302
    translation.refresh_from_db()
    assert translation.status == CaseTranslation.Status.DRAFT
    assert CaseComment.objects.get().body == "Translation into French: Le résumé manque."


def test_adding_a_translation_into_the_cases_own_language_is_refused_on_the_form(client, editor):
    case = CaseStudyFactory(language="fr")

    response = client.post(
        reverse("admin:paks_casetranslation_add"),
        {"case": case.pk, "language": "fr", "title": "Titre", "summary": "Résumé."},
    )

    assert response.status_code == 200
    assert "The case is written in French" in response.content.decode()
    assert not CaseTranslation.objects.exists()


def test_the_case_page_lists_its_translations(client, editor):
    translation = CaseTranslationFactory(title="Traduction française")

    page = client.get(reverse("admin:paks_casestudy_change", args=[translation.case.pk]))

    assert page.status_code == 200
    assert "Traduction française" in page.content.decode()


def event_form(client, event):
    page = client.get(reverse("admin:events_event_change", args=[event.pk]))
    form = page.context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and k in form.fields}
    data |= {
        "start_0": event.start.strftime("%Y-%m-%d"),
        "start_1": event.start.strftime("%H:%M:%S"),
        "end_0": event.end.strftime("%Y-%m-%d"),
        "end_1": event.end.strftime("%H:%M:%S"),
        "themes": [],
        "sdgs": [],
    }
    for formset in page.context["inline_admin_formsets"]:
        prefix = formset.formset.prefix
        data |= {f"{prefix}-TOTAL_FORMS": 0, f"{prefix}-INITIAL_FORMS": 0}
    return data


def test_the_event_page_saves_translations_through_the_service(client, editor):
    event = EventFactory()
    data = event_form(client, event) | {
        "translations-TOTAL_FORMS": 1,
        "translations-0-language": "es",
        "translations-0-title": "Taller regional",
        "translations-0-summary": "Los países comparten buenas prácticas.",
    }

    response = client.post(reverse("admin:events_event_change", args=[event.pk]), data)

    assert response.status_code == 302
    assert list(EventTranslation.objects.values_list("language", "title", "translated_by")) == [
        ("es", "Taller regional", editor.pk)
    ]


def test_the_event_page_refuses_an_english_translation(client, editor):
    event = EventFactory()
    data = event_form(client, event) | {
        "translations-TOTAL_FORMS": 1,
        "translations-0-language": "en",
        "translations-0-title": "Workshop",
    }

    response = client.post(reverse("admin:events_event_change", args=[event.pk]), data)

    assert response.status_code == 200
    assert "The event is written in English" in response.content.decode()
    assert not EventTranslation.objects.exists()


def test_the_event_page_deletes_a_translation_through_the_service(client, editor):
    translation = EventTranslationFactory()
    event = translation.event
    data = event_form(client, event) | {
        "translations-TOTAL_FORMS": 1,
        "translations-INITIAL_FORMS": 1,
        "translations-0-id": translation.pk,
        "translations-0-event": event.pk,
        "translations-0-language": "fr",
        "translations-0-title": translation.title,
        "translations-0-summary": translation.summary,
        "translations-0-DELETE": "on",
    }

    response = client.post(reverse("admin:events_event_change", args=[event.pk]), data)

    assert response.status_code == 302
    assert not EventTranslation.objects.exists()
