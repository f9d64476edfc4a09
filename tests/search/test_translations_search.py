"""Published translations are searched with their case: a French query finds a case through
its French translation, once the editors publish it, and only once."""

import pytest
from django.utils import translation

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


@pytest.fixture
def three_languages(django_capture_on_commit_callbacks):
    """Three cases that all say "Zanzibar": an English one that says it most, an English one
    that says it once in its French translation, and a French one that says it often."""
    editor = EditorFactory()
    english = CaseStudyFactory(
        published=True, language="en", title="Zanzibar kiosks", summary="Zanzibar, Zanzibar."
    )
    translated = CaseStudyFactory(published=True, language="en", title="Harbour permits")
    french = CaseStudyFactory(
        published=True, language="fr", title="Guichets de Zanzibar", summary="Zanzibar, Zanzibar."
    )
    with django_capture_on_commit_callbacks(execute=True):
        translation = save_case_translation(
            case=translated,
            language="fr",
            data={"title": "Permis du port", "summary": "Le port de Zanzibar."},
            user=editor,
        )
        publish_case_translation(translation=translation, editor=editor)
    return english.pk, translated.pk, french.pk


def ranked(language, *, fresh, per_page=1):
    """Every result for "zanzibar" in the visitor's language, read a page at a time."""
    found = []
    with translation.override(language):
        for page in range(1, 5):
            search = CaseSearch(q="zanzibar", page=page, per_page=per_page, fresh=fresh)
            found += [hit.case.pk for hit in search_cases(search).hits]
    return found


@pytest.mark.parametrize("fresh", [True, False], ids=["computed", "kept"])
def test_the_cases_in_the_visitors_language_come_first_on_every_page(three_languages, fresh):
    english, translated, french = three_languages
    # Within the cases in the visitor's language, and within the others, the most relevant first.
    assert ranked("en", fresh=fresh) == [english, translated, french]
    assert ranked("fr", fresh=fresh) == [french, translated, english]
    # Spanish: no case is in Spanish, so relevance alone decides.
    assert ranked("es", fresh=fresh)[2] == translated
    assert ranked("fr", fresh=fresh, per_page=2) == [french, translated, english]


def test_the_visitors_language_does_not_change_the_counts(three_languages):
    with translation.override("fr"):
        french = search_cases(CaseSearch(q="zanzibar"))
    english = search_cases(CaseSearch(q="zanzibar"))
    assert french.total == english.total == 3
    assert counts(french) == counts(english)


def counts(results):
    return {facet: [(v.value, v.count) for v in values] for facet, values in results.facets.items()}
