"""Translations of a case through the API: `/api/v1/cases/{slug}/translations/`, and the
published ones in the case's detail.

What each caller reads, what focal points and editors write (bodies, rows, history, ETags),
the workflow steps, refusals in the API's words, the public cache, and exact query counts.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.services import issue_token
from paks.models import CaseComment, CaseTranslation
from paks.translations import publish_case_translation, save_case_translation
from tests.factories import (
    CaseStudyFactory,
    CountryFactory,
    EditorFactory,
    FocalPointFactory,
    UserFactory,
)
from tests.translation_factories import CaseTranslationFactory

pytestmark = pytest.mark.django_db

FRENCH = {
    "title": "Registres fonciers numériques",
    "summary": "Les titres fonciers en ligne dans chaque district.",
    "challenge": "Les registres papier se perdaient.",
}


def translations_url(case, language=None, action=None):
    if language is None:
        return reverse("api-v1:case-translation-list", kwargs={"case_slug": case.slug})
    name = f"api-v1:case-translation-{action or 'detail'}"
    return reverse(name, kwargs={"case_slug": case.slug, "language": language})


def client_for(user=None, scope="write"):
    client = APIClient()
    client.default_format = "json"
    if user is not None:
        _, key = issue_token(user=user, name="tests", scope=scope)
        client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def etag(translation):
    translation.refresh_from_db()
    return f'"translation-{translation.pk}-v{translation.version}"'


def rows():
    """What refused requests must leave as it was."""
    return sorted(
        CaseTranslation.objects.values_list(
            "case_id", "language", "title", "summary", "challenge", "status", "version"
        )
    )


@pytest.fixture
def focal():
    return FocalPointFactory(user=UserFactory(first_name="Amina", last_name="Diallo"))


@pytest.fixture
def case(focal):
    return CaseStudyFactory(country=focal.country, language="en", published=True)


# Reading ---------------------------------------------------------------------------------


def test_the_case_detail_lists_its_published_translations_as_the_case_page_shows_them(case, focal):
    published = CaseTranslationFactory(case=case, language="fr", translated_by=focal.user)
    publish_case_translation(translation=published, editor=EditorFactory())
    CaseTranslationFactory(case=case, language="es", submitted=True)
    CaseTranslationFactory(case=case, language="ru")
    unnamed = CaseTranslationFactory(
        case=case, language="ar", translated_by=UserFactory(first_name="", last_name="")
    )
    publish_case_translation(translation=unnamed, editor=EditorFactory())
    editors = CaseTranslationFactory(case=case, language="zh-hans", translated_by=None)
    publish_case_translation(translation=editors, editor=EditorFactory())
    published.refresh_from_db()

    body = client_for().get(reverse("api-v1:case-detail", args=[case.slug])).json()

    assert [t["language"] for t in body["translations"]] == ["ar", "fr", "zh-hans"]
    french = body["translations"][1]
    assert french == {
        "language": "fr",
        "title": published.title,
        "summary": published.summary,
        "challenge": published.challenge,
        "solution": published.solution,
        "results": published.results,
        "lessons_learned": published.lessons_learned,
        "translator": "Amina Diallo",
        "published_at": published.published_at.isoformat().replace("+00:00", "Z"),
    }
    # Without a name, the words the page uses; never the e-mail address.
    assert body["translations"][0]["translator"] == "A focal point"
    assert body["translations"][2]["translator"] == "The editors"
    # The focal point reads the same published ones there; its drafts are at translations/.
    mine = client_for(focal.user).get(reverse("api-v1:case-detail", args=[case.slug])).json()
    assert [t["language"] for t in mine["translations"]] == ["ar", "fr", "zh-hans"]


def test_the_translator_is_named_in_the_language_asked_for(case):
    translation = CaseTranslationFactory(case=case, translated_by=None)
    publish_case_translation(translation=translation, editor=EditorFactory())
    url = reverse("api-v1:case-detail", args=[case.slug])
    body = client_for().get(url, HTTP_ACCEPT_LANGUAGE="fr").json()
    assert body["translations"][0]["translator"] == "Les éditeurs"


def test_anyone_reads_the_published_translations_and_workers_also_the_others(case, focal):
    CaseTranslationFactory(case=case, language="fr", published=True)
    CaseTranslationFactory(case=case, language="es", submitted=True)
    CaseTranslationFactory(case=case, language="ru")
    other = FocalPointFactory(country=CountryFactory(iso3="BBB")).user

    def languages(user):
        response = client_for(user).get(translations_url(case))
        assert response.status_code == 200
        return [t["language"] for t in response.json()]

    assert languages(None) == ["fr"]
    assert languages(other) == ["fr"]
    assert languages(focal.user) == ["es", "fr", "ru"]
    assert languages(EditorFactory()) == ["es", "fr", "ru"]
    assert client_for().get(translations_url(case, "ru")).status_code == 404
    assert client_for(other).get(translations_url(case, "es")).status_code == 404
    mine = client_for(focal.user).get(translations_url(case, "ru"))
    assert mine.status_code == 200 and mine.json()["status"] == "draft"
    translation = CaseTranslation.objects.get(language="ru")
    assert mine["ETag"] == f'"translation-{translation.pk}-v1"'
    assert mine.json()["url"].endswith(f"/api/v1/cases/{case.slug}/translations/ru/")


def test_a_draft_case_and_its_translations_do_not_exist_for_the_public(focal):
    draft = CaseStudyFactory(country=focal.country)
    CaseTranslationFactory(case=draft, published=True)
    assert client_for().get(translations_url(draft)).status_code == 404
    assert client_for().get(translations_url(draft, "fr")).status_code == 404
    assert client_for(focal.user).get(translations_url(draft, "fr")).status_code == 200


# Writing ---------------------------------------------------------------------------------


def test_a_focal_point_creates_a_translation_with_put(case, focal):
    response = client_for(focal.user).put(translations_url(case, "fr"), FRENCH)
    assert response.status_code == 201, response.json()
    translation = CaseTranslation.objects.get()
    assert response["ETag"] == f'"translation-{translation.pk}-v1"'
    assert response["Location"] == translations_url(case, "fr")
    body = response.json()
    assert (body["status"], body["version"], body["title"]) == ("draft", 1, FRENCH["title"])
    assert body["solution"] == "" and body["translator"] == "Amina Diallo"
    assert (translation.status, translation.translated_by) == ("draft", focal.user)
    assert [h.history_change_reason for h in translation.history.all()] == ["Created"]
    # Not public until an editor publishes it.
    assert client_for().get(translations_url(case)).json() == []


def test_put_replaces_the_text_and_patch_changes_the_fields_given(case, focal):
    translation = CaseTranslationFactory(case=case, translated_by=focal.user)
    client = client_for(focal.user)
    response = client.put(
        translations_url(case, "fr"),
        {"title": "Nouveau", "summary": "Bref."},
        HTTP_IF_MATCH=etag(translation),
    )
    assert response.status_code == 200, response.json()
    translation.refresh_from_db()
    assert (translation.title, translation.challenge, translation.version) == ("Nouveau", "", 2)
    response = client.patch(
        translations_url(case, "fr"), {"results": "Mieux."}, HTTP_IF_MATCH=response["ETag"]
    )
    assert response.status_code == 200, response.json()
    translation.refresh_from_db()
    assert (translation.title, translation.results, translation.version) == ("Nouveau", "Mieux.", 3)
    assert response["ETag"] == f'"translation-{translation.pk}-v3"'
    reasons = [h.history_change_reason for h in translation.history.order_by("history_date")]
    assert reasons[-2:] == ["Edited", "Edited"]


def test_changes_need_the_current_etag(case, focal):
    translation = CaseTranslationFactory(case=case, translated_by=focal.user)
    client = client_for(focal.user)
    url = translations_url(case, "fr")
    missing = client.patch(url, {"title": "X"})
    assert missing.status_code == 428 and missing.json()["code"] == "precondition_required"
    stale = f'"translation-{translation.pk}-v7"'
    assert client.patch(url, {"title": "X"}, HTTP_IF_MATCH=stale).status_code == 412
    case_tag = f'"case-{case.pk}-v1"'  # another kind of resource's tag names nothing here
    assert client.patch(url, {"title": "X"}, HTTP_IF_MATCH=case_tag).status_code == 412
    assert client.delete(url, HTTP_IF_MATCH=stale).status_code == 412
    assert (
        client.post(translations_url(case, "fr", "submit"), HTTP_IF_MATCH=stale).status_code == 412
    )
    # Creating names no version: an If-Match there names a version of nothing.
    create = client.put(translations_url(case, "es"), FRENCH, HTTP_IF_MATCH=stale)
    assert create.status_code == 412
    assert rows() == [
        (case.pk, "fr", translation.title, translation.summary, translation.challenge, "draft", 1)
    ]


def test_a_put_without_if_match_never_overwrites_an_existing_translation(case, focal):
    client = client_for(focal.user)
    assert client.put(translations_url(case, "fr"), FRENCH).status_code == 201
    again = client.put(translations_url(case, "fr"), {**FRENCH, "title": "Autre"})
    assert again.status_code == 428  # it exists now: say which version you change
    assert CaseTranslation.objects.get().title == FRENCH["title"]


def test_the_cases_own_language_and_unknown_ones_are_a_400_naming_the_language(case, focal):
    client = client_for(focal.user)
    own = client.put(translations_url(case, "en"), FRENCH)
    assert own.status_code == 400
    assert own.json()["field"] == "language" and "English" in own.json()["message"]
    unknown = client.put(translations_url(case, "de"), FRENCH)
    assert unknown.status_code == 400 and unknown.json()["field"] == "language"
    assert rows() == []


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"summary": "S"}, "title"),
        ({"title": "", "summary": "S"}, "title"),
        ({"title": "T" * 301, "summary": "S"}, "title"),
        ({"title": "T", "summary": None}, "summary"),
        ({"title": "T", "summary": "S", "challenge": 12}, "challenge"),
        ({"title": "T", "summary": "S", "withdraw": "maybe"}, "withdraw"),
        (["title"], None),
    ],
    ids=["no title", "blank title", "long title", "null summary", "number", "withdraw", "list"],
)
def test_bad_fields_are_a_400_naming_the_field_and_nothing_is_saved(case, focal, body, field):
    response = client_for(focal.user).put(translations_url(case, "fr"), body)
    assert response.status_code == 400, response.json()
    assert response.json().get("field") == field and response.json()["message"]
    assert rows() == []


def test_a_focal_point_takes_a_published_translation_back_to_draft_only_when_it_says_so(
    case, focal
):
    translation = CaseTranslationFactory(case=case, published=True, translated_by=focal.user)
    client = client_for(focal.user)
    url = translations_url(case, "fr")
    refused = client.patch(url, {"title": "Corrigé"}, HTTP_IF_MATCH=etag(translation))
    assert refused.status_code == 409 and refused.json()["code"] == "invalid_status"
    assert CaseTranslation.objects.get().status == "published"
    taken = client.patch(
        url, {"title": "Corrigé", "withdraw": True}, HTTP_IF_MATCH=etag(translation)
    )
    assert taken.status_code == 200 and taken.json()["status"] == "draft"
    assert client_for().get(translations_url(case)).json() == []


def test_the_whole_review_through_the_api(case, focal):
    editor = EditorFactory()
    client = client_for(focal.user)
    created = client.put(translations_url(case, "fr"), FRENCH)
    submitted = client.post(translations_url(case, "fr", "submit"), HTTP_IF_MATCH=created["ETag"])
    assert submitted.status_code == 200 and submitted.json()["status"] == "submitted"
    # Waiting for review: the focal point neither changes nor publishes it.
    tag = submitted["ETag"]
    assert (
        client.patch(translations_url(case, "fr"), {"title": "X"}, HTTP_IF_MATCH=tag).status_code
        == 409
    )
    refused = client.post(translations_url(case, "fr", "publish"))
    assert refused.status_code == 403 and refused.json()["message"] == "Only editors may do this."
    returned = client_for(editor).post(
        translations_url(case, "fr", "return"), {"comment": "Traduisez le résumé."}
    )
    assert returned.status_code == 200 and returned.json()["status"] == "draft"
    assert CaseComment.objects.get().body.endswith("Traduisez le résumé.")
    client.post(translations_url(case, "fr", "submit"))
    published = client_for(editor).post(translations_url(case, "fr", "publish"))
    assert published.status_code == 200 and published.json()["status"] == "published"
    translation = CaseTranslation.objects.get()
    assert published["ETag"] == f'"translation-{translation.pk}-v{translation.version}"'
    assert translation.published_at is not None
    reasons = [h.history_change_reason for h in translation.history.order_by("history_date")]
    assert reasons == ["Created", "Submitted for review", "Returned: Traduisez le résumé.",
                       "Submitted for review", "Published"]  # fmt: skip
    again = client_for(editor).post(translations_url(case, "fr", "publish"))
    assert again.status_code == 409
    public = client_for().get(reverse("api-v1:case-detail", args=[case.slug])).json()
    assert [t["title"] for t in public["translations"]] == [FRENCH["title"]]


def test_a_focal_point_deletes_its_draft_but_not_a_submitted_translation(case, focal):
    draft = CaseTranslationFactory(case=case, language="fr")
    submitted = CaseTranslationFactory(case=case, language="es", submitted=True)
    client = client_for(focal.user)
    kept = client.delete(translations_url(case, "es"), HTTP_IF_MATCH=etag(submitted))
    assert kept.status_code == 409
    gone = client.delete(translations_url(case, "fr"), HTTP_IF_MATCH=etag(draft))
    assert gone.status_code == 204
    assert [t.language for t in CaseTranslation.objects.all()] == ["es"]
    assert (
        client_for(EditorFactory())
        .delete(translations_url(case, "es"), HTTP_IF_MATCH=etag(submitted))
        .status_code
        == 204
    )


def test_who_may_not_write_gets_401_403_or_404_and_nothing_changes(case, focal):
    draft_case = CaseStudyFactory(country=focal.country)
    CaseTranslationFactory(case=case, language="fr")
    CaseTranslationFactory(case=draft_case, language="fr")
    other = FocalPointFactory(country=CountryFactory(iso3="BBB")).user
    before = rows()
    anonymous = client_for().put(translations_url(case, "es"), FRENCH)
    assert anonymous.status_code == 401
    read_only = client_for(focal.user, scope="read").put(translations_url(case, "es"), FRENCH)
    assert read_only.status_code == 403 and read_only.json()["code"] == "read_only_token"
    # Another country's focal point: the published case exists for it, its drafts do not;
    # a write is refused alike whether the translation exists or not.
    for language in ("fr", "es"):
        refused = client_for(other).put(translations_url(case, language), FRENCH)
        assert refused.status_code == 403
        assert client_for(other).post(translations_url(case, language, "submit")).status_code == 403
        assert client_for(other).delete(translations_url(case, language)).status_code == 403
    assert client_for(other).put(translations_url(draft_case, "es"), FRENCH).status_code == 404
    staff = client_for(UserFactory(is_staff=True)).post(translations_url(case, "fr", "publish"))
    assert staff.status_code == 403
    assert rows() == before


# The public cache ---------------------------------------------------------------------------


def test_a_newly_published_translation_appears_in_the_cached_detail_at_once(
    settings, case, django_assert_num_queries, django_capture_on_commit_callbacks
):
    settings.PAKS_API_CACHE_SECONDS = 300
    url = reverse("api-v1:case-detail", args=[case.slug])
    client = APIClient()
    assert client.get(url).json()["translations"] == []
    with django_assert_num_queries(0):
        assert client.get(url).json()["translations"] == []  # from the cache

    with django_capture_on_commit_callbacks(execute=True):
        translation = save_case_translation(
            case=case, language="fr", data=FRENCH, user=EditorFactory()
        )
    assert client.get(url).json()["translations"] == []  # a draft changes nothing public
    with django_capture_on_commit_callbacks(execute=True):
        publish_case_translation(translation=translation, editor=EditorFactory())
    assert [t["title"] for t in client.get(url).json()["translations"]] == [FRENCH["title"]]

    with django_capture_on_commit_callbacks(execute=True):
        save_case_translation(
            case=case,
            language="fr",
            data={"title": "Corrigé"},
            user=EditorFactory(),
            expected_version=translation.version + 1,
        )
    assert [t["title"] for t in client.get(url).json()["translations"]] == ["Corrigé"]


# Queries -------------------------------------------------------------------------------------


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
        assert response.status_code == 200
    return len(queries)


def test_the_case_detail_reads_one_query_more_whatever_its_translations(case):
    url = reverse("api-v1:case-detail", args=[case.slug])
    client = APIClient()
    # the case with country, organization and event; its themes; SDGs; links; documents;
    # its published translations with their translators
    assert count_queries(client, url) == 6
    for language in ("fr", "es", "ru", "ar"):
        CaseTranslationFactory(case=case, language=language, published=True)
    assert count_queries(client, url) == 6


def test_the_translation_list_reads_an_exact_number_of_queries_whatever_its_rows(case):
    url = translations_url(case)
    client = APIClient()
    CaseTranslationFactory(case=case, language="fr", published=True)
    # the case; its published translations with their case and translators
    assert count_queries(client, url) == 2
    for language in ("es", "ru", "ar", "zh-hans"):
        CaseTranslationFactory(case=case, language=language, published=True)
    assert count_queries(client, url) == 2


def test_a_focal_point_reads_its_drafts_in_an_exact_number_of_queries(case, focal):
    client = client_for(focal.user)
    url = translations_url(case)
    CaseTranslationFactory(case=case, language="fr")
    client.get(url)  # the token's last use is written at most once a minute: not next time
    # the token with its user; the case, among those the user may see (its countries in a
    # subquery); whether the user is a focal point of the case's country (to show drafts);
    # the translations with their case and translators
    assert count_queries(client, url) == 4
    for language in ("es", "ru", "ar", "zh-hans"):
        CaseTranslationFactory(case=case, language=language)
    assert count_queries(client, url) == 4
