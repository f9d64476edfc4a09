"""The whole editorial workflow through the web, as people do it: invitation to publication."""

import re
from pathlib import Path

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.models import AuditEvent, Invitation
from countries.models import FocalPoint
from paks.models import CaseComment, CaseStudy, Document
from tests.factories import (
    CountryFactory,
    EditorFactory,
    FocalPointFactory,
    OrganizationFactory,
    SDGFactory,
    ThemeFactory,
)

pytestmark = pytest.mark.django_db
SAMPLES = Path(__file__).resolve().parents[2] / "paks" / "demo_files"
PASSWORD = "a long and new passphrase 42"


def link_in(message, prefix="http://127.0.0.1:8000"):
    found = re.search(re.escape(prefix) + r"(\S+)", message.body)
    assert found, message.body
    return found.group(1)


def case_form(**overrides):
    data = {
        "title": "Digital land records for every district",
        "summary": "Land records online in every district office.",
        "challenge": "Paper records were lost and forged.",
        "solution": "A national land registry with e-signatures.",
        "results": "",
        "lessons_learned": "",
        "year": "2024",
        "language": "en",
        "organization": "",
        "event": "",
        "links-TOTAL_FORMS": "2",
        "links-INITIAL_FORMS": "0",
        "links-MIN_NUM_FORMS": "0",
        "links-MAX_NUM_FORMS": "10",
        "links-0-title": "Land registry",
        "links-0-url": "https://land.example.org",
        "links-1-title": "",
        "links-1-url": "",
    }
    return {**data, **overrides}


