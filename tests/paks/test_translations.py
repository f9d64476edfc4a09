"""Translations of cases: who may write, submit, publish, return and delete them."""

import pytest

from events.models import EventTranslation
from events.services import EventError, save_event_translation
from paks.models import CaseComment, CaseStudy, CaseTranslation
from paks.services import InvalidTransition, NotAllowed, Refused, ServiceError, update_case
from paks.translations import (
    StaleTranslation,
    delete_case_translation,
    publish_case_translation,
    return_case_translation,
    save_case_translation,
    submit_case_translation,
)
from tests.factories import (
    CaseStudyFactory,
    EditorFactory,
    EventFactory,
    FocalPointFactory,
    UserFactory,
)
from tests.translation_factories import CaseTranslationFactory

pytestmark = pytest.mark.django_db

FRENCH = {
    "title": "Centres numériques",
    "summary": "Des services publics près de chez soi.",
    "challenge": "Des trajets de plusieurs jours.",
}


def test_focal_point_translates_its_countrys_case_into_french():
    focal = FocalPointFactory()
    case = CaseStudyFactory(country=focal.country, language="en")

    translation = save_case_translation(case=case, language="fr", data=FRENCH, user=focal.user)

    assert translation.status == CaseTranslation.Status.DRAFT
    assert translation.translated_by == focal.user
    assert translation.version == 1
    assert list(case.translations.values_list("language", "title")) == [
        ("fr", "Centres numériques")
    ]


@pytest.mark.parametrize("status", [s for s, _label in CaseStudy.Status.choices])
def test_focal_point_translates_its_countrys_case_whatever_the_cases_status(status):
    focal = FocalPointFactory()
    case = CaseStudyFactory(country=focal.country, status=status, published_at="2024-01-01T00:00Z")

    save_case_translation(case=case, language="es", data=FRENCH, user=focal.user)

    assert case.translations.count() == 1


def test_focal_point_cannot_translate_another_countrys_case():
    focal = FocalPointFactory()
    case = CaseStudyFactory()

    with pytest.raises(NotAllowed):
        save_case_translation(case=case, language="fr", data=FRENCH, user=focal.user)

    assert not CaseTranslation.objects.exists()


@pytest.mark.parametrize("who", ["anonymous", "signed in, no country"])
def test_people_without_a_role_cannot_translate(who):
    from django.contrib.auth.models import AnonymousUser

    user = AnonymousUser() if who == "anonymous" else UserFactory()
    case = CaseStudyFactory(status=CaseStudy.Status.PUBLISHED, published_at="2024-01-01T00:00Z")

    with pytest.raises(NotAllowed):
        save_case_translation(case=case, language="fr", data=FRENCH, user=user)

    assert not CaseTranslation.objects.exists()


def test_editor_translates_any_case():
    case = CaseStudyFactory()

    translation = save_case_translation(case=case, language="ar", data=FRENCH, user=EditorFactory())

    assert translation.language == "ar"


def test_a_translation_into_the_cases_own_language_is_refused():
    focal = FocalPointFactory()
    case = CaseStudyFactory(country=focal.country, language="fr")

    with pytest.raises(Refused) as refused:
        save_case_translation(case=case, language="fr", data=FRENCH, user=focal.user)

    assert refused.value.field == "language"
    assert "written in French" in str(refused.value)
    assert not CaseTranslation.objects.exists()


def test_a_case_cannot_say_it_is_written_in_a_language_it_has_a_translation_into():
    focal = FocalPointFactory()
    case = CaseStudyFactory(country=focal.country, language="en")
    CaseTranslationFactory(case=case, language="fr")

    with pytest.raises(Refused) as refused:
        update_case(
            case=case, user=focal.user, data={"language": "fr"}, expected_version=case.version
        )

    assert refused.value.field == "language"
    assert "translation into French" in str(refused.value)
    case.refresh_from_db()
    assert (case.language, case.version) == ("en", 1)


def test_a_language_the_portal_does_not_have_is_refused():
    case = CaseStudyFactory()

    with pytest.raises(Refused, match="“de” is not one of the portal's languages"):
        save_case_translation(case=case, language="de", data=FRENCH, user=EditorFactory())


def test_a_save_on_top_of_a_newer_version_is_refused_and_changes_nothing():
    focal = FocalPointFactory()
    translation = CaseTranslationFactory(case__country=focal.country)
    save_case_translation(
        case=translation.case,
        language="fr",
        data={"title": "Première correction"},
        user=focal.user,
        expected_version=1,
    )

    with pytest.raises(StaleTranslation) as stale:
        save_case_translation(
            case=translation.case,
            language="fr",
            data={"title": "Seconde correction"},
            user=focal.user,
            expected_version=1,
        )

    assert stale.value.current.version == 2
    translation.refresh_from_db()
    assert (translation.title, translation.version) == ("Première correction", 2)


def test_adding_a_translation_that_someone_already_added_is_a_conflict():
    focal = FocalPointFactory()
    translation = CaseTranslationFactory(case__country=focal.country, title="La leur")

    with pytest.raises(StaleTranslation):
        save_case_translation(
            case=translation.case, language="fr", data={"title": "La mienne"}, user=focal.user
        )

    translation.refresh_from_db()
    assert translation.title == "La leur"


