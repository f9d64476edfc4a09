"""The programme in the admin: an event's sessions, the people who speak and chair, and the
contributions, whose every write goes through the services of paks.contributions (the same
checks, versions, audit events and uploads as the workspace and the API)."""

import datetime
from pathlib import Path

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import AuditEvent
from events.models import Person, Session
from paks.models import Contribution, ContributionSpeaker, Document
from tests.factories import (
    CaseStudyFactory,
    ContributionFactory,
    ContributionSpeakerFactory,
    CountryFactory,
    EditorFactory,
    EventFactory,
    PersonFactory,
    SessionFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
SAMPLES = Path(__file__).resolve().parents[2] / "paks" / "demo_files"
ADD = "admin:paks_contribution_add"
CHANGELIST = "admin:paks_contribution_changelist"


@pytest.fixture
def editor(client):
    editor = EditorFactory()
    client.force_login(editor)
    return editor


def audited(action):
    return list(AuditEvent.objects.filter(action=action).values_list("actor__email", flat=True))


def speakers_inline(*people, initial=()):
    """The speakers inline's rows: the saved ones (`initial`, as (row id, person)) then new."""
    rows = [*initial, *((None, person) for person in people)]
    data = {
        "speaker_roles-TOTAL_FORMS": len(rows),
        "speaker_roles-INITIAL_FORMS": len(initial),
        "documents-TOTAL_FORMS": 0,
        "documents-INITIAL_FORMS": 0,
    }
    for n, (row, person) in enumerate(rows):
        data |= {
            f"speaker_roles-{n}-id": row or "",
            f"speaker_roles-{n}-person": person.pk,
            f"speaker_roles-{n}-position": n,
        }
    return data


def contribution_form(contribution=None, **changes):
    data = {
        "title": contribution.title if contribution else "Union digital centres",
        "kind": contribution.kind if contribution else "presentation",
        "abstract": contribution.abstract if contribution else "",
        "session": (contribution.session_id or "") if contribution else "",
        "position": contribution.position if contribution else 0,
        "case": (contribution.case_id or "") if contribution else "",
        "seen_version": contribution.version if contribution else "",
    }
    return data | speakers_inline() | changes


def action(client, name, objs, **extra):
    return client.post(
        reverse(CHANGELIST),
        {"action": name, "_selected_action": [o.pk for o in objs], **extra},
        follow=True,
    )


def messages_of(page):
    return [str(m) for m in page.context["messages"]]


def test_editor_adds_a_contribution_with_its_speakers_through_the_service(client, editor):
    event = EventFactory()
    session = SessionFactory(event=event)
    case = CaseStudyFactory(published=True)
    first, second = PersonFactory(name="Ana Reyes"), PersonFactory(name="Bo Lee")
    data = contribution_form(event=event.pk, session=session.pk, case=case.pk, country="")
    data |= speakers_inline(second, first)

    response = client.post(reverse(ADD), data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    contribution = Contribution.objects.get()
    assert (contribution.status, contribution.version, contribution.created_by) == (
        "draft",
        1,
        editor,
    )
    assert contribution.country == case.country  # given by its case
    assert (contribution.event, contribution.session, contribution.case) == (event, session, case)
    assert [s.person for s in ContributionSpeaker.objects.all()] == [second, first]
    assert audited("contribution_created") == [editor.email]
    assert contribution.history.latest().history_user == editor


def test_editing_a_contribution_and_its_speakers_is_one_audited_version(client, editor):
    contribution = ContributionFactory(title="Old")
    kept = ContributionSpeakerFactory(contribution=contribution)
    added = PersonFactory()
    data = contribution_form(contribution, title="New")
    data |= speakers_inline(added, initial=[(kept.pk, kept.person)])

    url = reverse("admin:paks_contribution_change", args=[contribution.pk])
    response = client.post(url, data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    contribution.refresh_from_db()
    assert (contribution.title, contribution.version, contribution.status) == ("New", 2, "draft")
    assert list(contribution.speakers.order_by("speaker_roles__position")) == [
        kept.person,
        added,
    ]
    assert audited("contribution_edited") == [editor.email]


def test_a_save_over_a_newer_version_is_refused_on_the_form(client, editor):
    contribution = ContributionFactory(title="Theirs", version=3)
    url = reverse("admin:paks_contribution_change", args=[contribution.pk])

    response = client.post(url, contribution_form(contribution, title="Mine", seen_version=2))

    assert response.status_code == 200
    assert "Someone saved this contribution after you opened it" in response.content.decode()
    contribution.refresh_from_db()
    assert (contribution.title, contribution.version) == ("Theirs", 3)
    assert not audited("contribution_edited")


def test_a_session_of_another_event_and_a_case_of_another_country_are_refused(client, editor):
    event, country = EventFactory(), CountryFactory()
    elsewhere = SessionFactory()
    case = CaseStudyFactory()
    data = contribution_form(event=event.pk, country=country.pk, session=elsewhere.pk, case=case.pk)

    response = client.post(reverse(ADD), data)

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert errors["session"] == ["This session is not part of the event's programme."]
    assert errors["case"] == [f"The case is about {case.country.name}, not {country.name}."]
    assert not Contribution.objects.exists()


def test_event_and_country_are_fixed_once_the_contribution_exists(client, editor):
    contribution = ContributionFactory()
    other_event, other_country = EventFactory(), CountryFactory()
    url = reverse("admin:paks_contribution_change", args=[contribution.pk])

    response = client.post(
        url, contribution_form(contribution, event=other_event.pk, country=other_country.pk)
    )

    assert response.status_code == 302
    contribution.refresh_from_db()
    assert contribution.event != other_event and contribution.country != other_country


def test_the_add_page_offers_the_sessions_of_the_event_it_was_opened_for(client, editor):
    event = EventFactory()
    SessionFactory(event=event, title="Opening of the workshop")
    SessionFactory(title="Someone else's panel")

    page = client.get(reverse(ADD), {"event": event.pk}).content.decode()

    assert "Opening of the workshop" in page
    assert "Someone else&#x27;s panel" not in page and "Someone else's panel" not in page


def test_publish_action_publishes_through_the_service_and_refuses_the_published(client, editor):
    submitted = ContributionFactory(status="submitted")
    published = ContributionFactory(published=True, title="Already out")

    page = action(client, "publish", [submitted, published])

    submitted.refresh_from_db()
    assert (submitted.status, submitted.version) == ("published", 2)
    assert submitted.published_at is not None
    assert audited("contribution_published") == [editor.email]
    assert messages_of(page) == [
        "Published 1 contribution(s).",
        "“Already out”: Cannot publish a contribution that is published.",
    ]


def test_return_asks_for_a_comment_then_returns_submitted_ones_only(client, editor):
    submitted = ContributionFactory(status="submitted")
    draft = ContributionFactory(title="Still a draft")

    page = action(client, "return_for_changes", [submitted, draft])
    assert page.status_code == 200
    assert b"Return for changes" in page.content and b'name="comment"' in page.content
    submitted.refresh_from_db()
    assert submitted.status == "submitted"  # nothing happens before the comment is given

    page = action(client, "return_for_changes", [submitted, draft], apply=1, comment="")
    assert b"This field is required." in page.content
    submitted.refresh_from_db()
    assert submitted.status == "submitted"

    page = action(
        client, "return_for_changes", [submitted, draft], apply=1, comment="Add the slides."
    )
    submitted.refresh_from_db()
    draft.refresh_from_db()
    assert (submitted.status, draft.status) == ("changes_requested", "draft")
    returned = AuditEvent.objects.get(action="contribution_returned")
    assert (returned.actor, returned.detail) == (editor, "Add the slides.")
    assert messages_of(page) == [
        "Returned 1 contribution(s).",
        "“Still a draft”: Cannot return a contribution that is draft.",
    ]


def test_withdraw_action_withdraws_published_ones_and_refuses_drafts(client, editor):
    published = ContributionFactory(published=True)
    draft = ContributionFactory(title="Unfinished")

    page = action(client, "withdraw", [published, draft])

    published.refresh_from_db()
    draft.refresh_from_db()
    assert (published.status, draft.status) == ("archived", "draft")
    assert messages_of(page) == [
        "Withdrew 1 contribution(s).",
        "“Unfinished”: Cannot withdraw a contribution that is draft.",
    ]


def test_a_draft_is_deleted_through_the_service_and_a_published_one_is_not(client, editor):
    draft, published = ContributionFactory(), ContributionFactory(published=True)

    url = reverse("admin:paks_contribution_delete", args=[published.pk])
    assert client.post(url, {"post": "yes"}).status_code == 403
    url = reverse("admin:paks_contribution_delete", args=[draft.pk])
    assert client.post(url, {"post": "yes"}).status_code == 302

    assert list(Contribution.objects.all()) == [published]
    assert audited("contribution_deleted") == [editor.email]
    changelist = client.get(reverse(CHANGELIST))
    assert b'value="delete_selected"' not in changelist.content


def test_slides_uploaded_in_the_admin_are_accepted_by_content_for_the_contribution(client, editor):
    contribution = ContributionFactory()
    url = reverse("admin:paks_contribution_upload", args=[contribution.pk])
    pdf = SimpleUploadedFile("slides.pdf", (SAMPLES / "example.pdf").read_bytes())

    response = client.post(url, {"upload": pdf, "title": "", "kind": "presentation"})

    assert response.status_code == 302
    document = Document.objects.get()
    assert (document.contribution, document.event, document.case) == (
        contribution,
        contribution.event,
        None,
    )
    assert (document.media_type, document.uploaded_by) == ("application/pdf", editor)
    change = client.get(reverse("admin:paks_contribution_change", args=[contribution.pk]))
    assert reverse("paks:document-download", args=[document.pk]) in change.content.decode()


def test_an_upload_that_is_not_a_document_is_refused_and_nothing_is_stored(client, editor):
    contribution = ContributionFactory()
    url = reverse("admin:paks_contribution_upload", args=[contribution.pk])
    html = SimpleUploadedFile("slides.pdf", b"<html><script>alert(1)</script></html>")

    response = client.post(url, {"upload": html, "title": "", "kind": "presentation"})

    assert response.status_code == 200
    assert "This file type is not accepted." in response.content.decode()
    assert not Document.objects.exists()


def test_a_revert_from_the_history_is_an_edit_through_the_service(client, editor):
    contribution = ContributionFactory(title="First title")
    url = reverse("admin:paks_contribution_change", args=[contribution.pk])
    client.post(url, contribution_form(contribution, title="Second title"))
    first = contribution.history.earliest()
    revert = reverse("admin:paks_contribution_simple_history", args=[contribution.pk, first.pk])

    response = client.post(revert, contribution_form(contribution, seen_version=2))

    assert response.status_code == 302
    contribution.refresh_from_db()
    assert (contribution.title, contribution.version) == ("First title", 3)
    assert audited("contribution_edited") == [editor.email, editor.email]


def test_event_page_edits_the_programme_and_links_its_contributions(client, editor):
    event = EventFactory()
    chair = PersonFactory(name="Keping Yao")
    ContributionFactory(event=event, title="Union digital centres")
    url = reverse("admin:events_event_change", args=[event.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert "Union digital centres" in page.content.decode()
    assert f"{reverse(ADD)}?event={event.pk}" in page.content.decode()

    form = page.context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and k in form.fields}
    data |= {
        "start_0": event.start.strftime("%Y-%m-%d"),
        "start_1": event.start.strftime("%H:%M:%S"),
        "end_0": event.end.strftime("%Y-%m-%d"),
        "end_1": event.end.strftime("%H:%M:%S"),
        "themes": [],
        "sdgs": [],
    }
    for formset in page.context["inline_admin_formsets"]:
        prefix = formset.formset.prefix
        data |= {f"{prefix}-TOTAL_FORMS": 0, f"{prefix}-INITIAL_FORMS": 0}
    day = event.start + datetime.timedelta(hours=1)
    until = day + datetime.timedelta(minutes=30)  # the next day, when the test runs late
    data |= {
        "sessions-TOTAL_FORMS": 1,
        "sessions-0-title": "Opening",
        "sessions-0-kind": "opening",
        "sessions-0-start_0": day.strftime("%Y-%m-%d"),
        "sessions-0-start_1": day.strftime("%H:%M:%S"),
        "sessions-0-end_0": until.strftime("%Y-%m-%d"),
        "sessions-0-end_1": until.strftime("%H:%M:%S"),
        "sessions-0-place": "Hall A",
        "sessions-0-chairs": [chair.pk],
    }
    response = client.post(url, data)
    assert response.status_code == 302, page.context["adminform"].form.errors
    session = Session.objects.get()
    assert (session.event, session.title, list(session.chairs.all())) == (event, "Opening", [chair])

    later = event.end + datetime.timedelta(days=3)
    data |= {
        "sessions-TOTAL_FORMS": 2,
        "sessions-INITIAL_FORMS": 1,
        "sessions-0-id": session.pk,
        "sessions-0-event": event.pk,
        "sessions-1-title": "After the event",
        "sessions-1-kind": "closing",
        "sessions-1-start_0": later.strftime("%Y-%m-%d"),
        "sessions-1-start_1": "10:00:00",
        "sessions-1-end_0": later.strftime("%Y-%m-%d"),
        "sessions-1-end_1": "11:00:00",
    }
    response = client.post(url, data)
    assert response.status_code == 200
    assert "A session takes place within its event" in response.content.decode()
    assert Session.objects.count() == 1


def test_merging_people_keeps_the_chosen_record_with_everyones_talks_and_chairs(client, editor):
    keep = PersonFactory(name="Lim Jae-Hong", position="")
    twin = PersonFactory(name="Jae-hong Lim", position="Head")
    talk = ContributionSpeakerFactory(person=twin).contribution
    session = SessionFactory()
    session.chairs.add(twin)
    url = reverse("admin:events_person_changelist")
    selected = {"action": "merge", "_selected_action": [keep.pk, twin.pk]}

    page = client.post(url, selected)
    assert page.status_code == 200
    assert "Choose the record to keep" in page.content.decode()
    assert "Jae-hong Lim — Head (1 contributions, 1 sessions chaired)" in page.content.decode()

    page = client.post(url, selected | {"apply": 1, "keep": keep.pk}, follow=True)

    assert list(Person.objects.all()) == [keep]
    keep.refresh_from_db()
    assert keep.position == "Head"
    assert list(talk.speakers.all()) == [keep]
    assert list(session.chairs.all()) == [keep]
    assert messages_of(page) == ["Merged “Jae-hong Lim” into “Lim Jae-Hong”."]


def test_merging_needs_two_records(client, editor):
    person = PersonFactory()
    page = client.post(
        reverse("admin:events_person_changelist"),
        {"action": "merge", "_selected_action": [person.pk]},
        follow=True,
    )
    assert messages_of(page) == ["Select two or more records of the same person."]
    assert Person.objects.count() == 1


def test_people_list_counts_talks_and_chaired_sessions_and_finds_by_organization(client, editor):
    speaker = ContributionSpeakerFactory(person__name="Keping Yao").person
    SessionFactory().chairs.add(speaker)
    ContributionSpeakerFactory(person=speaker)
    page = client.get(reverse("admin:events_person_changelist"), {"q": "Keping"})
    row = page.context["cl"].result_list[0]
    assert (row.name, row._contributions, row._chaired) == ("Keping Yao", 2, 1)


def _staff_with(*codenames):
    user = UserFactory(is_staff=True)
    user.user_permissions.add(*Permission.objects.filter(codename__in=codenames))
    return user


@pytest.mark.parametrize(
    "url",
    [
        "admin:paks_contribution_changelist",
        "admin:paks_contribution_add",
        "admin:events_person_changelist",
    ],
)
def test_staff_without_the_editors_permissions_gets_403(client, url):
    client.force_login(UserFactory(is_staff=True))
    assert client.get(reverse(url)).status_code == 403


def test_staff_without_the_editors_permissions_cannot_publish_or_upload(client):
    contribution = ContributionFactory(status="submitted")
    client.force_login(UserFactory(is_staff=True))

    published = client.post(
        reverse(CHANGELIST), {"action": "publish", "_selected_action": [contribution.pk]}
    )
    upload = client.post(
        reverse("admin:paks_contribution_upload", args=[contribution.pk]),
        {"upload": SimpleUploadedFile("slides.pdf", (SAMPLES / "example.pdf").read_bytes())},
    )

    assert (published.status_code, upload.status_code) == (403, 403)
    contribution.refresh_from_db()
    assert contribution.status == "submitted"
    assert not Document.objects.exists()


def test_model_permissions_without_being_an_editor_are_refused_by_the_service(client):
    """Staff given the contribution permissions alone are no editors: the service says no."""
    user = _staff_with("view_contribution", "add_contribution", "change_contribution")
    client.force_login(user)
    submitted = ContributionFactory(status="submitted", title="Waiting")

    added = client.post(reverse(ADD), contribution_form(event=EventFactory().pk, country=""))
    page = action(client, "publish", [submitted])

    assert added.status_code == 403
    assert list(Contribution.objects.all()) == [submitted]
    assert messages_of(page) == ["“Waiting”: Only editors may publish contributions."]
    submitted.refresh_from_db()
    assert submitted.status == "submitted"


def _contribution_with_relations(n):
    session = SessionFactory()
    contribution = ContributionFactory(event=session.event, session=session)
    ContributionSpeakerFactory(contribution=contribution)
    return contribution


def _person_with_roles(n):
    person = ContributionSpeakerFactory().person
    SessionFactory().chairs.add(person)
    return person


# Every query of the change list with a superuser (who needs no permission queries): the
# session and its user; the rows matching and all rows; the page, with what
# list_select_related joins (and, for people, their two counts); then the filters named.
@pytest.mark.parametrize(
    ("model", "add", "queries"),
    [
        # the event and country filters' values (those with contributions)
        (Contribution, _contribution_with_relations, 5 + 2),
        (Person, _person_with_roles, 5 + 1),  # the country filter's values
    ],
)
def test_change_list_reads_an_exact_number_of_queries_whatever_its_rows(
    client, model, add, queries
):
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    add(0)
    client.get(url)  # content types and the admin's other per-process lookups
    for rows in (1, 20):
        while model.objects.count() < rows:
            add(rows)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        assert len(captured) == queries, [q["sql"] for q in captured.captured_queries]


def test_an_editor_duplicates_a_session_with_its_chairs(client):
    from events.models import Session
    from tests.factories import EditorFactory, PersonFactory, SessionFactory

    session = SessionFactory(title="Module 1: e-government strategy", place="Room A")
    chair = PersonFactory()
    session.chairs.add(chair)
    client.force_login(EditorFactory())
    response = client.post(
        "/admin/events/session/",
        {"action": "duplicate", "_selected_action": [session.pk]},
        follow=True,
    )
    assert "1 session duplicated." in response.content.decode()
    copy = Session.objects.exclude(pk=session.pk).get()
    assert (copy.title, copy.event, copy.start, copy.place) == (
        "Module 1: e-government strategy (copy)",
        session.event,
        session.start,
        "Room A",
    )
    assert list(copy.chairs.all()) == [chair]
