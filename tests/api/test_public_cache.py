"""Anonymous API reads come from the cache until public content changes, then fresh."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.services import issue_token
from paks.services import publish_case
from tests.factories import CaseStudyFactory, EditorFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def cached(settings):
    settings.PAKS_API_CACHE_SECONDS = 300


def titles(response):
    assert response.status_code == 200
    return sorted(hit["case"]["title"] for hit in response.json()["results"])


def test_a_publication_is_visible_at_once_despite_the_cache(
    cached, client, django_assert_num_queries, django_capture_on_commit_callbacks
):
    CaseStudyFactory(published=True, title="First")
    url = reverse("api-v1:case-list")
    assert titles(client.get(url)) == ["First"]
    with django_assert_num_queries(0):
        assert titles(client.get(url)) == ["First"]

    submitted = CaseStudyFactory(submitted=True, title="Second")
    with django_capture_on_commit_callbacks(execute=True):
        publish_case(case=submitted, editor=EditorFactory())
    assert titles(client.get(url)) == ["First", "Second"]


def test_an_edit_through_the_admin_or_a_script_also_drops_cached_reads(
    cached, client, django_capture_on_commit_callbacks
):
    case = CaseStudyFactory(published=True, title="Old title")
    url = reverse("api-v1:case-detail", args=[case.slug])
    assert client.get(url).json()["title"] == "Old title"
    with django_capture_on_commit_callbacks(execute=True):
        case.title = "New title"
        case.save()
    assert client.get(url).json()["title"] == "New title"


def test_signed_in_reads_and_no_cache_requests_are_never_served_from_the_cache(
    cached, client, django_assert_num_queries
):
    case = CaseStudyFactory(published=True)
    url = reverse("api-v1:case-detail", args=[case.slug])
    client.get(url)
    with django_assert_num_queries(0):
        client.get(url)
    # the case, its themes, SDGs, links, documents, published translations with translators
    with django_assert_num_queries(6):
        assert client.get(url, HTTP_CACHE_CONTROL="no-cache").status_code == 200
    api = APIClient()
    _, key = issue_token(user=EditorFactory(), name="t")
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    api.get(url)
    response = api.get(url)
    assert response.status_code == 200 and response.json()["status"] == "published"


def test_errors_are_not_cached(cached, client):
    url = reverse("api-v1:case-detail", args=["later"])
    assert client.get(url).status_code == 404
    CaseStudyFactory(published=True, slug="later")
    assert client.get(url).status_code == 200
