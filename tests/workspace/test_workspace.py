"""The workspace's rules: a country's reach, version checks, bad input, remarks, freshness."""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from paks.models import CaseComment, CaseStudy, Document
from tests.factories import (
    CaseCommentFactory,
    CaseStudyFactory,
    DocumentFactory,
    EditorFactory,
    FocalPointFactory,
)
from tests.workspace.test_workflow import case_form

pytestmark = pytest.mark.django_db
SAMPLES = Path(__file__).resolve().parents[2] / "paks" / "demo_files"


@pytest.fixture
def focal(client):
    appointment = FocalPointFactory()
    client.force_login(appointment.user)
    return appointment


def snapshot(case):
    case = CaseStudy.objects.get(pk=case.pk)
    return (
        case.title,
        case.status,
        case.version,
        sorted(case.documents.values_list("pk", flat=True)),
        case.comments.count(),
    )


CASE_URLS = [
    ("get", "workspace:case-edit", False),
    ("post", "workspace:case-edit", False),
    ("get", "workspace:case-preview", False),
    ("post", "workspace:case-submit", False),
    ("post", "workspace:case-delete", False),
    ("post", "workspace:document-upload", False),
    ("post", "workspace:document-remove", True),
    ("post", "workspace:comment-add", False),
]


STATUSES = {
    "draft": {},
    "changes_requested": {"status": "changes_requested"},
    "submitted": {"submitted": True},
    "published": {"published": True},
}


@pytest.mark.parametrize("status", STATUSES)
@pytest.mark.parametrize(("method", "name", "with_document"), CASE_URLS)
def test_another_countrys_case_is_not_found_on_any_workspace_url(
    client, focal, status, method, name, with_document
):
    other = CaseStudyFactory(**STATUSES[status])
    document = DocumentFactory(case=other)
    before = snapshot(other)
    args = [other.slug, document.pk] if with_document else [other.slug]
    data = {
        **case_form(version=str(other.version)),
        "version": str(other.version),
        "comment-body": "Hello",
        "upload-file": SimpleUploadedFile("a.pdf", (SAMPLES / "example.pdf").read_bytes()),
    }
    response = getattr(client, method)(reverse(name, args=args), data if method == "post" else None)
    assert response.status_code == 404
    assert snapshot(other) == before


def test_another_countrys_confirmation_is_not_found(client, focal):
    other = FocalPointFactory()
    response = client.post(reverse("workspace:confirm-current", args=[other.country.iso3]))
    assert response.status_code == 404
    other.refresh_from_db()
    assert other.last_confirmed_at is None


def test_signed_out_people_are_sent_to_sign_in(client):
    case = CaseStudyFactory()
    for url in (reverse("workspace:home"), reverse("workspace:case-edit", args=[case.slug])):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account:sign-in"))


def test_people_without_a_country_are_told_so(client):
    client.force_login(EditorFactory())
    response = client.get(reverse("workspace:home"))
    assert response.status_code == 403
    assert b"review queue" in response.content


def test_the_second_of_two_concurrent_edits_is_refused_showing_what_changed(client, focal):
    case = CaseStudyFactory(country=focal.country, title="First title")
    url = reverse("workspace:case-edit", args=[case.slug])
    opened = str(case.version)
    # Someone else saves first...
    other_person = FocalPointFactory(country=focal.country)
    other = client.__class__()
    other.force_login(other_person.user)
    assert other.post(url, case_form(title="Their title", version=opened)).status_code == 302
    # ...then this person saves on top of the version they opened.
    response = client.post(url, case_form(title="My title", version=opened))
    assert response.status_code == 400
    html = response.content.decode()
    assert "Someone else saved this case while you were editing it" in html
    assert "<dt>Title</dt><dd>Their title</dd>" in html
    assert CaseStudy.objects.get(pk=case.pk).title == "Their title"
    # Saving again, knowing what it replaces, goes through.
    new_version = str(CaseStudy.objects.get(pk=case.pk).version)
    assert f'name="version" value="{new_version}"' in html
    assert client.post(url, case_form(title="My title", version=new_version)).status_code == 302
    assert CaseStudy.objects.get(pk=case.pk).title == "My title"


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"title": ""}, "title", "This field is required."),
        ({"year": "1800"}, "year", "Ensure this value is greater than or equal to 1990."),
        ({"links-0-url": "not an address"}, "links-0-url", "Enter a valid URL."),
        ({"links-0-url": ""}, "links-0-url", "Give the link&#x27;s address."),
    ],
)
def test_bad_input_is_explained_on_the_form_and_nothing_is_saved(
    client, focal, changes, field, message
):
    response = client.post(reverse("workspace:case-create"), case_form(**changes))
    assert response.status_code == 400
    html = response.content.decode()
    assert f'id="id_{field}_error"' in html and message in html
    assert 'aria-invalid="true"' in html
    assert not CaseStudy.objects.exists()


