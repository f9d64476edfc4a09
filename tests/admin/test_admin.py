"""The admin as editors use it: pages, review actions, uploads, exports and who may change what."""

import csv
import io
from pathlib import Path

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.editors import editors_group
from accounts.models import ApiToken
from countries.models import Country
from paks.models import CaseComment, CaseStudy, Document
from tests.factories import (
    CaseCommentFactory,
    CaseStudyFactory,
    CountryFactory,
    DocumentFactory,
    EditorFactory,
    EventFactory,
    EventOrganizerFactory,
    FocalPointFactory,
    OrganizationFactory,
    ParticipationFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

# Sample files committed with the demo data, with their provenance beside them.
SAMPLES = Path(__file__).resolve().parents[2] / "paks" / "demo_files"
MODELS = [
    "accounts/user",
    "accounts/apitoken",
    "countries/country",
    "countries/egovscore",
    "countries/organization",
    "countries/focalpoint",
    "events/event",
    "events/person",
    "taxonomy/theme",
    "taxonomy/sdg",
    "paks/casestudy",
    "paks/document",
    "paks/contribution",
]


@pytest.fixture
def editor_client(client):
    editor = EditorFactory()
    client.force_login(editor)
    client.editor = editor
    return client


def _action(client, model, action, objs, **extra):
    return client.post(
        reverse(f"admin:{model}_changelist"),
        {"action": action, "_selected_action": [o.pk for o in objs], **extra},
        follow=True,
    )


@pytest.mark.parametrize("model", MODELS)
def test_editor_opens_every_list_and_add_page(editor_client, model):
    app, name = model.split("/")
    assert editor_client.get(reverse(f"admin:{app}_{name}_changelist")).status_code == 200
    assert editor_client.get(reverse(f"admin:{app}_{name}_add")).status_code == 200


def test_editor_opens_change_pages_with_their_inlines(editor_client):
    event = EventFactory()
    EventOrganizerFactory(event=event)
    ParticipationFactory(event=event)
    case = CaseStudyFactory(event=event)
    DocumentFactory(case=case)
    CaseCommentFactory(case=case, body="Please add figures on uptake.")
    page = editor_client.get(reverse("admin:events_event_change", args=[event.pk]))
    assert page.status_code == 200
    assert b"organizers and their roles" in page.content.lower()
    assert b"participating countries" in page.content.lower()
    page = editor_client.get(reverse("admin:paks_casestudy_change", args=[case.pk]))
    assert page.status_code == 200
    assert b"Country presentation" in page.content
    assert b"Please add figures on uptake." in page.content


def test_people_without_staff_status_are_sent_to_the_login_page(client):
    client.force_login(UserFactory())
    response = client.get(reverse("admin:paks_casestudy_changelist"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_the_editors_group_cannot_grant_privileges():
    editors = Group.objects.get(name="Editors")
    codenames = set(editors.permissions.values_list("codename", flat=True))
    assert {"change_casestudy", "add_event", "change_focalpoint", "change_user"} <= codenames
    assert not codenames & {"add_group", "change_group", "add_permission", "delete_user"}


def test_the_migrations_give_the_editors_group_all_that_editors_group_gives():
    """Databases built by migrating and those built otherwise (the demo after a flush) have
    editors of the same powers: themes and SDGs included, whichever app holds them."""
    editors = Group.objects.get(name="Editors")
    migrated = set(editors.permissions.values_list("content_type__app_label", "codename"))
    assert {
        ("taxonomy", f"{action}_{model}")
        for action in ("view", "add", "change", "delete")
        for model in ("theme", "sdg")
    } <= migrated
    assert set(editors_group().permissions.values_list("content_type__app_label", "codename")) == (
        migrated
    )


# The change lists' exact query counts: tests/test_query_counts.py.


def test_publish_action_publishes_submitted_cases_and_refuses_drafts(editor_client):
    submitted = CaseStudyFactory(submitted=True)
    draft = CaseStudyFactory()
    page = _action(editor_client, "paks_casestudy", "publish", [submitted, draft])
    assert page.status_code == 200
    assert b"Published 1 case(s)." in page.content
    assert b"Cannot publish a case that is draft." in page.content
    submitted.refresh_from_db()
    draft.refresh_from_db()
    assert submitted.status == CaseStudy.Status.PUBLISHED
    assert submitted.published_at is not None
    assert draft.status == CaseStudy.Status.DRAFT


def test_request_changes_asks_for_a_comment_then_returns_the_case(editor_client):
    case = CaseStudyFactory(submitted=True)
    page = _action(editor_client, "paks_casestudy", "request_changes", [case])
    assert page.status_code == 200
    assert b"Request changes" in page.content
    case.refresh_from_db()
    assert case.status == CaseStudy.Status.SUBMITTED

    page = _action(
        editor_client, "paks_casestudy", "request_changes", [case], apply="1", comment=""
    )
    assert b"This field is required." in page.content
    case.refresh_from_db()
    assert case.status == CaseStudy.Status.SUBMITTED
    assert not CaseComment.objects.filter(case=case).exists()

    page = _action(
        editor_client,
        "paks_casestudy",
        "request_changes",
        [case],
        apply="1",
        comment="Add the number of centres.",
    )
    assert b"Returned 1 case(s)." in page.content
    case.refresh_from_db()
    assert case.status == CaseStudy.Status.CHANGES_REQUESTED
    assert case.comments.get().body == "Add the number of centres."
    assert case.comments.get().author == editor_client.editor


def test_archive_action_archives_published_cases(editor_client):
    case = CaseStudyFactory(published=True)
    _action(editor_client, "paks_casestudy", "archive", [case])
    case.refresh_from_db()
    assert case.status == CaseStudy.Status.ARCHIVED


def _case_form_data(case, **changes):
    data = {
        "title": case.title,
        "country": case.country_id,
        "organization": case.organization_id or "",
        "year": case.year,
        "language": case.language,
        "summary": case.summary,
        "challenge": case.challenge,
        "solution": case.solution,
        "results": case.results,
        "lessons_learned": case.lessons_learned,
        "event": "",
        "seen_version": case.version,
    }
    for prefix in ("links", "documents", "comments"):
        data |= {f"{prefix}-TOTAL_FORMS": 0, f"{prefix}-INITIAL_FORMS": 0}
    return data | changes


def test_editing_a_case_bumps_its_version_and_keeps_its_slug(editor_client):
    case = CaseStudyFactory(slug="digital-centres")
    url = reverse("admin:paks_casestudy_change", args=[case.pk])
    response = editor_client.post(url, _case_form_data(case, title="Renamed centres"))
    assert response.status_code == 302, response.context["adminform"].form.errors
    case.refresh_from_db()
    assert (case.title, case.slug, case.version) == ("Renamed centres", "digital-centres", 2)


def test_a_save_over_someone_elses_newer_version_is_refused(editor_client):
    case = CaseStudyFactory(title="Original")
    data = _case_form_data(case, title="Mine")
    CaseStudy.objects.filter(pk=case.pk).update(title="Theirs", version=2)
    response = editor_client.post(reverse("admin:paks_casestudy_change", args=[case.pk]), data)
    assert response.status_code == 200
    assert b"Someone saved this case after you opened it" in response.content
    case.refresh_from_db()
    assert (case.title, case.version) == ("Theirs", 2)


def test_adding_a_case_gives_it_a_unique_slug_and_its_author(editor_client):
    CaseStudyFactory(slug="e-services")
    country = CountryFactory()
    data = _case_form_data(CaseStudyFactory.build(country=country), title="E-services")
    data["organization"] = ""
    response = editor_client.post(reverse("admin:paks_casestudy_add"), data)
    assert response.status_code == 302
    case = CaseStudy.objects.get(title="E-services")
    assert case.slug == "e-services-2"
    assert case.created_by == editor_client.editor
    assert case.status == CaseStudy.Status.DRAFT


def test_admin_upload_accepts_a_real_pdf(editor_client):
    case = CaseStudyFactory()
    upload = SimpleUploadedFile("slides.pdf", (SAMPLES / "example.pdf").read_bytes())
    response = editor_client.post(
        reverse("admin:paks_document_add"),
        {"upload": upload, "title": "", "kind": "presentation", "case": case.pk},
    )
    document = Document.objects.get(case=case)
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:paks_document_change", args=[document.pk])
    assert document.media_type == "application/pdf"
    assert document.original_filename == "slides.pdf"
    assert "slides" not in document.file.name
    assert document.file.storage.exists(document.file.name)
    assert LogEntry.objects.filter(object_id=str(document.pk)).exists()


def test_admin_upload_rejects_html_and_stores_nothing(editor_client, settings):
    case = CaseStudyFactory()
    upload = SimpleUploadedFile("slides.pdf", b"<html><script>alert(1)</script></html>")
    response = editor_client.post(
        reverse("admin:paks_document_add"),
        {"upload": upload, "title": "", "kind": "presentation", "case": case.pk},
    )
    assert response.status_code == 200
    assert b"not accepted" in response.content
    assert not Document.objects.exists()
    media = Path(settings.MEDIA_ROOT)
    assert not media.exists() or not any(p.is_file() for p in media.rglob("*"))


def test_admin_upload_needs_a_case_or_an_event(editor_client):
    upload = SimpleUploadedFile("slides.pdf", (SAMPLES / "example.pdf").read_bytes())
    response = editor_client.post(
        reverse("admin:paks_document_add"), {"upload": upload, "kind": "presentation"}
    )
    assert response.status_code == 200
    assert b"Attach the document to a case, an event, or both." in response.content
    assert not Document.objects.exists()


def test_csv_export_streams_the_selected_rows_and_disarms_formulas(editor_client):
    org = OrganizationFactory(name="=HYPERLINK(1)", acronym="MoDA")
    other = OrganizationFactory()
    response = editor_client.post(
        reverse("admin:countries_organization_changelist"),
        {"action": "export_as_csv", "_selected_action": [org.pk]},
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="organization-')
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0][:3] == ["ID", "name", "slug"]
    assert len(rows) == 2
    assert rows[1][1] == "'=HYPERLINK(1)"
    assert rows[1][3] == "MoDA"
    assert other.name not in str(rows)


def test_editor_cannot_make_anyone_staff_or_superuser(editor_client):
    person = UserFactory()
    url = reverse("admin:accounts_user_change", args=[person.pk])
    page = editor_client.get(url)
    assert page.status_code == 200
    assert b'name="is_superuser"' not in page.content
    assert b'name="is_staff"' not in page.content
    data = {
        "username": person.username,
        "email": person.email,
        "first_name": "Amina",
        "last_name": person.last_name,
        "language": person.language,
        "is_active": "on",
        "is_staff": "on",
        "is_superuser": "on",
    }
    response = editor_client.post(url, data)
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.first_name == "Amina"
    assert not person.is_staff and not person.is_superuser


def test_superuser_sees_privilege_fields(client):
    admin_user = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(admin_user)
    page = client.get(reverse("admin:accounts_user_change", args=[UserFactory().pk]))
    assert b'name="is_superuser"' in page.content


def test_token_created_in_admin_shows_its_key_once_and_stores_only_a_digest(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    owner = UserFactory()
    response = client.post(
        reverse("admin:accounts_apitoken_add"),
        {"user": owner.pk, "name": "ministry CMS", "expires_at_0": "", "expires_at_1": ""},
        follow=True,
    )
    token = ApiToken.objects.get(user=owner)
    shown = [str(m) for m in response.context["messages"]]
    key = shown[0].rsplit(" ", 1)[-1]
    assert key.startswith(token.prefix)
    assert token.digest == ApiToken.digest_of(key)
    assert key not in token.digest
    again = client.get(reverse("admin:accounts_apitoken_change", args=[token.pk]))
    assert key.encode() not in again.content


def test_token_admin_refuses_deactivated_accounts(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    owner = UserFactory(is_active=False)
    response = client.post(
        reverse("admin:accounts_apitoken_add"),
        {"user": owner.pk, "name": "ministry CMS", "expires_at_0": "", "expires_at_1": ""},
    )
    assert response.status_code == 200
    assert b"This account is deactivated" in response.content
    assert not ApiToken.objects.exists()


def test_revoke_action_revokes_tokens(client):
    from accounts.services import issue_token

    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    token, _ = issue_token(user=UserFactory(), name="cms")
    _action(client, "accounts_apitoken", "revoke", [token])
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_focal_point_filter_separates_current_and_ended(editor_client):
    import datetime

    current = FocalPointFactory()
    ended = FocalPointFactory(until=datetime.date(2021, 1, 1))
    url = reverse("admin:countries_focalpoint_changelist")
    page = editor_client.get(url, {"appointment": "active"})
    assert list(page.context["cl"].result_list) == [current]
    page = editor_client.get(url, {"appointment": "ended"})
    assert list(page.context["cl"].result_list) == [ended]


def test_country_codes_are_fixed_once_set(editor_client):
    country = CountryFactory()
    page = editor_client.get(reverse("admin:countries_country_change", args=[country.pk]))
    assert b'name="iso3"' not in page.content
    assert Country.objects.filter(pk=country.pk, iso3=country.iso3).exists()
