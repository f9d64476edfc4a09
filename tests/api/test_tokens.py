"""A person's own API tokens through the API, and read-only tokens that change nothing."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import ApiToken, AuditEvent
from accounts.services import issue_token, revoke_token
from countries.models import Organization
from paks.api.preconditions import case_etag, document_etag
from paks.models import CaseStudy, Document
from tests.factories import (
    CaseStudyFactory,
    DocumentFactory,
    EditorFactory,
    FocalPointFactory,
    OrganizationFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
FIELDS = {"id", "name", "prefix", "scope", "created_at", "expires_at", "last_used_at", "revoked_at"}


def api(name, *args):
    return reverse(f"api-v1:{name}", args=args)


def client_with(key):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def organizations():
    return sorted(Organization.objects.values_list("slug", "name", "updated_at"))


@pytest.fixture
def focal_point():
    return FocalPointFactory()


@pytest.fixture
def writer(focal_point):
    return client_with(issue_token(user=focal_point.user, name="cms")[1])


@pytest.fixture
def reader(focal_point):
    return client_with(issue_token(user=focal_point.user, name="mirror", scope="read")[1])


def test_the_list_shows_ones_own_tokens_without_their_keys(focal_point, writer):
    revoked, _ = issue_token(user=focal_point.user, name="old laptop")
    revoke_token(token=revoked)
    issue_token(user=UserFactory(), name="someone else's")
    response = writer.get(api("token-list"))
    assert response.status_code == 200
    tokens = response.json()
    assert sorted(t["name"] for t in tokens) == ["cms", "old laptop"]
    assert all(set(t) == FIELDS for t in tokens)
    assert next(t for t in tokens if t["name"] == "old laptop")["revoked_at"] is not None
    assert next(t for t in tokens if t["name"] == "cms")["last_used_at"] is not None


def test_a_new_token_shows_its_key_once_and_the_key_works(focal_point, writer):
    response = writer.post(api("token-list"), {"name": "  Ministry CMS "}, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["name"] == "Ministry CMS" and body["scope"] == "write"
    assert body["key"].startswith("paks_") and body["key"].startswith(body["prefix"])
    assert response["Cache-Control"] == "no-store"
    assert response["Location"].endswith(f"/api/v1/tokens/{body['id']}/")
    token = ApiToken.objects.get(pk=body["id"])
    assert token.user == focal_point.user
    assert body["key"] not in (token.digest, token.prefix)
    # A year by default.
    assert token.expires_at - timezone.now() > datetime.timedelta(days=364)
    assert AuditEvent.objects.filter(action="token_created", target_id=str(token.pk)).exists()
    # The key authenticates as its person; reading the token again never shows it.
    fresh = client_with(body["key"])
    again = fresh.get(api("token-detail", token.pk))
    assert again.status_code == 200 and "key" not in again.json()


def test_a_token_with_a_scope_and_an_end(writer):
    ends = timezone.now() + datetime.timedelta(days=30)
    response = writer.post(
        api("token-list"),
        {"name": "mirror", "scope": "read", "expires_at": ends.isoformat()},
        format="json",
    )
    assert response.status_code == 201, response.json()
    token = ApiToken.objects.get(pk=response.json()["id"])
    assert token.scope == ApiToken.Scope.READ
    assert abs(token.expires_at - ends) < datetime.timedelta(seconds=1)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": "   "}, "name"),
        ({"name": "n" * 101}, "name"),
        ({}, "name"),
        ({"name": 12}, "name"),
        ({"name": "x", "scope": "admin"}, "scope"),
        ({"name": "x", "expires_at": "2001-01-01T00:00:00Z"}, "expires_at"),
        ({"name": "x", "expires_at": "next week"}, "expires_at"),
    ],
)
def test_a_bad_token_request_is_a_400_naming_the_field(focal_point, writer, body, field):
    response = writer.post(api("token-list"), body, format="json")
    assert response.status_code == 400
    assert response.json()["field"] == field
    assert ApiToken.objects.filter(user=focal_point.user).count() == 1


def test_signed_in_people_only(db):
    anonymous = APIClient()
    assert anonymous.get(api("token-list")).status_code == 401
    assert anonymous.post(api("token-list"), {"name": "x"}, format="json").status_code == 401
    assert not ApiToken.objects.exists()


def test_a_signed_in_browser_session_makes_tokens_too(db):
    user = EditorFactory()
    client = APIClient()
    client.force_login(user)
    response = client.post(api("token-list"), {"name": "script"}, format="json")
    assert response.status_code == 201
    assert ApiToken.objects.get().user == user


def test_deleting_a_token_revokes_it_at_once(focal_point, writer):
    token, key = issue_token(user=focal_point.user, name="leaked")
    assert client_with(key).get(api("token-list")).status_code == 200
    response = writer.delete(api("token-detail", token.pk))
    assert response.status_code == 204
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert client_with(key).get(api("token-list")).status_code == 401
    assert AuditEvent.objects.filter(action="token_revoked", target_id=str(token.pk)).exists()
    # Still listed, as revoked; deleting it again changes nothing.
    assert writer.delete(api("token-detail", token.pk)).status_code == 204


def test_another_persons_token_does_not_exist_for_you(writer):
    theirs, key = issue_token(user=UserFactory(), name="theirs")
    assert writer.get(api("token-detail", theirs.pk)).status_code == 404
    assert writer.delete(api("token-detail", theirs.pk)).status_code == 404
    theirs.refresh_from_db()
    assert theirs.revoked_at is None
    assert client_with(key).get(api("token-list")).status_code == 200


def test_a_read_only_token_cannot_make_or_revoke_tokens(focal_point, reader):
    response = reader.post(api("token-list"), {"name": "escalate"}, format="json")
    assert response.status_code == 403
    assert response.json()["code"] == "read_only_token"
    assert "read-only" in response.json()["message"]
    other, _ = issue_token(user=focal_point.user, name="other")
    assert reader.delete(api("token-detail", other.pk)).status_code == 403
    other.refresh_from_db()
    assert other.revoked_at is None
    assert ApiToken.objects.filter(user=focal_point.user).count() == 2
    assert reader.get(api("token-list")).status_code == 200


def test_a_read_only_token_reads_what_its_person_sees_and_changes_nothing(focal_point, reader):
    case = CaseStudyFactory(country=focal_point.country, title="Draft")
    document = DocumentFactory(case=case, title="Slides")
    organization = OrganizationFactory(country=focal_point.country, name="Agency")
    assert reader.get(api("case-detail", case.slug)).status_code == 200  # a draft of its own
    assert reader.get(api("document-detail", document.pk)).status_code == 200

    organization_etag = reader.get(api("organization-detail", organization.slug))["ETag"]
    organizations_before = organizations()
    writes = [
        reader.post(api("case-list"), {"title": "New", "year": 2024}, format="json"),
        reader.patch(
            api("case-detail", case.slug),
            {"title": "Changed"},
            format="json",
            HTTP_IF_MATCH=case_etag(case),
        ),
        reader.post(api("case-submit", case.slug)),
        reader.patch(
            api("document-detail", document.pk),
            {"title": "Changed"},
            format="json",
            HTTP_IF_MATCH=document_etag(document),
        ),
        reader.delete(
            api("case-document", case.slug, document.pk), HTTP_IF_MATCH=document_etag(document)
        ),
        reader.post(api("organization-list"), {"name": "New body"}, format="json"),
        reader.patch(
            api("organization-detail", organization.slug),
            {"name": "Changed"},
            format="json",
            HTTP_IF_MATCH=organization_etag,
        ),
    ]
    assert [w.status_code for w in writes] == [403] * len(writes)
    assert {w.json()["code"] for w in writes} == {"read_only_token"}
    case.refresh_from_db()
    assert (case.title, case.status, case.version) == ("Draft", "draft", 1)
    assert CaseStudy.objects.count() == 1
    assert Document.objects.get().title == "Slides"
    assert organizations() == organizations_before


def test_a_write_token_of_the_same_person_writes(focal_point, writer):
    case = CaseStudyFactory(country=focal_point.country)
    response = writer.patch(
        api("case-detail", case.slug),
        {"title": "Changed"},
        format="json",
        HTTP_IF_MATCH=case_etag(case),
    )
    assert response.status_code == 200


# A token downloads what it sees, as a browser's session does.


def download_url(document):
    return reverse("paks:document-download", args=[document.pk])


def test_a_focal_points_token_downloads_its_countrys_draft_document(focal_point, reader):
    document = DocumentFactory(case=CaseStudyFactory(country=focal_point.country))
    url = reader.get(api("document-detail", document.pk)).json()["download_url"]
    response = reader.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4\n%%EOF\n"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert response["Cache-Control"] == "private, no-store"
    assert "Authorization" in response["Vary"]
    # Without the token, or with another country's, the draft's file does not exist.
    assert APIClient().get(url).status_code == 404
    elsewhere = client_with(issue_token(user=FocalPointFactory().user, name="x")[1])
    assert elsewhere.get(url).status_code == 404


def test_a_bad_token_is_refused_not_taken_for_anonymous(focal_point):
    document = DocumentFactory(case=CaseStudyFactory(published=True, search_index=False))
    assert APIClient().get(download_url(document)).status_code == 200  # public anyway
    response = client_with("paks_not-a-key").get(download_url(document))
    assert response.status_code == 401
    assert response.json()["code"] == "authentication_failed"
    assert response["WWW-Authenticate"] == "Token"
    token, key = issue_token(user=focal_point.user, name="gone")
    revoke_token(token=token)
    assert client_with(key).get(download_url(document)).status_code == 401
    assert Document.objects.get(pk=document.pk).download_count == 1
