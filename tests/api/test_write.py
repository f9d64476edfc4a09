"""Writing through the API: focal points' drafts, reviews, uploads, preconditions, idempotency."""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.services import issue_token, revoke_token
from paks.models import CaseComment, CaseStudy, Document, IdempotencyKey
from tests.factories import (
    CaseStudyFactory,
    CountryFactory,
    EditorFactory,
    FocalPointFactory,
    OrganizationFactory,
    SDGFactory,
    ThemeFactory,
)

pytestmark = pytest.mark.django_db
SAMPLES = Path(__file__).resolve().parents[2] / "paks" / "demo_files"


def api(name, *args):
    return reverse(f"api-v1:{name}", args=args)


def client_for(user):
    client = APIClient()
    _, key = issue_token(user=user, name="tests")
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


@pytest.fixture
def focal_point():
    return FocalPointFactory()


@pytest.fixture
def fp_client(focal_point):
    return client_for(focal_point.user)


def pdf(name="slides.pdf"):
    return SimpleUploadedFile(name, (SAMPLES / "example.pdf").read_bytes(), "application/pdf")


def new_case_body(**extra):
    return {"title": "Digital land registry", "summary": "Titles online.", "year": 2024, **extra}


def test_focal_point_creates_a_draft_of_its_own_country_whatever_status_it_sends(
    fp_client, focal_point
):
    elsewhere = CountryFactory(iso3="XYZ")
    theme, sdg = ThemeFactory(slug="land"), SDGFactory(number=16)
    response = fp_client.post(
        api("case-list"),
        new_case_body(status="published", themes=["land"], sdgs=[16]),
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    case = CaseStudy.objects.get(slug=body["slug"])
    assert case.country == focal_point.country != elsewhere
    assert case.status == CaseStudy.Status.DRAFT and body["status"] == "draft"
    assert list(case.themes.all()) == [theme] and list(case.sdgs.all()) == [sdg]
    assert response["ETag"] == f'"case-{case.pk}-v1"'
    assert response["Location"].endswith(f"/api/v1/cases/{case.slug}/")
    # The draft is not public.
    assert APIClient().get(api("case-detail", case.slug)).status_code == 404


def test_focal_point_naming_another_country_is_a_400_naming_the_country(fp_client):
    CountryFactory(iso3="XYZ", name="Elsewhere")
    response = fp_client.post(api("case-list"), new_case_body(country="xyz"), format="json")
    assert response.status_code == 400
    assert response.json()["field"] == "country"
    assert "Elsewhere" in response.json()["errors"]["country"][0]
    assert CaseStudy.objects.count() == 0


def test_focal_point_of_two_countries_says_which_one(focal_point):
    other = FocalPointFactory(user=focal_point.user, country=CountryFactory(iso3="XYZ"))
    client = client_for(focal_point.user)
    response = client.post(api("case-list"), new_case_body(), format="json")
    assert response.status_code == 400 and response.json()["field"] == "country"
    response = client.post(api("case-list"), new_case_body(country="XYZ"), format="json")
    assert response.status_code == 201
    assert CaseStudy.objects.get().country == other.country


def test_invalid_body_is_a_400_naming_the_field_and_saves_nothing(fp_client):
    response = fp_client.post(api("case-list"), new_case_body(year=1800), format="json")
    assert response.status_code == 400
    assert response.json()["field"] == "year"
    response = fp_client.post(api("case-list"), {"summary": "no title"}, format="json")
    assert response.status_code == 400 and response.json()["field"] in {"title", "year"}
    assert CaseStudy.objects.count() == 0


def test_person_without_a_country_cannot_create(db):
    from tests.factories import UserFactory

    response = client_for(UserFactory()).post(api("case-list"), new_case_body(), format="json")
    assert response.status_code == 403
    assert CaseStudy.objects.count() == 0


def test_editor_creates_for_any_country_and_must_name_it(db):
    country = CountryFactory(iso3="ABC")
    client = client_for(EditorFactory())
    assert client.post(api("case-list"), new_case_body(), format="json").status_code == 400
    response = client.post(api("case-list"), new_case_body(country="ABC"), format="json")
    assert response.status_code == 201
    assert CaseStudy.objects.get().country == country


def test_patch_needs_if_match_and_a_stale_one_is_412(fp_client, focal_point):
    case = CaseStudyFactory(country=focal_point.country, title="Old title")
    url = api("case-detail", case.slug)
    etag = fp_client.get(url)["ETag"]

    response = fp_client.patch(url, {"title": "New"}, format="json")
    assert response.status_code == 428
    assert response.json()["code"] == "precondition_required"

    response = fp_client.patch(url, {"title": "New title"}, format="json", HTTP_IF_MATCH=etag)
    assert response.status_code == 200
    assert response.json()["title"] == "New title" and response.json()["version"] == 2
    assert response["ETag"] != etag

    # The same old ETag again: someone (here, ourselves) changed it since.
    response = fp_client.patch(url, {"title": "Lost"}, format="json", HTTP_IF_MATCH=etag)
    assert response.status_code == 412
    case.refresh_from_db()
    assert case.title == "New title" and case.version == 2


def test_two_updates_with_the_same_etag_one_wins_one_gets_412(focal_point):
    from tests.factories import FocalPointFactory as FP

    colleague = FP(country=focal_point.country, organization=focal_point.organization)
    case = CaseStudyFactory(country=focal_point.country)
    url = api("case-detail", case.slug)
    first, second = client_for(focal_point.user), client_for(colleague.user)
    etag = first.get(url)["ETag"]
    assert second.get(url)["ETag"] == etag
    a = first.patch(url, {"summary": "From the first"}, format="json", HTTP_IF_MATCH=etag)
    b = second.patch(url, {"summary": "From the second"}, format="json", HTTP_IF_MATCH=etag)
    assert sorted([a.status_code, b.status_code]) == [200, 412]
    case.refresh_from_db()
    assert case.summary == "From the first" and case.version == 2


def test_submitted_case_cannot_be_edited_until_changes_are_requested(fp_client, focal_point):
    case = CaseStudyFactory(country=focal_point.country)
    url = api("case-detail", case.slug)
    response = fp_client.post(api("case-submit", case.slug))
    assert response.status_code == 200 and response.json()["status"] == "submitted"
    etag = response["ETag"]
    response = fp_client.patch(url, {"title": "Sneaky"}, format="json", HTTP_IF_MATCH=etag)
    assert response.status_code == 409 and response.json()["code"] == "invalid_status"
    assert fp_client.post(api("case-submit", case.slug)).status_code == 409
    # Only editors review.
    assert fp_client.post(api("case-publish", case.slug)).status_code == 403

    editor = client_for(EditorFactory())
    response = editor.post(api("case-request-changes", case.slug), {}, format="json")
    assert response.status_code == 400 and response.json()["field"] == "comment"
    response = editor.post(
        api("case-request-changes", case.slug), {"comment": "Add results."}, format="json"
    )
    assert response.status_code == 200 and response.json()["status"] == "changes_requested"
    assert CaseComment.objects.get(case=case).body == "Add results."
    detail = fp_client.get(url)
    assert [c["body"] for c in detail.json()["review_comments"]] == ["Add results."]
    response = fp_client.patch(
        url, {"results": "Done."}, format="json", HTTP_IF_MATCH=detail["ETag"]
    )
    assert response.status_code == 200
    assert fp_client.post(api("case-submit", case.slug)).status_code == 200
    response = editor.post(api("case-publish", case.slug))
    assert response.status_code == 200 and response.json()["status"] == "published"
    assert APIClient().get(url).status_code == 200


def test_another_countrys_draft_is_404_for_every_method(fp_client):
    other = CaseStudyFactory()
    url = api("case-detail", other.slug)
    assert fp_client.get(url).status_code == 404
    body = fp_client.patch(url, {"title": "x"}, format="json", HTTP_IF_MATCH='"x"').json()
    assert body == {"code": "not_found", "message": "Not found."}
    assert fp_client.delete(url, HTTP_IF_MATCH='"x"').status_code == 404
    assert fp_client.post(api("case-submit", other.slug)).status_code == 404
    assert fp_client.post(api("case-documents", other.slug), {"file": pdf()}).status_code == 404
    other.refresh_from_db()
    assert other.version == 1 and other.status == "draft"


def test_another_countrys_published_case_is_readable_but_403_to_write(fp_client):
    other = CaseStudyFactory(published=True)
    url = api("case-detail", other.slug)
    etag = fp_client.get(url)["ETag"]
    response = fp_client.patch(url, {"title": "x"}, format="json", HTTP_IF_MATCH=etag)
    assert response.status_code == 403
    assert fp_client.get(url).json()["review_comments"] == []


def test_delete_own_draft_with_its_files_but_not_a_published_case(
    fp_client, focal_point, django_capture_on_commit_callbacks
):
    case = CaseStudyFactory(country=focal_point.country)
    upload = fp_client.post(api("case-documents", case.slug), {"file": pdf()})
    assert upload.status_code == 201
    stored = Document.objects.get().file
    assert stored.storage.exists(stored.name)
    url = api("case-detail", case.slug)
    assert fp_client.delete(url).status_code == 428
    with django_capture_on_commit_callbacks(execute=True):
        response = fp_client.delete(url, HTTP_IF_MATCH=fp_client.get(url)["ETag"])
    assert response.status_code == 204
    assert not CaseStudy.objects.filter(pk=case.pk).exists()
    assert not stored.storage.exists(stored.name)

    published = CaseStudyFactory(country=focal_point.country, published=True)
    url = api("case-detail", published.slug)
    response = fp_client.delete(url, HTTP_IF_MATCH=fp_client.get(url)["ETag"])
    assert response.status_code == 409
    assert CaseStudy.objects.filter(pk=published.pk).exists()


def test_upload_list_and_delete_a_document(
    fp_client, focal_point, django_capture_on_commit_callbacks
):
    case = CaseStudyFactory(country=focal_point.country)
    response = fp_client.post(
        api("case-documents", case.slug), {"file": pdf("../../etc/Budget 2024.pdf"), "title": ""}
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["media_type"] == "application/pdf"
    assert body["original_filename"] == "Budget 2024.pdf"
    document = Document.objects.get()
    assert "Budget" not in document.file.name and ".." not in document.file.name
    listing = fp_client.get(api("case-documents", case.slug)).json()
    assert [d["id"] for d in listing] == [document.pk]
    # Its Location answers the uploader, and nobody else while the case is a draft.
    assert fp_client.get(response["Location"]).json()["id"] == document.pk
    assert APIClient().get(response["Location"]).status_code == 404
    assert client_for(FocalPointFactory().user).get(response["Location"]).status_code == 404

    url = api("case-document", case.slug, document.pk)
    assert fp_client.delete(url).status_code == 428
    assert fp_client.delete(url, HTTP_IF_MATCH='"document-1-x"').status_code == 412
    with django_capture_on_commit_callbacks(execute=True):
        deleted = fp_client.delete(url, HTTP_IF_MATCH=response["ETag"])
    assert deleted.status_code == 204
    assert not Document.objects.exists()
    assert not document.file.storage.exists(document.file.name)


@pytest.mark.parametrize(
    ("upload", "status"),
    [
        (SimpleUploadedFile("page.html", b"<html><script>x</script>", "text/html"), 415),
        (SimpleUploadedFile("logo.svg", b"<svg xmlns='http://www.w3.org/2000/svg'/>"), 415),
        (SimpleUploadedFile("empty.pdf", b"", "application/pdf"), 400),
    ],
)
def test_refused_uploads_answer_json_and_store_nothing(fp_client, focal_point, upload, status):
    case = CaseStudyFactory(country=focal_point.country)
    response = fp_client.post(api("case-documents", case.slug), {"file": upload})
    assert response.status_code == status
    body = response.json()
    assert body["field"] == "file" and body["message"]
    assert not Document.objects.exists()


def test_upload_too_large_is_413_before_reading(fp_client, focal_point, settings):
    settings.PAKS_MAX_UPLOAD_BYTES = 1024
    case = CaseStudyFactory(country=focal_point.country)
    response = fp_client.post(api("case-documents", case.slug), {"file": pdf()})
    assert response.status_code == 413
    assert response.json()["code"] == "too_large"
    assert not Document.objects.exists()


def test_upload_must_be_multipart(fp_client, focal_point):
    case = CaseStudyFactory(country=focal_point.country)
    response = fp_client.post(api("case-documents", case.slug), {"file": "x"}, format="json")
    assert response.status_code == 415
    assert response.json()["code"] == "unsupported_media_type"


def test_same_file_twice_is_a_409(fp_client, focal_point):
    case = CaseStudyFactory(country=focal_point.country)
    assert fp_client.post(api("case-documents", case.slug), {"file": pdf()}).status_code == 201
    response = fp_client.post(api("case-documents", case.slug), {"file": pdf("again.pdf")})
    assert response.status_code == 409 and response.json()["code"] == "duplicate"
    assert Document.objects.count() == 1


def test_idempotency_key_replays_refuses_another_body_and_a_running_twin(fp_client, focal_point):
    case = CaseStudyFactory(country=focal_point.country)
    url = api("case-documents", case.slug)
    first = fp_client.post(url, {"file": pdf(), "title": "Slides"}, HTTP_IDEMPOTENCY_KEY="k-1")
    assert first.status_code == 201
    again = fp_client.post(url, {"file": pdf(), "title": "Slides"}, HTTP_IDEMPOTENCY_KEY="k-1")
    assert again.status_code == 201
    assert again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true" and again["ETag"] == first["ETag"]
    assert Document.objects.count() == 1
    assert len(list(Path(Document.objects.get().file.path).parent.iterdir())) == 1

    other = fp_client.post(url, {"file": pdf(), "title": "Other"}, HTTP_IDEMPOTENCY_KEY="k-1")
    assert other.status_code == 422 and other.json()["code"] == "idempotency_key_reused"

    # A twin still running holds the key without a response yet.
    def png():
        return SimpleUploadedFile("map.png", (SAMPLES / "hopper.png").read_bytes())

    assert fp_client.post(url, {"file": png()}, HTTP_IDEMPOTENCY_KEY="k-2").status_code == 201
    IdempotencyKey.objects.filter(key="k-2").update(status_code=None, response_body=None)
    running = fp_client.post(url, {"file": png()}, HTTP_IDEMPOTENCY_KEY="k-2")
    assert running.status_code == 409
    assert running.json()["code"] == "idempotency_key_in_use"
    assert Document.objects.count() == 2


def test_a_failed_upload_releases_its_key(fp_client, focal_point):
    case = CaseStudyFactory(country=focal_point.country)
    url = api("case-documents", case.slug)
    bad = SimpleUploadedFile("x.pdf", b"not a pdf")
    assert fp_client.post(url, {"file": bad}, HTTP_IDEMPOTENCY_KEY="k").status_code == 415
    assert fp_client.post(url, {"file": pdf()}, HTTP_IDEMPOTENCY_KEY="k").status_code == 201


def test_workspace_lists_own_countrys_cases_in_every_status(fp_client, focal_point):
    CaseStudyFactory(country=focal_point.country, title="Mine, draft")
    CaseStudyFactory(country=focal_point.country, title="Mine, published", published=True)
    CaseStudyFactory(title="Theirs")
    body = fp_client.get(api("workspace-case-list")).json()
    assert sorted(r["title"] for r in body["results"]) == ["Mine, draft", "Mine, published"]
    drafts = fp_client.get(api("workspace-case-list"), {"status": "draft"}).json()
    assert [r["status"] for r in drafts["results"]] == ["draft"]
    assert APIClient().get(api("workspace-case-list")).status_code == 401


def test_token_header_revocation_and_deactivation_take_effect_at_once(focal_point):
    token, key = issue_token(user=focal_point.user, name="cms")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert client.get(api("workspace-case-list")).status_code == 200
    revoke_token(token=token)
    response = client.get(api("workspace-case-list"))
    assert response.status_code == 401
    assert response.json()["code"] == "authentication_failed"
    assert response["WWW-Authenticate"] == "Token"

    _, key = issue_token(user=focal_point.user, name="cms 2")
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    focal_point.user.is_active = False
    focal_point.user.save()
    assert client.get(api("workspace-case-list")).status_code == 401


def test_wrong_tokens_from_one_address_are_locked_out(db, settings):
    settings.PAKS_TOKEN_FAILURE_LIMIT = 3
    from django.core.cache import cache

    cache.clear()
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token paks_guess")
    codes = [client.get(api("case-list")).status_code for _ in range(5)]
    assert codes == [401, 401, 401, 429, 429]
    # A valid token from the same address (another client behind the same proxy) still works.
    _, key = issue_token(user=FocalPointFactory().user, name="cms")
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert client.get(api("workspace-case-list")).status_code == 200
    client.credentials(HTTP_AUTHORIZATION="Token paks_guess")
    assert client.get(api("case-list")).status_code == 429
    cache.clear()


def test_a_retried_create_with_the_same_idempotency_key_makes_one_case(focal_point):
    client = APIClient()
    _, key = issue_token(user=focal_point.user, name="cms")
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    headers = {"HTTP_IDEMPOTENCY_KEY": "5b0e6c4e-0d1c-4f43-9d55-1f1f3c1f0a01"}
    first = client.post(api("case-list"), new_case_body(), format="json", **headers)
    again = client.post(api("case-list"), new_case_body(), format="json", **headers)
    assert (first.status_code, again.status_code) == (201, 201)
    assert again["Idempotent-Replayed"] == "true"
    assert again.json() == first.json() and again["Location"] == first["Location"]
    assert CaseStudy.objects.count() == 1
    # The same key for another case is refused, and writes nothing.
    other = client.post(
        api("case-list"), {**new_case_body(), "title": "Another"}, format="json", **headers
    )
    assert other.status_code == 422 and other.json()["code"] == "idempotency_key_reused"
    assert CaseStudy.objects.count() == 1


def test_session_writes_need_the_csrf_token(focal_point):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(focal_point.user)
    response = client.post(api("case-list"), new_case_body(), format="json")
    assert response.status_code == 403
    assert "CSRF" in response.json()["message"]
    assert CaseStudy.objects.count() == 0


def test_anonymous_writes_are_401(db):
    case = CaseStudyFactory(published=True)
    client = APIClient()
    assert client.post(api("case-list"), new_case_body(), format="json").status_code == 401
    url = api("case-detail", case.slug)
    assert client.patch(url, {"title": "x"}, format="json").status_code == 401
    assert client.delete(url).status_code == 401


def test_organization_and_event_are_given_by_slug(fp_client, focal_point):
    OrganizationFactory(slug="ict-division", country=focal_point.country)
    response = fp_client.post(
        api("case-list"), new_case_body(organization="ict-division"), format="json"
    )
    assert response.status_code == 201
    assert response.json()["organization"]["slug"] == "ict-division"
    response = fp_client.post(api("case-list"), new_case_body(event="nope"), format="json")
    assert response.status_code == 400 and response.json()["field"] == "event"


def test_workspace_list_and_csv_exports_use_constant_queries(fp_client, focal_point, client):

    from tests.factories import ThemeFactory

    theme = ThemeFactory()

    def add_cases(n):
        for _ in range(n):
            CaseStudyFactory(country=focal_point.country, published=True).themes.add(theme)

    def count(make_request):
        with CaptureQueriesContext(connection) as queries:
            response = make_request()
            assert response.status_code == 200
            if response.streaming:
                b"".join(response.streaming_content)
        return len(queries)

    workspace = lambda: fp_client.get(api("workspace-case-list"), {"page_size": 50})  # noqa: E731
    cases_csv = lambda: client.get(api("case-list"), {"format": "csv"})  # noqa: E731
    events_csv = lambda: client.get(api("event-list"), {"format": "csv"})  # noqa: E731
    add_cases(1)
    workspace()  # the token's last use is written at most once a minute: not on the next calls
    few = [count(workspace), count(cases_csv), count(events_csv)]
    add_cases(30)
    assert [count(workspace), count(cases_csv), count(events_csv)] == few


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"themes": [f"theme-{n}" for n in range(140_000)]}, None),  # over the parser's 1,000
        ({"themes": [f"theme-{n}" for n in range(31)]}, "themes"),
        ({"sdgs": list(range(1, 19))}, "sdgs"),
        ({"links": [{"title": "t", "url": "https://example.org/"}] * 51}, "links"),
    ],
    ids=["140000 themes", "31 themes", "18 sdgs", "51 links"],
)
def test_overlong_lists_are_refused_before_anything_is_looked_up(focal_point, body, field):
    client = APIClient()
    _, key = issue_token(user=focal_point.user, name="cms")
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    with CaptureQueriesContext(connection) as queries:
        response = client.post(api("case-list"), {**new_case_body(), **body}, format="json")
    assert response.status_code == 400
    assert response.json().get("field") == field and response.json()["message"]
    assert CaseStudy.objects.count() == 0
    assert not any("paks_theme" in q["sql"] for q in queries.captured_queries)


