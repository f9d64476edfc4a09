"""Contributions to an event through the API: `/api/v1/events/{slug}/contributions/`.

What each caller reads, what focal points and editors write (bodies, preconditions,
idempotency, uploads, review), what bad input answers; and every role x action x status
against a small reference (the last test).
"""

from pathlib import Path

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from hypothesis import HealthCheck, Phase, given, note, settings
from hypothesis import strategies as st
from rest_framework.test import APIClient

from accounts.models import AuditEvent
from events.models import Person
from paks.models import CaseStudy, Contribution, ContributionSpeaker, Document, IdempotencyKey
from tests.factories import (
    CaseStudyFactory,
    ContributionFactory,
    ContributionSpeakerFactory,
    CountryFactory,
    DocumentFactory,
    EditorFactory,
    EventFactory,
    FocalPointFactory,
    OrganizationFactory,
    ParticipationFactory,
    SessionFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
SAMPLES = Path(__file__).resolve().parents[2] / "paks" / "demo_files"
SAMPLE = (SAMPLES / "example.pdf").read_bytes()


def contributions_url(event, pk=None, action=None):
    if pk is None:
        return reverse("api-v1:event-contribution-list", kwargs={"event_slug": event.slug})
    name = f"api-v1:event-contribution-{action or 'detail'}"
    return reverse(name, kwargs={"event_slug": event.slug, "id": pk})


def client_for(user=None):
    """JSON bodies unless said otherwise (uploads are multipart)."""
    client = APIClient()
    client.default_format = "json"
    if user is not None:
        client.force_authenticate(user)
    return client


def etag(contribution):
    contribution.refresh_from_db()
    return f'"contribution-{contribution.pk}-v{contribution.version}"'


def pdf(name="slides.pdf", content=SAMPLE):
    return SimpleUploadedFile(name, content, "application/pdf")


def rows():
    """What the refused requests must leave as it was."""
    return (
        sorted(
            Contribution.objects.values_list(
                "pk", "title", "status", "version", "session_id", "case_id", "country_id"
            )
        ),
        sorted(ContributionSpeaker.objects.values_list("contribution_id", "person_id")),
        sorted(Person.objects.values_list("pk", flat=True)),
        sorted(Document.objects.values_list("pk", flat=True)),
    )


@pytest.fixture
def event():
    return EventFactory(slug="forum")


@pytest.fixture
def focal_point(event):
    point = FocalPointFactory(country=CountryFactory(iso3="AAA", name="Aland"))
    ParticipationFactory(event=event, country=point.country)
    return point


@pytest.fixture
def fp(focal_point):
    return client_for(focal_point.user)


# Creating --------------------------------------------------------------------------------


def test_a_focal_point_adds_its_countrys_contribution_as_a_draft(fp, focal_point, event):
    session = SessionFactory(event=event, title="Country presentations")
    CaseStudyFactory(country=focal_point.country, slug="one-stop", title="One stop")
    OrganizationFactory(slug="ministry", name="Ministry", acronym="MIN")
    body = {
        "title": "One-stop shops",
        "kind": "presentation",
        "abstract": "Services in one place.",
        "session": session.pk,
        "case": "one-stop",
        "speakers": [
            {"name": "Jane Doe", "position": "Director", "organization": "ministry"},
            {"name": "Li Wei", "country": "aaa"},
        ],
        "status": "published",  # not the caller's to say
    }
    response = fp.post(contributions_url(event), body)
    assert response.status_code == 201, response.json()
    made = Contribution.objects.get()
    data = response.json()
    assert response["ETag"] == f'"contribution-{made.pk}-v1"'
    assert response["Location"] == f"/api/v1/events/forum/contributions/{made.pk}/"
    assert data["url"] == f"http://testserver/api/v1/events/forum/contributions/{made.pk}/"
    assert (data["id"], data["event"], data["title"], data["kind"]) == (
        made.pk,
        "forum",
        "One-stop shops",
        "presentation",
    )
    assert data["session"] == {"id": session.pk, "title": "Country presentations"}
    assert data["country"] == {"iso3": "AAA", "name": "Aland"}
    assert data["case"] == {
        "slug": "one-stop",
        "title": "One stop",
        "url": "http://testserver/api/v1/cases/one-stop/",
    }
    assert data["speakers"] == [
        {
            "name": "Jane Doe",
            "position": "Director",
            "organization": {"slug": "ministry", "name": "Ministry", "acronym": "MIN"},
            "country": None,
        },
        {
            "name": "Li Wei",
            "position": "",
            "organization": None,
            "country": {"iso3": "AAA", "name": "Aland"},
        },
    ]
    assert (data["status"], data["version"], data["published_at"], data["documents"]) == (
        "draft",
        1,
        None,
        [],
    )
    assert made.country == focal_point.country and made.created_by == focal_point.user
    # The draft is not public.
    assert client_for().get(contributions_url(event, made.pk)).status_code == 404
    assert client_for().get(contributions_url(event)).json()["count"] == 0


def test_a_speaker_is_recorded_once_however_often_named(fp, event):
    Person.objects.create(name="Jane Doe", slug="jane-doe", position="")
    for title in ("First", "Second"):
        body = {"title": title, "speakers": [{"name": "jane  doe", "position": "Director"}]}
        assert fp.post(contributions_url(event), body).status_code == 201
    jane = Person.objects.get()
    assert (jane.name, jane.position, jane.contributions.count()) == ("Jane Doe", "Director", 2)


def test_a_focal_point_naming_another_country_is_refused_not_replaced(fp, event):
    other = CountryFactory(iso3="BBB")
    ParticipationFactory(event=event, country=other)
    before = rows()
    response = fp.post(contributions_url(event), {"title": "x", "country": "BBB"})
    assert response.status_code == 400
    body = response.json()
    assert body["field"] == "country" and "not a focal point of" in body["message"]
    assert rows() == before


def test_a_country_that_did_not_take_part_cannot_contribute(focal_point):
    elsewhere = EventFactory()
    response = client_for(focal_point.user).post(contributions_url(elsewhere), {"title": "x"})
    assert response.status_code == 400
    assert response.json()["field"] == "country"
    assert "did not take part" in response.json()["message"]
    assert not Contribution.objects.exists()


def test_an_editor_adds_any_countrys_contribution_and_a_hidden_events(event):
    hidden = EventFactory(is_public=False)
    CountryFactory(iso3="CCC")
    editor = client_for(EditorFactory())
    response = editor.post(contributions_url(hidden), {"title": "x", "country": "CCC"})
    assert response.status_code == 201, response.json()
    assert Contribution.objects.get().country.iso3 == "CCC"
    # Anyone else finds no such event.
    assert client_for().get(contributions_url(hidden)).status_code == 404


def test_people_without_a_country_cannot_add(event):
    response = client_for(UserFactory(is_staff=True)).post(contributions_url(event), {"title": "x"})
    assert response.status_code == 403
    assert response.json()["message"] == (
        "Only country focal points and editors may create contributions."
    )
    assert client_for().post(contributions_url(event), {"title": "x"}).status_code == 401
    assert not Contribution.objects.exists()


def long_speakers(n):
    return [{"name": f"Speaker {i}"} for i in range(n)]


BAD_BODIES = {
    "unknown session": ({"session": 999999}, "session", "object does not exist"),
    "another event's session": ({"session": "other"}, "session", "not part of the event"),
    "session not a number": ({"session": "first"}, "session", "Incorrect type"),
    "another country's draft case": ({"case": "their-draft"}, "case", "does not exist"),
    "another country's published case": ({"case": "their-case"}, "case", "is about"),
    "unknown case": ({"case": "nothing"}, "case", "does not exist"),
    "empty title": ({"title": ""}, "title", "may not be blank"),
    "blank title": ({"title": "   "}, "title", "may not be blank"),
    "no title": ({"title": None}, "title", "may not be null"),
    "10,000-character title": ({"title": "x" * 10_000}, "title", "no more than 300"),
    "unknown kind": ({"kind": "poem"}, "kind", "not a valid choice"),
    "speakers not a list": ({"speakers": "Jane Doe"}, "speakers", "Expected a list"),
    "a speaker as text": ({"speakers": ["Jane Doe"]}, "speakers", "Invalid data"),
    "a speaker without a name": ({"speakers": [{"position": "Director"}]}, "speakers", ""),
    "a speaker with an empty name": ({"speakers": [{"name": " "}]}, "speakers", "blank"),
    "unknown organization": (
        {"speakers": [{"name": "Jane", "organization": "nowhere"}]},
        "speakers",
        "",
    ),
    "unknown speaker country": ({"speakers": [{"name": "Jane", "country": "ZZZ"}]}, "speakers", ""),
    "too many speakers": ({"speakers": long_speakers(51)}, "speakers", "no more than 50"),
    "a list body": ([{"title": "x"}], None, "Expected a dictionary"),
}


@pytest.mark.parametrize("name", BAD_BODIES)
def test_bad_input_answers_400_naming_the_field_and_changes_nothing(fp, event, name):
    other = CountryFactory(iso3="BBB")
    CaseStudyFactory(country=other, slug="their-draft")
    CaseStudyFactory(country=other, slug="their-case", published=True)
    another_session = SessionFactory()
    change, field, message = BAD_BODIES[name]
    if isinstance(change, dict):
        body = {"title": "A talk", **change}
        if body.get("session") == "other":
            body["session"] = another_session.pk
    else:
        body = change
    before = rows()
    response = fp.post(contributions_url(event), body)
    assert response.status_code == 400, response.json()
    data = response.json()
    assert data.get("field") == field
    assert message in data["message"]
    assert rows() == before
    # The same values in a change of a draft are refused alike.
    if isinstance(change, dict):
        draft = ContributionFactory(event=event, country=CountryFactory(iso3="AAA"))
        before = rows()
        response = fp.patch(contributions_url(event, draft.pk), body, HTTP_IF_MATCH=etag(draft))
        assert response.status_code == 400, response.json()
        assert response.json().get("field") == field
        assert rows() == before


def test_a_body_nested_too_deep_is_refused(fp, event):
    body = '{"title": "x", "speakers": ' + "[" * 50 + "]" * 50 + "}"
    response = fp.post(contributions_url(event), body, content_type="application/json")
    assert response.status_code == 400
    assert not Contribution.objects.exists()


def test_create_is_idempotent_with_a_key(fp, event):
    body = {"title": "Once", "speakers": [{"name": "Jane"}]}
    first = fp.post(contributions_url(event), body, HTTP_IDEMPOTENCY_KEY="k-1")
    again = fp.post(contributions_url(event), body, HTTP_IDEMPOTENCY_KEY="k-1")
    assert (first.status_code, again.status_code) == (201, 201)
    assert again["Idempotent-Replayed"] == "true"
    assert again.json() == first.json() and again["Location"] == first["Location"]
    assert Contribution.objects.count() == 1 and Person.objects.count() == 1
    other = fp.post(contributions_url(event), {"title": "Other"}, HTTP_IDEMPOTENCY_KEY="k-1")
    assert other.status_code == 422
    # A refused request does not keep its key: the corrected retry goes through.
    bad = fp.post(contributions_url(event), {"title": ""}, HTTP_IDEMPOTENCY_KEY="k-2")
    good = fp.post(contributions_url(event), {"title": "Fixed"}, HTTP_IDEMPOTENCY_KEY="k-2")
    assert (bad.status_code, good.status_code) == (400, 201)
    assert IdempotencyKey.objects.count() == 2


# Reading ---------------------------------------------------------------------------------


def test_who_sees_which_contributions(focal_point, event):
    home = focal_point.country
    abroad = FocalPointFactory(country=CountryFactory(iso3="BBB"))
    ParticipationFactory(event=event, country=abroad.country)
    published = ContributionFactory(event=event, country=home, published=True, title="Out")
    draft = ContributionFactory(event=event, country=home, title="Mine")
    theirs = ContributionFactory(event=event, country=abroad.country, status="submitted")
    ContributionFactory(country=home, published=True)  # another event's

    def ids(user):
        response = client_for(user).get(contributions_url(event))
        assert response.status_code == 200
        return {row["id"] for row in response.json()["results"]}

    assert ids(None) == {published.pk}
    assert ids(UserFactory(is_staff=True)) == {published.pk}
    assert ids(focal_point.user) == {published.pk, draft.pk}
    assert ids(abroad.user) == {published.pk, theirs.pk}
    assert ids(EditorFactory()) == {published.pk, draft.pk, theirs.pk}
    # Another country's draft does not exist for a focal point, on any URL.
    other = client_for(abroad.user)
    for response in (
        other.get(contributions_url(event, draft.pk)),
        other.patch(contributions_url(event, draft.pk), {"title": "x"}, HTTP_IF_MATCH=etag(draft)),
        other.delete(contributions_url(event, draft.pk), HTTP_IF_MATCH=etag(draft)),
        other.post(contributions_url(event, draft.pk, "submit")),
        other.post(
            contributions_url(event, draft.pk, "documents"), {"file": pdf()}, format="multipart"
        ),
    ):
        assert response.status_code == 404
        assert response.json() == {"code": "not_found", "message": "Not found."}
    # Nor does a contribution under another event's address.
    assert client_for(None).get(contributions_url(EventFactory(), published.pk)).status_code == 404


def test_an_unknown_or_hidden_event_is_not_found(event):
    hidden = EventFactory(is_public=False)
    ContributionFactory(event=hidden, published=True)
    anyone = client_for()
    assert anyone.get("/api/v1/events/no-such-event/contributions/").status_code == 404
    assert anyone.get(contributions_url(hidden)).status_code == 404
    assert client_for(FocalPointFactory().user).get(contributions_url(hidden)).status_code == 404
    response = client_for(EditorFactory()).get(contributions_url(hidden))
    assert response.status_code == 200 and response.json()["count"] == 1


def test_a_draft_case_is_not_named_to_those_who_may_not_see_it(focal_point, event):
    draft_case = CaseStudyFactory(country=focal_point.country, slug="secret")
    contribution = ContributionFactory(
        event=event, country=focal_point.country, case=draft_case, published=True
    )
    url = contributions_url(event, contribution.pk)
    assert client_for().get(url).json()["case"] is None
    assert client_for(focal_point.user).get(url).json()["case"]["slug"] == "secret"
    assert client_for(EditorFactory()).get(url).json()["case"]["slug"] == "secret"
    CaseStudy.objects.filter(pk=draft_case.pk).update(
        status=CaseStudy.Status.PUBLISHED, published_at=draft_case.created_at
    )
    assert client_for().get(url).json()["case"]["slug"] == "secret"


def test_the_list_is_paged(event):
    for _ in range(3):
        ContributionFactory(event=event, published=True)
    response = client_for().get(contributions_url(event), {"page_size": 2})
    data = response.json()
    assert (data["count"], len(data["results"])) == (3, 2)
    assert data["next"].endswith("page=2&page_size=2")
    assert client_for().get(contributions_url(event), {"page_size": 500}).status_code == 400


def test_the_list_takes_the_same_queries_for_one_row_and_fifty(focal_point, event):
    editor = EditorFactory()

    def add(n):
        for _ in range(n):
            contribution = ContributionFactory(
                event=event,
                country=focal_point.country,
                session=SessionFactory(event=event),
                case=CaseStudyFactory(country=focal_point.country),  # a draft
                published=True,
            )
            ContributionSpeakerFactory(contribution=contribution)
            DocumentFactory(case=None, event=event, contribution=contribution)

    def queries(user):
        # As a request would have it: read afresh, with nothing cached on it.
        client = client_for(user and type(user).objects.get(pk=user.pk))
        with CaptureQueriesContext(connection) as captured:
            response = client.get(contributions_url(event), {"page_size": 100})
        assert response.status_code == 200
        results = response.json()["results"]
        return len(captured), len(results), sum(row["case"] is not None for row in results)

    for n, added in ((1, 1), (50, 49)):
        add(added)
        # The event; the count; the page (with session, country and case); the speakers (with
        # their organizations and countries); the documents (with their events). The draft
        # cases are not named.
        assert queries(None) == (5, n, 0)
        # The same, and the focal point's countries once, to name its draft cases.
        assert queries(focal_point.user) == (6, n, n)
        # The same as anonymous, and the editor's permissions (its own and its groups').
        assert queries(editor) == (7, n, n)


# Changing --------------------------------------------------------------------------------


def test_a_change_needs_the_current_etag(fp, focal_point, event):
    draft = ContributionFactory(event=event, country=focal_point.country, title="Old")
    ContributionSpeakerFactory(contribution=draft)
    url = contributions_url(event, draft.pk)
    read = fp.get(url)
    assert read["ETag"] == f'"contribution-{draft.pk}-v1"'

    response = fp.patch(url, {"title": "New"})
    assert response.status_code == 428 and response.json()["code"] == "precondition_required"
    response = fp.patch(url, {"title": "New"}, HTTP_IF_MATCH='"case-1-v1"')
    assert response.status_code == 412

    response = fp.patch(
        url,
        {"title": "New", "speakers": [{"name": "Ana"}]},
        format="json",
        HTTP_IF_MATCH=read["ETag"],
    )
    assert response.status_code == 200, response.json()
    data = response.json()
    assert (data["title"], data["version"]) == ("New", 2)
    assert [s["name"] for s in data["speakers"]] == ["Ana"]
    assert response["ETag"] == f'"contribution-{draft.pk}-v2"'
    # Leaving the speakers out keeps them.
    response = fp.patch(url, {"abstract": "A"}, HTTP_IF_MATCH=response["ETag"])
    assert [s["name"] for s in response.json()["speakers"]] == ["Ana"]

    # The first ETag again: changed since.
    stale = fp.patch(url, {"title": "Lost"}, HTTP_IF_MATCH=read["ETag"])
    assert stale.status_code == 412 and stale.json()["code"] == "precondition_failed"
    assert Contribution.objects.get().title == "New"


def test_a_contribution_keeps_its_country(fp, focal_point, event):
    draft = ContributionFactory(event=event, country=focal_point.country)
    CountryFactory(iso3="BBB")
    url = contributions_url(event, draft.pk)
    response = fp.patch(url, {"country": "BBB"}, HTTP_IF_MATCH=etag(draft))
    assert response.status_code == 400 and response.json()["field"] == "country"
    same = fp.patch(url, {"country": "aaa"}, HTTP_IF_MATCH=etag(draft))
    assert same.status_code == 200
    assert Contribution.objects.get().country == focal_point.country


def test_review_submit_return_change_submit_publish(fp, focal_point, event):
    editor = client_for(EditorFactory())
    draft = ContributionFactory(event=event, country=focal_point.country)
    url = contributions_url(event, draft.pk)

    submitted = fp.post(contributions_url(event, draft.pk, "submit"))
    assert submitted.status_code == 200 and submitted.json()["status"] == "submitted"
    assert submitted.json()["submitted_at"] is not None
    refused = fp.patch(url, {"title": "y"}, HTTP_IF_MATCH=submitted["ETag"])
    assert refused.status_code == 409 and refused.json()["code"] == "invalid_status"
    assert fp.post(contributions_url(event, draft.pk, "publish")).status_code == 403

    no_comment = editor.post(contributions_url(event, draft.pk, "return"), {})
    assert no_comment.status_code == 400 and no_comment.json()["field"] == "comment"
    blank = editor.post(contributions_url(event, draft.pk, "return"), {"comment": "  "})
    assert blank.status_code == 400 and blank.json()["field"] == "comment"
    stale = editor.post(
        contributions_url(event, draft.pk, "return"),
        {"comment": "Add slides"},
        HTTP_IF_MATCH=f'"contribution-{draft.pk}-v1"',
    )
    assert stale.status_code == 412
    returned = editor.post(
        contributions_url(event, draft.pk, "return"),
        {"comment": "Add slides"},
        HTTP_IF_MATCH=submitted["ETag"],
    )
    assert returned.status_code == 200 and returned.json()["status"] == "changes_requested"
    assert AuditEvent.objects.get(action="contribution_returned").detail == "Add slides"

    changed = fp.patch(url, {"title": "y"}, HTTP_IF_MATCH=returned["ETag"])
    assert changed.status_code == 200
    assert fp.post(contributions_url(event, draft.pk, "submit")).status_code == 200
    published = editor.post(contributions_url(event, draft.pk, "publish"))
    assert published.status_code == 200
    assert published.json()["status"] == "published" and published.json()["published_at"]
    assert editor.post(contributions_url(event, draft.pk, "publish")).status_code == 409
    # Now anyone reads it.
    assert client_for().get(url).json()["title"] == "y"


def test_a_draft_is_deleted_with_its_slides(
    fp, focal_point, event, django_capture_on_commit_callbacks
):
    draft = ContributionFactory(event=event, country=focal_point.country)
    url = contributions_url(event, draft.pk)
    uploaded = fp.post(
        contributions_url(event, draft.pk, "documents"), {"file": pdf()}, format="multipart"
    )
    stored = Document.objects.get(pk=uploaded.json()["id"]).file
    assert fp.delete(url).status_code == 428
    assert fp.delete(url, HTTP_IF_MATCH=f'"contribution-{draft.pk}-v0"').status_code == 412
    with django_capture_on_commit_callbacks(execute=True):
        assert fp.delete(url, HTTP_IF_MATCH=etag(draft)).status_code == 204
    assert not Contribution.objects.exists() and not Document.objects.exists()
    assert not stored.storage.exists(stored.name)


def test_only_drafts_are_deleted_by_focal_points(fp, focal_point, event):
    submitted = ContributionFactory(event=event, country=focal_point.country, status="submitted")
    url = contributions_url(event, submitted.pk)
    response = fp.delete(url, HTTP_IF_MATCH=etag(submitted))
    assert response.status_code == 409 and "only drafts" in response.json()["message"]
    assert client_for(EditorFactory()).delete(url, HTTP_IF_MATCH=etag(submitted)).status_code == 204


# Uploading -------------------------------------------------------------------------------


def test_slides_are_uploaded_to_a_draft(fp, focal_point, event):
    draft = ContributionFactory(event=event, country=focal_point.country)
    url = contributions_url(event, draft.pk, "documents")
    response = fp.post(
        url, {"file": pdf(), "title": "Our slides"}, "multipart", HTTP_IDEMPOTENCY_KEY="u-1"
    )
    assert response.status_code == 201, response.json()
    document = Document.objects.get()
    assert response.json()["id"] == document.pk and response.json()["title"] == "Our slides"
    assert response.json()["download_url"].endswith(f"/documents/{document.pk}/download/")
    assert (document.contribution, document.event, document.case) == (draft, event, None)
    assert response["Location"] == f"/api/v1/documents/{document.pk}/"
    again = fp.post(
        url, {"file": pdf(), "title": "Our slides"}, "multipart", HTTP_IDEMPOTENCY_KEY="u-1"
    )
    assert again.status_code == 201 and Document.objects.count() == 1
    duplicate = fp.post(url, {"file": pdf()}, format="multipart")
    assert duplicate.status_code == 409 and duplicate.json()["code"] == "duplicate"
    listed = fp.get(contributions_url(event, draft.pk)).json()["documents"]
    assert [d["id"] for d in listed] == [document.pk]
    assert [d["id"] for d in fp.get(url).json()] == [document.pk]
    # The draft's slides are not public.
    assert client_for().get(response.json()["download_url"]).status_code == 404


@pytest.mark.parametrize(
    ("upload", "status", "code"),
    [
        (SimpleUploadedFile("logo.svg", b"<svg xmlns='http://www.w3.org/2000/svg'/>"), 415, None),
        (SimpleUploadedFile("empty.pdf", b""), 400, None),
        (SimpleUploadedFile("slides.pptx", SAMPLE), 400, "name_mismatch"),
    ],
)
def test_a_refused_upload_stores_nothing(fp, focal_point, event, settings, upload, status, code):
    draft = ContributionFactory(event=event, country=focal_point.country)
    response = fp.post(
        contributions_url(event, draft.pk, "documents"), {"file": upload}, format="multipart"
    )
    assert response.status_code == status, response.json()
    assert response.json()["field"] == "file"
    if code:
        assert response.json()["code"] == code
    assert not Document.objects.exists()
    media = Path(settings.MEDIA_ROOT)
    assert not media.exists() or not [p for p in media.rglob("*") if p.is_file()]


def test_nothing_is_uploaded_to_a_submitted_contribution(fp, focal_point, event, settings):
    submitted = ContributionFactory(event=event, country=focal_point.country, status="submitted")
    response = fp.post(
        contributions_url(event, submitted.pk, "documents"), {"file": pdf()}, format="multipart"
    )
    assert response.status_code == 409
    assert response.json()["field"] == "contribution"
    assert not Document.objects.exists()
    media = Path(settings.MEDIA_ROOT)
    assert not media.exists() or not [p for p in media.rglob("*") if p.is_file()]


def test_the_schema_documents_every_operation_and_who_may_call_it():
    schema = client_for().get("/api/v1/schema/", HTTP_ACCEPT="application/json").json()
    base = "/api/v1/events/{event_slug}/contributions/"
    item = base + "{id}/"
    operations = {
        (path, method)
        for path, methods in schema["paths"].items()
        if path.startswith(base)
        for method in methods
        if method != "parameters"
    }
    assert operations == {
        (base, "get"),
        (base, "post"),
        (item, "get"),
        (item, "patch"),
        (item, "delete"),
        (item + "submit/", "post"),
        (item + "publish/", "post"),
        (item + "return/", "post"),
        (item + "documents/", "get"),
        (item + "documents/", "post"),
    }
    # Reads need no credentials; writes do.
    assert {} in schema["paths"][base]["get"]["security"]
    assert {} not in schema["paths"][base]["post"]["security"]
    patch = schema["paths"][item]["patch"]
    assert {p["name"] for p in patch["parameters"]} >= {"event_slug", "id", "If-Match"}
    assert {"400", "412", "428"} <= set(patch["responses"])


# Every role x action x status, against a reference -----------------------------------------

ROLES = ("anonymous", "other", "own", "editor", "staff")
ACTIONS = ("list", "read", "create", "edit", "submit", "publish", "return", "delete", "upload")
STATUSES = tuple(Contribution.Status.values)
EDITABLE = {"draft", "changes_requested"}


def reference(role, action, status, public):
    """What the API answers `role` doing `action` to a contribution of country AAA in `status`
    at an event (public or not) that AAA and BBB took part in, and what it changes.

    Roles: nobody signed in; the focal point of BBB ("other") and of AAA ("own"); an editor;
    a staff account without the editors' permissions. Effects: None (nothing changes),
    "added", "title", "deleted", "document", or the status the contribution moves to."""
    if action not in {"list", "read"} and role == "anonymous":
        return 401, None
    if action == "create" and role == "staff":  # no country: not even the event is looked up
        return 403, None
    if not public and role != "editor":
        return 404, None
    if action == "list":
        return 200, None
    if action == "create":  # the body names AAA
        return (201, "added") if role in {"own", "editor"} else (400, None)
    if not (role in {"own", "editor"} or status == "published"):
        return 404, None  # it does not exist for them
    if action == "read":
        return 200, None
    if action in {"publish", "return"}:
        if role != "editor":
            return 403, None
        from_ = {"submitted", "draft"} if action == "publish" else {"submitted"}
        to = "published" if action == "publish" else "changes_requested"
        return (200, to) if status in from_ else (409, None)
    if role not in {"own", "editor"}:
        return 403, None
    if action == "submit":
        return (200, "submitted") if status in EDITABLE else (409, None)
    if role == "own" and action == "delete":
        return (204, "deleted") if status == "draft" else (409, None)
    if role == "own" and status not in EDITABLE:
        return 409, None
    return {"edit": (200, "title"), "delete": (204, "deleted"), "upload": (201, "document")}[action]


def listed(role, status):
    """The rows the list shows `role` (of the one contribution of AAA)."""
    return role in {"own", "editor"} or status == "published"


def snapshot():
    contributions = {
        c.pk: (c.title, c.status, c.version, c.country.iso3)
        for c in Contribution.objects.select_related("country")
    }
    return contributions, Document.objects.count()


def expected_snapshot(before, pk, effect):
    contributions, documents = dict(before[0]), before[1]
    if effect == "added":
        return "one more draft of AAA", documents
    if effect == "deleted":
        del contributions[pk]
    elif effect == "document":
        documents += 1
    elif effect == "title":
        title, status, version, country = contributions[pk]
        contributions[pk] = ("Changed", status, version + 1, country)
    elif effect is not None:
        title, status, version, country = contributions[pk]
        contributions[pk] = (title, effect, version + 1, country)
    return contributions, documents


def world(status, public):
    home, abroad = CountryFactory(iso3="AAA"), CountryFactory(iso3="BBB")
    event = EventFactory(is_public=public)
    ParticipationFactory(event=event, country=home)
    ParticipationFactory(event=event, country=abroad)
    people = {
        "anonymous": None,
        "own": FocalPointFactory(country=home).user,
        "other": FocalPointFactory(country=abroad).user,
        "editor": EditorFactory(),
        "staff": UserFactory(is_staff=True),
    }
    dated = status in {"published", "archived"}
    contribution = ContributionFactory(
        event=event,
        country=home,
        status=status,
        published_at=event.end if dated else None,
    )
    return event, contribution, people


def act(client, action, event, contribution):
    detail = contributions_url(event, contribution.pk)
    match action:
        case "list":
            return client.get(contributions_url(event))
        case "read":
            return client.get(detail)
        case "create":
            return client.post(contributions_url(event), {"title": "New", "country": "AAA"})
        case "edit":
            return client.patch(detail, {"title": "Changed"}, HTTP_IF_MATCH=etag(contribution))
        case "delete":
            return client.delete(detail, HTTP_IF_MATCH=etag(contribution))
        case "upload":
            url = contributions_url(event, contribution.pk, "documents")
            return client.post(url, {"file": pdf()}, format="multipart")
        case "return":
            url = contributions_url(event, contribution.pk, "return")
            return client.post(url, {"comment": "Add the slides."})
        case _:
            return client.post(contributions_url(event, contribution.pk, action))


def check(role, action, status, public):
    """Run one request in a world rolled back afterwards; compare with the reference."""
    cache.clear()  # the throttles count every example's requests otherwise
    with transaction.atomic():
        event, contribution, people = world(status, public)
        before = snapshot()
        response = act(client_for(people[role]), action, event, contribution)
        code, effect = reference(role, action, status, public)
        assert response.status_code == code, response.content[:300]
        if code >= 400:
            body = response.json()
            assert body["code"] and body["message"]
        after = snapshot()
        want = expected_snapshot(before, contribution.pk, effect)
        if effect == "added":
            [new] = set(after[0]) - set(before[0])
            assert after[0][new] == ("New", "draft", 1, "AAA")
            assert {pk: row for pk, row in after[0].items() if pk != new} == before[0]
        else:
            assert after == want
        if action == "list" and code == 200:
            ids = [row["id"] for row in response.json()["results"]]
            assert ids == ([contribution.pk] if listed(role, status) else [])
        transaction.set_rollback(True)


@settings(
    max_examples=250,
    derandomize=True,
    deadline=None,
    database=None,
    phases=[Phase.explicit, Phase.generate, Phase.shrink],
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    role=st.sampled_from(ROLES),
    action=st.sampled_from(ACTIONS),
    status=st.sampled_from(STATUSES),
    public=st.booleans(),
)
def test_every_role_action_and_status_answers_as_the_reference(role, action, status, public):
    note(f"check({role!r}, {action!r}, {status!r}, public={public})")
    check(role, action, status, public)


# Examples worth keeping whatever the generator draws.


def test_a_focal_point_cannot_publish_its_own_submitted_contribution():
    check("own", "publish", "submitted", True)


def test_a_focal_point_cannot_delete_a_returned_contribution():
    check("own", "delete", "changes_requested", True)


def test_another_countrys_focal_point_cannot_upload_to_a_published_contribution():
    check("other", "upload", "published", True)


def test_an_editor_works_on_a_hidden_events_contributions():
    check("editor", "edit", "archived", False)
