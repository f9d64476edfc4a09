"""Every write endpoint x role: the exact status, and nothing changed where it must not.

Roles: anonymous, a focal point of the case's country, a focal point of another country,
an editor, a staff account without the Editors group's permissions (not an editor), a
deactivated user's token, a revoked token.
"""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.services import issue_token, revoke_token
from paks.api.preconditions import case_etag, document_etag
from paks.models import CaseStudy, Document
from paks.services import publish_case
from tests.factories import (
    CaseStudyFactory,
    CountryFactory,
    EditorFactory,
    FocalPointFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
SAMPLE = (Path(__file__).resolve().parents[2] / "paks" / "demo_files" / "example.pdf").read_bytes()
ROLES = ("anonymous", "own", "other", "editor", "staff", "deactivated", "revoked")


@pytest.fixture
def world():
    home, abroad = CountryFactory(iso3="AAA"), CountryFactory(iso3="BBB")
    own, other = FocalPointFactory(country=home), FocalPointFactory(country=abroad)
    editor = EditorFactory()
    staff = UserFactory(is_staff=True)
    departed = FocalPointFactory(country=home)
    keys = {}
    for role, user in (
        ("own", own.user),
        ("other", other.user),
        ("editor", editor),
        ("staff", staff),
    ):
        keys[role] = issue_token(user=user, name=role)[1]
    keys["deactivated"] = issue_token(user=departed.user, name="departed")[1]
    departed.user.is_active = False
    departed.user.save()
    revoked, keys["revoked"] = issue_token(user=own.user, name="revoked")
    revoke_token(token=revoked)

    draft = CaseStudyFactory(country=home, slug="draft")
    CaseStudyFactory(country=home, slug="submitted", submitted=True)
    published = CaseStudyFactory(country=home, slug="published", submitted=True)
    publish_case(case=published, editor=editor)
    Document.objects.create(
        case=draft, title="Old slides", file=SimpleUploadedFile("old.pdf", SAMPLE), sha256="a"
    )
    return {"keys": keys, "home": home}


def client_as(world, role):
    client = APIClient()
    if role != "anonymous":
        client.credentials(HTTP_AUTHORIZATION=f"Token {world['keys'][role]}")
    return client


def snapshot():
    cases = {c.slug: (c.status, c.version, c.title) for c in CaseStudy.objects.all()}
    return cases, sorted(Document.objects.values_list("pk", flat=True))


def case_url(slug, action=None):
    if action:
        return reverse(f"api-v1:case-{action}", args=[slug])
    return reverse("api-v1:case-detail", args=[slug])


def etag(slug):
    return case_etag(CaseStudy.objects.get(slug=slug))


def doc_request(method):
    def call(client):
        document = Document.objects.get(case__slug="draft")
        url = reverse("api-v1:case-document", args=["draft", document.pk])
        return client.delete(url, HTTP_IF_MATCH=document_etag(document))

    return call


REQUESTS = {
    "read draft": lambda c: c.get(case_url("draft")),
    "read published": lambda c: c.get(case_url("published")),
    "create": lambda c: c.post(
        reverse("api-v1:case-list"),
        {"title": "New", "summary": "S", "year": 2024, "country": "AAA"},
        format="json",
    ),
    "update draft": lambda c: c.patch(
        case_url("draft"), {"title": "Changed"}, format="json", HTTP_IF_MATCH=etag("draft")
    ),
    "update published": lambda c: c.patch(
        case_url("published"),
        {"title": "Changed"},
        format="json",
        HTTP_IF_MATCH=etag("published"),
    ),
    "delete draft": lambda c: c.delete(case_url("draft"), HTTP_IF_MATCH=etag("draft")),
    "submit draft": lambda c: c.post(case_url("draft", "submit")),
    "publish submitted": lambda c: c.post(case_url("submitted", "publish")),
    "request changes": lambda c: c.post(
        case_url("submitted", "request-changes"), {"comment": "More"}, format="json"
    ),
    "list documents": lambda c: c.get(case_url("draft", "documents")),
    "upload document": lambda c: c.post(
        case_url("draft", "documents"), {"file": SimpleUploadedFile("new.pdf", SAMPLE + b" ")}
    ),
    "delete document": doc_request("delete"),
    "workspace": lambda c: c.get(reverse("api-v1:workspace-case-list")),
    "events list": lambda c: c.get(reverse("api-v1:event-list")),
    "post to read-only": lambda c: c.post(reverse("api-v1:event-list"), {}, format="json"),
}

#                     anonymous own  other editor staff deactivated revoked
EXPECTED = {
    "read draft":        (404, 200, 404, 200, 404, 401, 401),
    "read published":    (200, 200, 200, 200, 200, 401, 401),
    "create":            (401, 201, 400, 201, 403, 401, 401),
    "update draft":      (401, 200, 404, 200, 404, 401, 401),
    "update published":  (401, 409, 403, 200, 403, 401, 401),
    "delete draft":      (401, 204, 404, 204, 404, 401, 401),
    "submit draft":      (401, 200, 404, 200, 404, 401, 401),
    "publish submitted": (401, 403, 404, 200, 404, 401, 401),
    "request changes":   (401, 403, 404, 200, 404, 401, 401),
    "list documents":    (404, 200, 404, 200, 404, 401, 401),
    "upload document":   (401, 201, 404, 201, 404, 401, 401),
    "delete document":   (401, 204, 404, 204, 404, 401, 401),
    "workspace":         (401, 200, 200, 200, 200, 401, 401),
    "events list":       (200, 200, 200, 200, 200, 401, 401),
    "post to read-only": (405, 405, 405, 405, 405, 401, 401),
}  # fmt: skip

CASES = [
    pytest.param(name, role, EXPECTED[name][i], id=f"{name}-{role}")
    for name in REQUESTS
    for i, role in enumerate(ROLES)
]


@pytest.mark.parametrize(("name", "role", "expected"), CASES)
def test_permission_matrix(world, name, role, expected):
    before = snapshot()
    response = REQUESTS[name](client_as(world, role))
    assert response.status_code == expected, response.content[:300]
    if response.status_code >= 300 or response.request["REQUEST_METHOD"] == "GET":
        assert snapshot() == before, "a refused request or a read changed something"
        if response.status_code >= 400:
            body = response.json()
            assert body["code"] and body["message"]
    else:
        assert snapshot() != before, "an accepted write changed nothing"


def test_matrix_covers_every_request_and_role():
    assert set(EXPECTED) == set(REQUESTS)
    assert all(len(row) == len(ROLES) for row in EXPECTED.values())
