"""Each role x each write on the web surfaces (the workspace and the admin): the exact status,
and nothing changed where the write is refused. The API has its own table
(tests/api/test_permissions.py); the management commands act for the operator and write
through the same services (last test).

Roles: anonymous, a focal point of the case's country, a focal point of another country,
an editor, a staff account without the Editors group's permissions, and a former focal
point whose account was deactivated.
"""

from io import StringIO
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from accounts.models import AuditEvent
from countries.models import FocalPoint
from paks.models import CaseStudy, Contribution, Document
from paks.services import publish_case
from tests.factories import (
    CaseStudyFactory,
    ContributionFactory,
    CountryFactory,
    EditorFactory,
    EventFactory,
    FocalPointFactory,
    OrganizationFactory,
    ParticipationFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
SAMPLE = (Path(__file__).resolve().parents[1] / "paks" / "demo_files" / "example.pdf").read_bytes()
ROLES = ("anonymous", "own", "other", "editor", "staff", "deactivated")


@pytest.fixture
def world():
    home, abroad = CountryFactory(iso3="AAA"), CountryFactory(iso3="BBB")
    own, other = FocalPointFactory(country=home), FocalPointFactory(country=abroad)
    departed = FocalPointFactory(country=home)
    departed.user.is_active = False
    departed.user.save()
    editor = EditorFactory()
    people = {
        "own": own.user,
        "other": other.user,
        "editor": editor,
        "staff": UserFactory(is_staff=True),
        "deactivated": departed.user,
    }
    CaseStudyFactory(country=home, slug="draft", title="Draft")
    CaseStudyFactory(country=home, slug="submitted", submitted=True)
    published = CaseStudyFactory(country=home, slug="published", submitted=True)
    publish_case(case=published, editor=editor)
    # An event the case's country took part in (the other country did not), with its
    # contributions.
    event = EventFactory(slug="forum")
    ParticipationFactory(event=event, country=home)
    ContributionFactory(event=event, country=home, title="Draft talk")
    ContributionFactory(event=event, country=home, title="Submitted talk", status="submitted")
    return {"people": people, "home": home, "organization": OrganizationFactory(country=home)}


def client_as(world, role):
    client = Client()
    if role != "anonymous":
        client.force_login(world["people"][role])
    return client


def snapshot():
    cases = {c.slug: (c.status, c.version, c.title) for c in CaseStudy.objects.all()}
    talks = sorted(Contribution.objects.values_list("pk", "status", "version", "title"))
    appointments = sorted(FocalPoint.objects.values_list("pk", "user_id", "until"))
    return cases, talks, sorted(Document.objects.values_list("pk", flat=True)), appointments


def case(slug):
    return CaseStudy.objects.get(slug=slug)


def case_form(slug, **changes):
    draft = case(slug)
    return {
        "title": "Changed",
        "summary": draft.summary,
        "year": draft.year,
        "language": "en",
        "organization": "",
        "event": "",
        "version": draft.version,
        "links-TOTAL_FORMS": 0,
        "links-INITIAL_FORMS": 0,
        **changes,
    }


def admin_case_form(slug):
    draft = case(slug)
    data = {
        "title": "Changed",
        "country": draft.country_id,
        "organization": "",
        "year": draft.year,
        "language": "en",
        "summary": draft.summary,
        "event": "",
        "seen_version": draft.version,
    }
    for prefix in ("links", "documents", "comments"):
        data |= {f"{prefix}-TOTAL_FORMS": 0, f"{prefix}-INITIAL_FORMS": 0}
    return data


def talk(title):
    return Contribution.objects.get(title=title)


def talk_form(title):
    return {
        "title": "Changed",
        "kind": "presentation",
        "version": talk(title).version,
        "speakers": "Jane Doe, Director",
    }


def admin_action(model, action, slug):
    return lambda c, w: c.post(
        reverse(f"admin:paks_{model}_changelist"),
        {"action": action, "_selected_action": [case(slug).pk]},
    )


REQUESTS = {
    "workspace: create a case": lambda c, w: c.post(
        reverse("workspace:case-create"),
        {
            "title": "New",
            "summary": "S",
            "year": 2024,
            "language": "en",
            "country": w["home"].pk,
            "links-TOTAL_FORMS": 0,
            "links-INITIAL_FORMS": 0,
        },
    ),
    "workspace: edit a draft": lambda c, w: c.post(
        reverse("workspace:case-edit", args=["draft"]), case_form("draft")
    ),
    "workspace: edit a published case": lambda c, w: c.post(
        reverse("workspace:case-edit", args=["published"]), case_form("published")
    ),
    "workspace: upload to a draft": lambda c, w: c.post(
        reverse("workspace:document-upload", args=["draft"]),
        {"upload-file": SimpleUploadedFile("a.pdf", SAMPLE), "upload-kind": "presentation"},
    ),
    "workspace: submit a draft": lambda c, w: c.post(
        reverse("workspace:case-submit", args=["draft"])
    ),
    "workspace: delete a draft": lambda c, w: c.post(
        reverse("workspace:case-delete", args=["draft"]), {"version": case("draft").version}
    ),
    "workspace: add a contribution": lambda c, w: c.post(
        reverse("workspace:contribution-create", args=["forum"]),
        {"title": "New talk", "kind": "presentation"},
    ),
    "workspace: edit a draft contribution": lambda c, w: c.post(
        reverse("workspace:contribution-edit", args=[talk("Draft talk").pk]),
        talk_form("Draft talk"),
    ),
    "workspace: edit a submitted contribution": lambda c, w: c.post(
        reverse("workspace:contribution-edit", args=[talk("Submitted talk").pk]),
        talk_form("Submitted talk"),
    ),
    "workspace: upload to a draft contribution": lambda c, w: c.post(
        reverse("workspace:contribution-upload", args=[talk("Draft talk").pk]),
        {"upload-file": SimpleUploadedFile("a.pdf", SAMPLE), "upload-kind": "presentation"},
    ),
    "workspace: submit a draft contribution": lambda c, w: c.post(
        reverse("workspace:contribution-submit", args=[talk("Draft talk").pk])
    ),
    "workspace: delete a draft contribution": lambda c, w: c.post(
        reverse("workspace:contribution-delete", args=[talk("Draft talk").pk]),
        {"version": talk("Draft talk").version},
    ),
    "workspace: delete a submitted contribution": lambda c, w: c.post(
        reverse("workspace:contribution-delete", args=[talk("Submitted talk").pk]),
        {"version": talk("Submitted talk").version},
    ),
    "admin: edit a draft": lambda c, w: c.post(
        reverse("admin:paks_casestudy_change", args=[case("draft").pk]), admin_case_form("draft")
    ),
    "admin: publish": admin_action("casestudy", "publish", "submitted"),
    "admin: archive": admin_action("casestudy", "archive", "published"),
    "admin: delete a draft": lambda c, w: c.post(
        reverse("admin:paks_casestudy_delete", args=[case("draft").pk]), {"post": "yes"}
    ),
    "admin: delete a published case": lambda c, w: c.post(
        reverse("admin:paks_casestudy_delete", args=[case("published").pk]), {"post": "yes"}
    ),
    "admin: appoint a focal point": lambda c, w: c.post(
        reverse("admin:countries_focalpoint_add"),
        {
            "user": UserFactory().pk,
            "country": w["home"].pk,
            "organization": w["organization"].pk,
            "since": "2026-01-05",
        },
    ),
}

# 302: done (back to the case, the home page or the list; for a refused delete, back to the
# page saying why), or for "anonymous" and "deactivated" to the sign-in page; 400: the form
# again, saying why; 403: refused; 404: another country's case or contribution does not
# exist for a focal point, nor an event its country did not take part in. Refusals change
# nothing.
#                                                 anonymous own  other editor staff deactivated
EXPECTED = {
    "workspace: create a case":                   (302, 302, 302, 403, 403, 302),
    "workspace: edit a draft":                    (302, 302, 404, 404, 404, 302),
    "workspace: edit a published case":           (302, 400, 404, 404, 404, 302),
    "workspace: upload to a draft":               (302, 302, 404, 404, 404, 302),
    "workspace: submit a draft":                  (302, 302, 404, 404, 404, 302),
    "workspace: delete a draft":                  (302, 302, 404, 404, 404, 302),
    "workspace: add a contribution":              (302, 302, 404, 403, 403, 302),
    "workspace: edit a draft contribution":       (302, 302, 404, 404, 404, 302),
    "workspace: edit a submitted contribution":   (302, 400, 404, 404, 404, 302),
    "workspace: upload to a draft contribution":  (302, 302, 404, 404, 404, 302),
    "workspace: submit a draft contribution":     (302, 302, 404, 404, 404, 302),
    "workspace: delete a draft contribution":     (302, 302, 404, 404, 404, 302),
    "workspace: delete a submitted contribution": (302, 302, 404, 404, 404, 302),
    "admin: edit a draft":                        (302, 302, 302, 302, 403, 302),
    "admin: publish":                             (302, 302, 302, 302, 403, 302),
    "admin: archive":                             (302, 302, 302, 302, 403, 302),
    "admin: delete a draft":                      (302, 302, 302, 302, 403, 302),
    "admin: delete a published case":             (302, 302, 302, 403, 403, 302),
    "admin: appoint a focal point":               (302, 302, 302, 302, 403, 302),
}  # fmt: skip
# Which of those change something (the others must not).
WRITES = {
    "workspace: create a case": {"own", "other"},
    "workspace: edit a draft": {"own"},
    "workspace: upload to a draft": {"own"},
    "workspace: submit a draft": {"own"},
    "workspace: delete a draft": {"own"},
    "workspace: add a contribution": {"own"},
    "workspace: edit a draft contribution": {"own"},
    "workspace: upload to a draft contribution": {"own"},
    "workspace: submit a draft contribution": {"own"},
    "workspace: delete a draft contribution": {"own"},
    "admin: edit a draft": {"editor"},
    "admin: publish": {"editor"},
    "admin: archive": {"editor"},
    "admin: delete a draft": {"editor"},
    "admin: appoint a focal point": {"editor"},
}

CASES = [
    pytest.param(name, role, EXPECTED[name][i], id=f"{name}-{role}")
    for name in REQUESTS
    for i, role in enumerate(ROLES)
]


@pytest.mark.parametrize(("name", "role", "expected"), CASES)
def test_permission_table(world, name, role, expected, django_capture_on_commit_callbacks):
    before = snapshot()
    with django_capture_on_commit_callbacks(execute=True):
        response = REQUESTS[name](client_as(world, role), world)
    assert response.status_code == expected, response.content[:500]
    if role in WRITES.get(name, ()):
        assert snapshot() != before, "an allowed write changed nothing"
    else:
        assert snapshot() == before, "a refused write changed something"


def test_the_table_covers_every_request_and_role():
    assert set(EXPECTED) == set(REQUESTS)
    assert all(len(row) == len(ROLES) for row in EXPECTED.values())


def test_the_commands_write_through_the_services():
    country, organization = CountryFactory(iso3="CCC"), OrganizationFactory()
    out = StringIO()
    call_command(
        "create_focal_point",
        email="new@example.org",
        country="CCC",
        organization=organization.slug,
        stdout=out,
    )
    call_command("deactivate_focal_point", email="new@example.org", country="CCC", stdout=out)
    actions = list(AuditEvent.objects.order_by("pk").values_list("action", flat=True))
    assert actions == ["focal_point_appointed", "focal_point_ended", "account_deactivated"]
    appointment = FocalPoint.objects.get(country=country)
    assert appointment.until is not None and not appointment.user.is_active
