"""A focal point translates its country's case from the workspace: the form, saving,
submitting, and the editors' verdict as the translator then sees it."""

import pytest
from django.urls import reverse
from django.utils.translation import override

from paks.models import CaseStudy, CaseTranslation
from paks.translations import publish_case_translation
from tests.factories import CaseStudyFactory, EditorFactory, FocalPointFactory
from tests.translation_factories import CaseTranslationFactory

pytestmark = pytest.mark.django_db

SPANISH = {
    "language": "es",
    "title": "Registros de tierras digitales",
    "summary": "Registros de tierras en línea en cada distrito.",
    "challenge": "Los registros en papel se perdían.",
    "solution": "",
    "results": "",
    "lessons_learned": "",
}


@pytest.fixture
def focal(client):
    focal = FocalPointFactory()
    client.force_login(focal.user)
    return focal


def test_a_focal_point_translates_submits_and_sees_the_translation_published(client, focal):
    case = CaseStudyFactory(country=focal.country, language="en", published=True)
    edit = reverse("workspace:case-edit", args=[case.slug])

    page = client.get(edit).content.decode()
    assert "Translations" in page
    assert "No translations yet." in page
    form_url = reverse("workspace:translation-create", args=[case.slug])
    assert form_url in page

    form = client.get(form_url)
    assert form.status_code == 200
    choices = [code for code, _name in form.context["form"].fields["language"].choices]
    assert choices == ["ar", "zh-hans", "fr", "ru", "es"]  # the five other languages

    saved = client.post(form_url, SPANISH | {"save": "1"}, follow=True)
    assert saved.redirect_chain[-1][0] == edit
    page = saved.content.decode()
    assert "The translation into Spanish is saved as a draft." in page
    assert "Registros de tierras digitales" in page
    translation = CaseTranslation.objects.get()
    assert (translation.language, translation.status, translation.translated_by) == (
        "es",
        "draft",
        focal.user,
    )

    edit_url = reverse("workspace:translation-edit", args=[case.slug, "es"])
    submitted = client.post(
        edit_url,
        SPANISH | {"title": "Registros digitales de tierras", "version": 1, "submit": "1"},
        follow=True,
    )
    assert "The translation into Spanish is submitted." in submitted.content.decode()
    translation.refresh_from_db()
    assert (translation.title, translation.status, translation.version) == (
        "Registros digitales de tierras",
        "submitted",
        3,
    )
    waiting = client.get(edit_url).content.decode()
    assert "This translation is waiting for review." in waiting
    assert 'name="submit"' not in waiting

    publish_case_translation(translation=translation, editor=EditorFactory())
    with override("es"):
        public = client.get(case.get_absolute_url()).content.decode()
    assert "<h1>Registros digitales de tierras</h1>" in public


def test_the_language_is_refused_when_it_is_the_cases_own(client, focal):
    case = CaseStudyFactory(country=focal.country, language="en")

    response = client.post(
        reverse("workspace:translation-create", args=[case.slug]), SPANISH | {"language": "en"}
    )

    assert response.status_code == 400
    assert not CaseTranslation.objects.exists()


def test_a_stale_save_shows_the_conflict_and_keeps_the_other_persons_text(client, focal):
    translation = CaseTranslationFactory(case__country=focal.country, language="es", version=2)
    url = reverse("workspace:translation-edit", args=[translation.case.slug, "es"])

    response = client.post(url, SPANISH | {"version": 1, "save": "1"})

    assert response.status_code == 400
    assert "Someone else saved this translation while you were editing it" in (
        response.content.decode()
    )
    translation.refresh_from_db()
    assert translation.title == "Centres de services numériques à guichet unique"


def test_a_published_translation_changes_only_when_the_focal_point_takes_it_back_to_draft(
    client, focal
):
    translation = CaseTranslationFactory(case__country=focal.country, language="es", published=True)
    url = reverse("workspace:translation-edit", args=[translation.case.slug, "es"])
    assert "This translation is published." in client.get(url).content.decode()

    refused = client.post(url, SPANISH | {"version": 1, "save": "1"})
    assert refused.status_code == 400
    translation.refresh_from_db()
    assert translation.status == "published"

    accepted = client.post(url, SPANISH | {"version": 1, "withdraw": "on", "save": "1"})
    assert accepted.status_code == 302
    translation.refresh_from_db()
    assert (translation.status, translation.title) == ("draft", SPANISH["title"])


def test_another_countrys_case_has_no_translation_pages(client, focal):
    other = CaseStudyFactory(status=CaseStudy.Status.PUBLISHED, published_at="2024-01-01T00:00Z")
    CaseTranslationFactory(case=other, language="es")

    assert client.get(reverse("workspace:translation-create", args=[other.slug])).status_code == 404
    assert (
        client.post(
            reverse("workspace:translation-edit", args=[other.slug, "es"]), SPANISH
        ).status_code
        == 404
    )
    assert CaseTranslation.objects.get().title == "Centres de services numériques à guichet unique"


def test_a_focal_point_deletes_its_draft_translation(client, focal):
    translation = CaseTranslationFactory(case__country=focal.country, language="ru")

    response = client.post(
        reverse("workspace:translation-delete", args=[translation.case.slug, "ru"]),
        {"version": 1},
        follow=True,
    )

    assert "The translation into Russian is deleted." in response.content.decode()
    assert not CaseTranslation.objects.exists()


def test_adding_a_language_already_translated_keeps_the_existing_translation(client, focal):
    translation = CaseTranslationFactory(case__country=focal.country, language="es")

    response = client.post(
        reverse("workspace:translation-create", args=[translation.case.slug]), SPANISH
    )

    assert response.status_code == 400
    assert "The case already has a translation into Spanish" in response.content.decode()
    translation.refresh_from_db()
    assert translation.title == "Centres de services numériques à guichet unique"
