"""Published translations are searched with their case: a French query finds a case through
its French translation, once the editors publish it, and only once."""

import pytest

from paks.search import CaseSearch, search_cases
from paks.translations import (
    publish_case_translation,
    return_case_translation,
    save_case_translation,
    submit_case_translation,
)
from tests.factories import CaseStudyFactory, EditorFactory, FocalPointFactory

pytestmark = pytest.mark.django_db

FRENCH = {
    "title": "Guichets numériques communautaires",
    "summary": "Des entrepreneurs tiennent des kiosques dans chaque commune.",
    "solution": "Les kiosques délivrent des actes de naissance.",
}


def found(q):
    return [hit.case.pk for hit in search_cases(CaseSearch.from_params({"q": q})).hits]


def test_a_french_query_finds_a_case_through_its_french_translation_once_published(
    django_capture_on_commit_callbacks,
):
    focal, editor = FocalPointFactory(), EditorFactory()
    case = CaseStudyFactory(
        published=True, country=focal.country, title="Zanzibar kiosk network", language="en"
    )
    CaseStudyFactory(published=True, title="Harbour permits")
    with django_capture_on_commit_callbacks(execute=True):
        translation = save_case_translation(case=case, language="fr", data=FRENCH, user=focal.user)
        translation = submit_case_translation(translation=translation, user=focal.user)
    assert found("guichets") == []  # a draft or submitted translation is not searched

    with django_capture_on_commit_callbacks(execute=True):
        translation = publish_case_translation(translation=translation, editor=editor)

    assert found("guichets") == [case.pk]  # its title
    assert found("kiosques commune") == [case.pk]  # its summary
    assert found("actes de naissance") == [case.pk]  # a section, as a phrase
    assert found("zanzibar") == [case.pk]  # the original still, and the case once

    with django_capture_on_commit_callbacks(execute=True):
        return_case_translation(translation=translation, editor=editor, comment="À revoir.")

    assert found("guichets") == []


def test_a_published_translation_of_an_unpublished_case_is_not_searched(
    django_capture_on_commit_callbacks,
):
    editor = EditorFactory()
    case = CaseStudyFactory(title="Union digital centres")
    with django_capture_on_commit_callbacks(execute=True):
        translation = save_case_translation(case=case, language="fr", data=FRENCH, user=editor)
        publish_case_translation(translation=translation, editor=editor)

    assert found("guichets") == []