def test_a_refused_upload_is_explained_and_nothing_is_stored(client, focal):
    case = CaseStudyFactory(country=focal.country)
    svg = SimpleUploadedFile("logo.svg", b"<svg xmlns='http://www.w3.org/2000/svg'></svg>")
    response = client.post(
        reverse("workspace:document-upload", args=[case.slug]),
        {"upload-file": svg, "upload-kind": "presentation"},
    )
    assert response.status_code == 400
    assert b"This file type is not accepted. Upload a PDF, PPTX" in response.content
    assert not Document.objects.exists()


def test_documents_cannot_be_added_or_removed_once_submitted(client, focal):
    case = CaseStudyFactory(country=focal.country, submitted=True)
    document = DocumentFactory(case=case)
    pdf = SimpleUploadedFile("a.pdf", (SAMPLES / "example.pdf").read_bytes())
    response = client.post(
        reverse("workspace:document-upload", args=[case.slug]),
        {"upload-file": pdf, "upload-kind": "presentation"},
    )
    assert response.status_code == 400
    assert b"cannot be added to a case that is submitted" in response.content
    client.post(reverse("workspace:document-remove", args=[case.slug, document.pk]))
    assert list(Document.objects.values_list("pk", flat=True)) == [document.pk]


def test_a_draft_can_be_deleted_with_its_documents(client, focal):
    case = CaseStudyFactory(country=focal.country)
    DocumentFactory(case=case)
    stale = client.post(reverse("workspace:case-delete", args=[case.slug]), {"version": "99"})
    assert stale.status_code == 302 and CaseStudy.objects.exists()
    response = client.post(
        reverse("workspace:case-delete", args=[case.slug]), {"version": str(case.version)}
    )
    assert response.status_code == 302
    assert not CaseStudy.objects.exists() and not Document.objects.exists()


def test_answering_a_remark_takes_it_off_the_waiting_list(client, focal):
    case = CaseStudyFactory(country=focal.country, status="changes_requested")
    CaseCommentFactory(case=case, body="Please add the budget.")
    home = reverse("workspace:home")
    assert "Please add the budget." in client.get(home).content.decode()
    response = client.post(
        reverse("workspace:comment-add", args=[case.slug]), {"comment-body": "Budget added."}
    )
    assert response.status_code == 302
    assert CaseComment.objects.latest("created_at").author == focal.user
    assert "Please add the budget." not in client.get(home).content.decode()
    empty = client.post(reverse("workspace:comment-add", args=[case.slug]), {"comment-body": " "})
    assert empty.status_code == 400 and CaseComment.objects.count() == 2


def test_confirming_the_country_is_current_is_recorded_and_shown(client, focal):
    home = reverse("workspace:home")
    assert "has never been confirmed current" in client.get(home).content.decode()
    response = client.post(reverse("workspace:confirm-current", args=[focal.country.iso3]))
    assert response.status_code == 302
    focal.refresh_from_db()
    assert focal.last_confirmed_at is not None
    html = client.get(home).content.decode()
    assert "Information last confirmed current on" in html
    assert "Please check it." not in html
    assert focal.history.latest().history_change_reason == (
        "Confirmed the country's information is current"
    )


def test_the_preview_shows_failed_and_pending_documents_to_the_owner(client, focal):
    case = CaseStudyFactory(country=focal.country)
    DocumentFactory(case=case, state=Document.State.FAILED, error="The file could not be read.")
    page = client.get(reverse("workspace:case-edit", args=[case.slug])).content.decode()
    assert "Processing failed: The file could not be read." in page