def test_deeply_nested_json_is_a_400_in_the_apis_words(focal_point):
    client = APIClient()
    _, key = issue_token(user=focal_point.user, name="cms")
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    for depth in (25, 1_000, 100_000):
        body = "[" * depth + "]" * depth
        response = client.post(api("case-list"), body, content_type="application/json")
        assert response.status_code == 400, depth
        assert response.json()["code"] == "parse_error" and "nested" in response.json()["message"]


def test_a_body_over_the_memory_limit_is_a_413_in_the_apis_words(focal_point, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    client = APIClient()
    _, key = issue_token(user=focal_point.user, name="cms")
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    body = {**new_case_body(), "summary": "x" * 5000}
    response = client.post(api("case-list"), body, format="json")
    assert response.status_code == 413
    assert response["Content-Type"] == "application/json"
    assert response.json()["code"] == "too_large"
    assert CaseStudy.objects.count() == 0


def test_an_etag_weakened_by_compression_still_names_the_version(focal_point):
    """Behind gzip (Django's or the proxy's) clients get W/"case-…" and send it back."""
    client = APIClient()
    _, key = issue_token(user=focal_point.user, name="cms")
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    case = CaseStudyFactory(country=focal_point.country, summary="s" * 400)
    url = api("case-detail", case.slug)
    read = client.get(url, HTTP_ACCEPT_ENCODING="gzip")
    assert read["Content-Encoding"] == "gzip" and read["ETag"].startswith('W/"case-')
    changed = client.patch(url, {"title": "Changed"}, format="json", HTTP_IF_MATCH=read["ETag"])
    assert changed.status_code == 200
    stale = client.patch(url, {"title": "Again"}, format="json", HTTP_IF_MATCH=read["ETag"])
    assert stale.status_code == 412


def test_a_focal_point_moving_its_case_to_another_country_is_refused_naming_the_field(
    fp_client, focal_point
):
    case = CaseStudyFactory(country=focal_point.country)
    elsewhere = CountryFactory(iso3="XYZ")
    url = api("case-detail", case.slug)
    etag = fp_client.get(url)["ETag"]
    response = fp_client.patch(
        url, {"country": "XYZ", "title": "Moved"}, format="json", HTTP_IF_MATCH=etag
    )
    assert response.status_code == 400
    assert response.json()["field"] == "country"
    case.refresh_from_db()
    assert (case.country, case.title, case.version) == (focal_point.country, case.title, 1)
    assert case.country != elsewhere and case.title != "Moved"


def test_an_editor_moves_a_case_to_another_country(db):
    case = CaseStudyFactory()
    elsewhere = CountryFactory(iso3="XYZ")
    editor = client_for(EditorFactory())
    url = api("case-detail", case.slug)
    response = editor.patch(
        url, {"country": "XYZ"}, format="json", HTTP_IF_MATCH=editor.get(url)["ETag"]
    )
    assert response.status_code == 200
    case.refresh_from_db()
    assert case.country == elsewhere