def test_focal_point_cannot_change_a_published_translation_in_place():
    focal = FocalPointFactory()
    translation = CaseTranslationFactory(case__country=focal.country, published=True)

    with pytest.raises(InvalidTransition, match="published"):
        save_case_translation(
            case=translation.case,
            language="fr",
            data={"title": "Autre"},
            user=focal.user,
            expected_version=1,
        )

    translation.refresh_from_db()
    assert translation.status == CaseTranslation.Status.PUBLISHED
    assert translation.title != "Autre"


def test_focal_point_changes_a_published_translation_by_taking_it_back_to_draft():
    focal = FocalPointFactory()
    translation = CaseTranslationFactory(case__country=focal.country, published=True)

    translation = save_case_translation(
        case=translation.case,
        language="fr",
        data={"title": "Autre"},
        user=focal.user,
        expected_version=1,
        withdraw=True,
    )

    assert (translation.status, translation.published_at) == ("draft", None)
    assert translation.title == "Autre"


def test_editor_corrects_a_published_translation_which_stays_published():
    translation = CaseTranslationFactory(published=True)

    translation = save_case_translation(
        case=translation.case,
        language="fr",
        data={"title": "Corrigé"},
        user=EditorFactory(),
        expected_version=1,
    )

    assert translation.status == CaseTranslation.Status.PUBLISHED
    assert translation.title == "Corrigé"


def test_focal_point_cannot_change_a_translation_waiting_for_review():
    focal = FocalPointFactory()
    translation = CaseTranslationFactory(case__country=focal.country, submitted=True)

    with pytest.raises(InvalidTransition, match="waiting for review"):
        save_case_translation(
            case=translation.case,
            language="fr",
            data={"title": "Autre"},
            user=focal.user,
            expected_version=1,
        )


def test_the_whole_review_of_a_translation():
    focal = FocalPointFactory()
    editor = EditorFactory()
    translation = CaseTranslationFactory(case__country=focal.country)

    translation = submit_case_translation(translation=translation, user=focal.user)
    assert (translation.status, translation.version) == ("submitted", 2)

    translation = return_case_translation(
        translation=translation, editor=editor, comment="Traduire aussi les résultats."
    )
    assert (translation.status, translation.version) == ("draft", 3)
    remark = CaseComment.objects.get(case=translation.case)
    assert remark.body == "Translation into French: Traduire aussi les résultats."
    assert remark.author == editor

    translation = submit_case_translation(translation=translation, user=focal.user)
    translation = publish_case_translation(translation=translation, editor=editor)
    assert translation.status == CaseTranslation.Status.PUBLISHED
    assert translation.published_at is not None


def test_focal_point_cannot_submit_another_countrys_translation():
    translation = CaseTranslationFactory()

    with pytest.raises(NotAllowed):
        submit_case_translation(translation=translation, user=FocalPointFactory().user)

    translation.refresh_from_db()
    assert translation.status == CaseTranslation.Status.DRAFT


def test_only_editors_publish_and_return_translations():
    focal = FocalPointFactory()
    translation = CaseTranslationFactory(case__country=focal.country, submitted=True)

    with pytest.raises(NotAllowed):
        publish_case_translation(translation=translation, editor=focal.user)
    with pytest.raises(NotAllowed):
        return_case_translation(translation=translation, editor=focal.user, comment="Non.")

    translation.refresh_from_db()
    assert translation.status == CaseTranslation.Status.SUBMITTED


def test_returning_a_translation_needs_a_comment():
    translation = CaseTranslationFactory(submitted=True)

    with pytest.raises(ServiceError, match="comment is required"):
        return_case_translation(translation=translation, editor=EditorFactory(), comment=" ")


def test_publishing_a_published_translation_is_refused():
    translation = CaseTranslationFactory(published=True)

    with pytest.raises(InvalidTransition, match="Cannot publish a translation that is published"):
        publish_case_translation(translation=translation, editor=EditorFactory())


def test_focal_point_deletes_a_draft_translation_but_not_a_published_one():
    focal = FocalPointFactory()
    draft = CaseTranslationFactory(case__country=focal.country, language="es")
    published = CaseTranslationFactory(case=draft.case, language="fr", published=True)

    delete_case_translation(translation=draft, user=focal.user, expected_version=1)
    with pytest.raises(InvalidTransition):
        delete_case_translation(translation=published, user=focal.user)

    assert list(CaseTranslation.objects.values_list("language", flat=True)) == ["fr"]


def test_editor_deletes_a_published_translation():
    translation = CaseTranslationFactory(published=True)

    delete_case_translation(translation=translation, user=EditorFactory())

    assert not CaseTranslation.objects.exists()


def test_editor_saves_an_event_translation_and_saving_again_changes_it():
    event = EventFactory()
    editor = EditorFactory()

    save_event_translation(event=event, language="fr", data={"title": "Atelier"}, user=editor)
    save_event_translation(
        event=event, language="fr", data={"title": "Atelier régional"}, user=editor
    )

    assert list(EventTranslation.objects.values_list("language", "title", "translated_by")) == [
        ("fr", "Atelier régional", editor.pk)
    ]


def test_only_editors_translate_events_and_never_into_english():
    event = EventFactory()

    with pytest.raises(EventError):
        save_event_translation(
            event=event, language="fr", data={"title": "x"}, user=FocalPointFactory().user
        )
    with pytest.raises(EventError, match="The event is written in English"):
        save_event_translation(
            event=event, language="en", data={"title": "x"}, user=EditorFactory()
        )

    assert not EventTranslation.objects.exists()