def test_invitation_to_publication_end_to_end(client, django_capture_on_commit_callbacks):
    country = CountryFactory(name="Testland")
    organization = OrganizationFactory(country=country, name="Testland Digital Agency")
    theme = ThemeFactory(name="Land administration")
    sdg = SDGFactory(number=16)
    editor = EditorFactory(email="editor@example.org")

    # 1. An editor invites a focal point in the admin; the person gets a single-use link.
    client.force_login(editor)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("admin:accounts_invitation_add"),
            {
                "email": "New.Focal@Example.org",
                "country": country.pk,
                "organization": organization.pk,
                "position": "Director",
            },
        )
    assert response.status_code == 302
    [invitation_mail] = mail.outbox
    assert invitation_mail.to == ["new.focal@example.org"]
    assert "Testland" in invitation_mail.subject
    accept_path = link_in(invitation_mail)
    client.logout()

    # 2. The link lets them choose a password; they are signed in as the country's focal point.
    page = client.get(accept_path)
    assert page.status_code == 200 and b"Become Testland" in page.content
    response = client.post(
        accept_path,
        {"first_name": "Nima", "last_name": "Rai", "password1": PASSWORD, "password2": PASSWORD},
    )
    assert response.status_code == 302 and response["Location"] == reverse("workspace:home")
    focal = FocalPoint.objects.get(country=country, user__email="new.focal@example.org")
    assert focal.organization == organization and focal.position == "Director"
    assert client.get(accept_path).status_code == 410  # used once, never again

    # 3. They create a case in the workspace.
    response = client.post(
        reverse("workspace:case-create"),
        case_form(themes=[theme.pk], sdgs=[sdg.pk], organization=organization.pk),
    )
    case = CaseStudy.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("workspace:case-edit", args=[case.slug])
    assert (case.country, case.status, case.created_by) == (country, "draft", focal.user)
    assert list(case.themes.all()) == [theme] and list(case.sdgs.all()) == [sdg]
    assert list(case.links.values_list("url", flat=True)) == ["https://land.example.org"]

    # 4. They upload a presentation and preview the case as the public will see it.
    pdf = SimpleUploadedFile("slides.pdf", (SAMPLES / "example.pdf").read_bytes())
    response = client.post(
        reverse("workspace:document-upload", args=[case.slug]),
        {"upload-file": pdf, "upload-title": "Country presentation", "upload-kind": "presentation"},
    )
    assert response.status_code == 302
    document = Document.objects.get(case=case)
    preview = client.get(reverse("workspace:case-preview", args=[case.slug]))
    assert preview.status_code == 200
    assert b"Preview of a draft case" in preview.content
    assert b"Country presentation" in preview.content
    assert b'<meta name="robots" content="noindex">' in preview.content
    assert client.get(case.get_absolute_url()).status_code == 404  # not public yet

    # 5. They submit it; the editors are told, with a link to the review page.
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("workspace:case-submit", args=[case.slug]))
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == "submitted"
    submitted_mail = mail.outbox[-1]
    assert submitted_mail.to == ["editor@example.org"]
    review_path = reverse("admin:paks_casestudy_review", args=[case.pk])
    assert link_in(submitted_mail) == review_path

    # A submitted case cannot be edited until an editor asks for changes.
    response = client.post(reverse("workspace:case-edit", args=[case.slug]), case_form(title="X"))
    assert response.status_code == 400
    assert b"cannot be edited until an editor requests changes" in response.content
    assert CaseStudy.objects.get().title == "Digital land records for every district"

    # 6. The editor finds it in the review queue and asks for changes with a comment.
    client.force_login(editor)
    queue = client.get(reverse("admin:paks_casestudy_review_queue"))
    assert case.title.encode() in queue.content
    review = client.get(review_path)
    assert b"everything is new" in review.content
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            review_path, {"request_changes": "1", "comment": "Add figures on use, please."}
        )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == "changes_requested"
    returned_mail = mail.outbox[-1]
    assert returned_mail.to == ["new.focal@example.org"]
    assert "Add figures on use, please." in returned_mail.body
    assert link_in(returned_mail) == reverse("workspace:case-edit", args=[case.slug])

    # 7. The focal point sees the remark on the dashboard, edits and resubmits.
    client.force_login(focal.user)
    dashboard = client.get(reverse("workspace:home")).content.decode()
    assert "Reviewers' remarks waiting for you" in dashboard
    assert "Add figures on use, please." in dashboard
    response = client.post(
        reverse("workspace:case-edit", args=[case.slug]),
        case_form(
            results="Two million records online; visits to offices halved.",
            version=str(case.version),
            themes=[theme.pk],
            sdgs=[sdg.pk],
        ),
    )
    assert response.status_code == 302
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("workspace:case-submit", args=[case.slug]))

    # 8. The editor sees what changed since the return, and publishes.
    client.force_login(editor)
    review = client.get(review_path).content.decode()
    assert "Changes since changes were requested" in review
    assert "<ins>Two million records online" in review
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(review_path, {"publish": "1"})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == "published"
    published_mail = mail.outbox[-1]
    assert published_mail.to == ["new.focal@example.org"]
    assert link_in(published_mail) == case.get_absolute_url()

    # 9. It is public, and found by the search.
    client.logout()
    public = client.get(case.get_absolute_url())
    assert public.status_code == 200 and b"Two million records online" in public.content
    found = client.get(reverse("paks:case-list"), {"q": "land records"}).content.decode()
    assert case.title in found
    assert client.get(reverse("paks:document-download", args=[document.pk])).status_code == 200

    # 10. The history shows every step, with who made it.
    steps = list(
        case.history.order_by("history_date", "history_id").values_list(
            "history_change_reason", "status", "history_user__email"
        )
    )
    meaningful = [step for step in steps if step[0]]
    assert [reason for reason, _, _ in meaningful] == [
        "Created",
        "Submitted for review",
        "Changes requested: Add figures on use, please.",
        "Edited",
        "Submitted for review",
        "Published",
    ]
    people = {reason: who for reason, _, who in meaningful}
    assert people["Created"] == "new.focal@example.org"
    assert people["Published"] == "editor@example.org"
    assert document.history.get().history_user == focal.user

    # ... and the audit log the account and editorial events.
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {
        "invitation_sent",
        "invitation_accepted",
        "changes_requested",
        "case_published",
    } <= actions
    assert CaseComment.objects.get().author == editor
    assert Invitation.objects.get().accepted_by == focal.user


def test_the_whole_workspace_takes_a_constant_number_of_queries(
    client, django_assert_max_num_queries
):
    focal = FocalPointFactory()
    client.force_login(focal.user)
    from tests.factories import CaseCommentFactory, CaseStudyFactory, DocumentFactory

    def add_cases(n):
        for _ in range(n):
            case = CaseStudyFactory(country=focal.country, status="changes_requested")
            CaseCommentFactory(case=case)
            DocumentFactory(case=case, state=Document.State.FAILED, error="Damaged.")

    add_cases(1)
    with django_assert_max_num_queries(12) as few:
        assert client.get(reverse("workspace:home")).status_code == 200
    add_cases(5)
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(reverse("workspace:home"))
    assert page.content.decode().count("Damaged.") == 6
