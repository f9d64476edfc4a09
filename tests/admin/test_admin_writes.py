"""Every admin path that writes a case, a document or a focal point appointment goes through
the services: the same checks, versions, audit events and file clean-up as the workspace and
the API. One test per path."""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.models import AuditEvent
from countries.models import FocalPoint
from paks.documents.accept import accept_document
from paks.models import CaseLink, CaseStudy, Document
from tests.factories import (
    CaseStudyFactory,
    CountryFactory,
    EditorFactory,
    EventFactory,
    FocalPointFactory,
    OrganizationFactory,
    SDGFactory,
    ThemeFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
SAMPLES = Path(__file__).resolve().parents[2] / "paks" / "demo_files"


@pytest.fixture
def editor(client):
    editor = EditorFactory()
    client.force_login(editor)
    return editor


def audited(action):
    return list(AuditEvent.objects.filter(action=action).values_list("actor__email", flat=True))


def case_form(case=None, **changes):
    data = {
        "title": case.title if case else "Mobile birth registration",
        "country": case.country_id if case else CountryFactory().pk,
        "organization": "",
        "year": case.year if case else 2024,
        "language": "en",
        "summary": case.summary if case else "Births registered by phone.",
        "challenge": "",
        "solution": "",
        "results": "",
        "lessons_learned": "",
        "event": "",
        "seen_version": case.version if case else "",
    }
    for prefix in ("links", "documents", "comments"):
        data |= {f"{prefix}-TOTAL_FORMS": 0, f"{prefix}-INITIAL_FORMS": 0}
    return data | changes


def stored_pdf(case, editor):
    upload = SimpleUploadedFile("slides.pdf", (SAMPLES / "example.pdf").read_bytes())
    return accept_document(upload=upload, case=case, uploaded_by=editor)


def test_adding_a_case_creates_a_draft_with_a_unique_slug_and_an_audit_event(client, editor):
    CaseStudyFactory(slug="mobile-birth-registration")
    theme, sdg = ThemeFactory(), SDGFactory(number=16)
    data = case_form(themes=[theme.pk], sdgs=[sdg.pk])
    response = client.post(reverse("admin:paks_casestudy_add"), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    case = CaseStudy.objects.get(title="Mobile birth registration")
    assert (case.slug, case.status, case.version) == ("mobile-birth-registration-2", "draft", 1)
    assert case.created_by == editor
    assert list(case.themes.all()) == [theme] and list(case.sdgs.all()) == [sdg]
    assert audited("case_created") == [editor.email]
    assert response["Location"].endswith(f"/admin/paks/casestudy/{case.pk}/change/") or (
        response["Location"].endswith("/admin/paks/casestudy/")
    )


def test_editing_a_case_keeps_its_status_counts_its_version_and_is_audited(client, editor):
    case = CaseStudyFactory(published=True, title="Old")
    other = CountryFactory()
    url = reverse("admin:paks_casestudy_change", args=[case.pk])
    response = client.post(url, case_form(case, title="New", country=other.pk))
    assert response.status_code == 302, response.context["adminform"].form.errors
    case.refresh_from_db()
    assert (case.title, case.status, case.version, case.country) == ("New", "published", 2, other)
    assert case.history.latest().history_user == editor
    assert audited("case_edited") == [editor.email]


def test_links_edited_in_the_admin_are_saved_by_the_service(client, editor):
    case = CaseStudyFactory()
    data = case_form(case) | {
        "links-TOTAL_FORMS": 1,
        "links-0-title": "Portal",
        "links-0-url": "https://example.org/",
    }
    response = client.post(reverse("admin:paks_casestudy_change", args=[case.pk]), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert list(CaseLink.objects.values_list("title", "url")) == [
        ("Portal", "https://example.org/")
    ]
    case.refresh_from_db()
    assert case.version == 3  # the content, then the links: two edits through the service
    assert audited("case_edited") == [editor.email, editor.email]


def test_a_published_case_cannot_be_deleted_in_the_admin_only_archived(client, editor):
    case = CaseStudyFactory(published=True)
    url = reverse("admin:paks_casestudy_delete", args=[case.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, {"post": "yes"}).status_code == 403
    assert CaseStudy.objects.filter(pk=case.pk).exists()
    changelist = client.get(reverse("admin:paks_casestudy_changelist"))
    assert b'value="delete_selected"' not in changelist.content


def test_deleting_a_draft_in_the_admin_removes_its_files_after_commit(
    client, editor, django_capture_on_commit_callbacks
):
    case = CaseStudyFactory()
    document = stored_pdf(case, editor)
    storage, name = document.file.storage, document.file.name
    assert storage.exists(name)
    url = reverse("admin:paks_casestudy_delete", args=[case.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"post": "yes"})
    assert response.status_code == 302
    assert not CaseStudy.objects.filter(pk=case.pk).exists()
    assert not storage.exists(name)
    assert audited("case_deleted") == [editor.email]


def test_deleting_a_document_in_the_admin_removes_its_files(
    client, editor, django_capture_on_commit_callbacks
):
    document = stored_pdf(CaseStudyFactory(published=True), editor)
    storage, name = document.file.storage, document.file.name
    url = reverse("admin:paks_document_delete", args=[document.pk])
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url, {"post": "yes"}).status_code == 302
    assert not Document.objects.exists()
    assert not storage.exists(name)
    assert audited("document_deleted") == [editor.email]


def test_an_events_document_is_deleted_by_the_bulk_action_through_the_service(
    client, editor, django_capture_on_commit_callbacks
):
    upload = SimpleUploadedFile("programme.pdf", (SAMPLES / "example.pdf").read_bytes())
    document = accept_document(upload=upload, event=EventFactory(), uploaded_by=editor)
    storage, name = document.file.storage, document.file.name
    data = {"action": "delete_selected", "_selected_action": [document.pk], "post": "yes"}
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("admin:paks_document_changelist"), data)
    assert response.status_code == 302
    assert not Document.objects.exists() and not storage.exists(name)


def test_changing_a_document_in_the_admin_goes_through_the_service(client, editor):
    document = stored_pdf(CaseStudyFactory(), editor)
    data = {"title": "Final slides", "kind": "presentation", "case": document.case_id}
    data |= {"event": "", "external_url": ""}
    url = reverse("admin:paks_document_change", args=[document.pk])
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    document.refresh_from_db()
    assert document.title == "Final slides"
    assert document.history.latest().history_user == editor
    # A document must stay attached somewhere: the form says so, nothing changes.
    response = client.post(url, data | {"case": ""})
    assert response.status_code == 200
    assert Document.objects.get().case_id == document.case_id


def test_appointing_a_focal_point_in_the_admin_goes_through_the_service(client, editor):
    user, country, organization = UserFactory(is_active=False), CountryFactory(), None
    organization = OrganizationFactory(country=country)
    data = {
        "user": user.pk,
        "country": country.pk,
        "organization": organization.pk,
        "position": "Director",
        "since": "2026-01-05",
    }
    response = client.post(reverse("admin:countries_focalpoint_add"), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    appointment = FocalPoint.objects.get()
    assert (appointment.user, appointment.country, appointment.until) == (user, country, None)
    user.refresh_from_db()
    assert user.is_active  # a working account for the new focal point
    assert audited("focal_point_appointed") == [editor.email]
    # A second open appointment for the same country is refused on the form.
    response = client.post(reverse("admin:countries_focalpoint_add"), data)
    assert response.status_code == 200
    assert FocalPoint.objects.count() == 1


def test_changing_and_ending_an_appointment_in_the_admin_go_through_the_services(client, editor):
    appointment = FocalPointFactory(position="Officer")
    url = reverse("admin:countries_focalpoint_change", args=[appointment.pk])
    data = {
        "organization": appointment.organization_id,
        "position": "Director",
        "since": appointment.since.isoformat(),
    }
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    appointment.refresh_from_db()
    assert appointment.position == "Director"
    assert audited("focal_point_changed") == [editor.email]

    action = {"action": "end_appointments", "_selected_action": [appointment.pk]}
    assert client.post(reverse("admin:countries_focalpoint_changelist"), action).status_code == 302
    appointment.refresh_from_db()
    appointment.user.refresh_from_db()
    assert appointment.until is not None
    assert not appointment.user.is_active  # no other appointment: the account is retired
    assert audited("focal_point_ended") == [editor.email]
    assert audited("account_deactivated") == [editor.email]
    # Appointments are records: ended, never deleted.
    delete = reverse("admin:countries_focalpoint_delete", args=[appointment.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert FocalPoint.objects.filter(pk=appointment.pk).exists()
