"""A focal point's contributions to events in the workspace: the events its country took part
in, adding and changing a contribution with its speakers, its slides, submitting, deleting."""

import datetime
import re
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import AuditEvent
from events.models import Person
from paks import contributions as services
from paks.models import Contribution, Document
from tests.factories import (
    CaseStudyFactory,
    ContributionFactory,
    ContributionSpeakerFactory,
    CountryFactory,
    EditorFactory,
    EventFactory,
    FocalPointFactory,
    OrganizationFactory,
    ParticipationFactory,
    PersonFactory,
    SessionFactory,
)

pytestmark = pytest.mark.django_db
SAMPLE = (Path(__file__).resolve().parents[2] / "paks" / "demo_files" / "example.pdf").read_bytes()


@pytest.fixture
def focal(client):
    appointment = FocalPointFactory(country=CountryFactory(iso3="AAA", name="Aland"))
    client.force_login(appointment.user)
    return appointment


@pytest.fixture
def event(focal):
    event = EventFactory(slug="forum", title="Regional forum")
    ParticipationFactory(event=event, country=focal.country)
    return event


def form(**changes):
    return {
        "title": "One-stop shops",
        "kind": "presentation",
        "abstract": "",
        "session": "",
        "case": "",
        "speakers": "",
        **changes,
    }


def edit_form(contribution, **changes):
    return form(**{"title": contribution.title, "version": str(contribution.version), **changes})


def files_in(settings):
    media = Path(settings.MEDIA_ROOT)
    return [p for p in media.rglob("*") if p.is_file()] if media.exists() else []


def rows():
    return (
        sorted(Contribution.objects.values_list("pk", "title", "status", "version")),
        sorted(Person.objects.values_list("pk", "name", "position", "organization_id")),
        sorted(Document.objects.values_list("pk", flat=True)),
    )


# The home page ---------------------------------------------------------------------------


def test_the_home_lists_the_events_the_country_took_part_in_with_its_contributions(
    client, focal, event
):
    now = timezone.now()
    hosted = EventFactory(title="Hosted seminar", country=focal.country, start=now)
    EventFactory(title="Somebody else's event")
    hidden = EventFactory(title="Hidden meeting", is_public=False)
    ParticipationFactory(event=hidden, country=focal.country)
    mine = ContributionFactory(event=event, country=focal.country, title="Our talk")
    ContributionFactory(event=event, title="Their talk")  # another country's

    page = client.get(reverse("workspace:home")).content.decode()
    assert "Events your country took part in" in page
    assert page.index("Hosted seminar") < page.index("Regional forum")  # newest first
    assert "Somebody else" not in page and "Hidden meeting" not in page
    assert "Their talk" not in page
    edit = reverse("workspace:contribution-edit", args=[mine.pk])
    assert f'<a href="{edit}">Our talk</a> <span class="tag">Draft</span>' in page
    for shown in (event, hosted):
        assert reverse("workspace:contribution-create", args=[shown.slug]) in page


def test_the_home_shows_the_newest_events_and_links_to_all(client, focal):
    start = timezone.now() - datetime.timedelta(days=400)
    for n in range(12):
        ParticipationFactory(
            event=EventFactory(title=f"Event {n:02}", start=start + datetime.timedelta(days=n)),
            country=focal.country,
        )
    page = client.get(reverse("workspace:home")).content.decode()
    assert "Event 11" in page and "Event 02" in page and "Event 01" not in page
    everything = reverse("workspace:country-events", args=["AAA"])
    assert everything in page
    listing = client.get(everything).content.decode()
    assert all(f"Event {n:02}" in listing for n in range(12))
    other = FocalPointFactory().country.iso3
    assert client.get(reverse("workspace:country-events", args=[other])).status_code == 404


def test_the_home_takes_the_same_queries_for_one_event_and_ten(client, focal):
    def add(n):
        for _ in range(n):
            event = EventFactory()
            ParticipationFactory(event=event, country=focal.country)
            ContributionFactory(event=event, country=focal.country)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            page = client.get(reverse("workspace:home"))
        assert page.status_code == 200
        return len(captured), page.content.decode().count('<span class="tag">Draft</span>')

    add(1)
    # The session; the user; their countries; their cases (none, so nothing prefetched);
    # when the country's information was confirmed; the country's events; the
    # contributions to them of the person's countries.
    assert queries() == (7, 1)
    add(9)
    assert queries() == (7, 10)


# Adding ----------------------------------------------------------------------------------


def test_a_focal_point_adds_a_contribution_with_its_speakers(client, focal, event):
    session = SessionFactory(event=event, title="Country presentations")
    case = CaseStudyFactory(country=focal.country, title="One-stop shops in every district")
    nia = OrganizationFactory(name="National Information Agency", acronym="NIA")
    commas = OrganizationFactory(name="Ministry of Information, Communications and Technology")
    speakers = "\n".join(
        [
            "Jane Doe, Director, e-Government, NIA",
            "",
            "Li Wei, Minister, Ministry of Information, Communications and Technology",
            "Ana Lima",
            "Ola Berg, Adviser, e-Services,",
        ]
    )
    response = client.post(
        reverse("workspace:contribution-create", args=["forum"]),
        form(
            abstract="Services in one place.", session=session.pk, case=case.pk, speakers=speakers
        ),
    )
    contribution = Contribution.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("workspace:contribution-edit", args=[contribution.pk])
    assert (contribution.status, contribution.country, contribution.session, contribution.case) == (
        "draft",
        focal.country,
        session,
        case,
    )
    people = [
        (role.person.name, role.person.position, role.person.organization, role.person.country)
        for role in contribution.speaker_roles.order_by("position")
    ]
    assert people == [
        ("Jane Doe", "Director, e-Government", nia, focal.country),
        ("Li Wei", "Minister", commas, focal.country),
        ("Ana Lima", "", None, focal.country),
        ("Ola Berg", "Adviser, e-Services", None, focal.country),
    ]
    # The edit page writes them back as lines that read back the same.
    page = client.get(response["Location"]).content.decode()
    written = re.search(r'<textarea name="speakers"[^>]*>\n?(.*?)</textarea>', page, re.S)
    assert written is not None
    lines = written.group(1).replace("&#x27;", "'").splitlines()
    assert lines == [
        "Jane Doe, Director, e-Government, National Information Agency",
        "Li Wei, Minister, Ministry of Information, Communications and Technology",
        "Ana Lima",
        "Ola Berg, Adviser, e-Services,",
    ]
    before = rows()
    again = client.post(
        response["Location"],
        edit_form(contribution, session=session.pk, case=case.pk, speakers="\n".join(lines)),
    )
    assert again.status_code == 302
    assert rows()[1] == before[1]  # the same people, nobody new


def test_the_form_offers_the_events_sessions_and_the_countrys_cases_with_labels(
    client, focal, event
):
    ours = SessionFactory(event=event, title="Panel on data")
    theirs = SessionFactory(title="Another event's panel")
    own_case = CaseStudyFactory(country=focal.country, title="Our case")
    other_case = CaseStudyFactory(title="Their case", published=True)
    page = client.get(reverse("workspace:contribution-create", args=["forum"])).content.decode()
    assert f'<option value="{ours.pk}">Panel on data (' in page
    assert f'value="{theirs.pk}"' not in page
    assert f'<option value="{own_case.pk}">Our case</option>' in page
    assert f'value="{other_case.pk}"' not in page
    for name in ("title", "kind", "abstract", "session", "case", "speakers"):
        assert f'<label for="id_{name}">' in page
    assert 'name="country"' not in page  # one country: no choice to make


def test_someone_keeping_two_countries_says_which_one(client, focal, event):
    second = FocalPointFactory(user=focal.user, country=CountryFactory(iso3="BBB")).country
    ParticipationFactory(event=event, country=second)
    url = reverse("workspace:contribution-create", args=["forum"])
    assert '<label for="id_country">' in client.get(url).content.decode()
    response = client.post(url, form(country=second.pk))
    assert response.status_code == 302
    assert Contribution.objects.get().country == second


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"title": ""}, "title", "This field is required."),
        ({"title": "x" * 10_000}, "title", "Ensure this value has at most 300 characters"),
        ({"session": "another"}, "session", "Select a valid choice."),
        ({"case": "another"}, "case", "Select a valid choice."),
        ({"kind": "poem"}, "kind", "Select a valid choice."),
        ({"speakers": "Jane Doe\n, Director"}, "speakers", "Line 2 (“, Director”) has no name"),
        (
            {"speakers": "Jane Doe, Director, Nowhere Agency"},
            "speakers",
            "Line 1: the portal knows no organization called “Nowhere Agency”",
        ),
        ({"speakers": "x\n" * 51}, "speakers", "Give at most 50 speakers."),
        ({"speakers": "x" * 400}, "speakers", "Line 1 is too long for one speaker."),
    ],
)
def test_bad_input_is_explained_on_the_form_and_nothing_is_saved(
    client, focal, event, changes, field, message
):
    if changes.get("session") == "another":
        changes["session"] = SessionFactory().pk
    if changes.get("case") == "another":
        changes["case"] = CaseStudyFactory(published=True).pk
    before = rows()
    response = client.post(
        reverse("workspace:contribution-create", args=["forum"]), form(**changes)
    )
    assert response.status_code == 400
    html = response.content.decode().replace("&#x27;", "'")
    assert f'id="id_{field}_error"' in html and message in html
    assert rows() == before


def test_two_organizations_of_one_acronym_are_told_apart_by_the_country(client, focal, event):
    ours = OrganizationFactory(name="Agency of Aland", acronym="DA", country=focal.country)
    OrganizationFactory(name="Agency elsewhere", acronym="DA")
    url = reverse("workspace:contribution-create", args=["forum"])
    assert client.post(url, form(speakers="Jane, Director, DA")).status_code == 302
    assert Person.objects.get().organization == ours
    OrganizationFactory(name="Third agency", acronym="TA")
    OrganizationFactory(name="Fourth agency", acronym="TA")
    response = client.post(url, form(speakers="Jo, Director, TA"))
    assert response.status_code == 400
    assert "several organizations are called “TA”" in response.content.decode()


def test_events_the_country_did_not_take_part_in_are_not_found(client, focal, event):
    for other in (EventFactory(), EventFactory(is_public=False, country=focal.country)):
        url = reverse("workspace:contribution-create", args=[other.slug])
        assert client.get(url).status_code == 404
        assert client.post(url, form()).status_code == 404
    assert not Contribution.objects.exists()


def test_editors_without_a_country_are_sent_to_the_admin(client, event):
    client.force_login(EditorFactory())
    response = client.get(reverse("workspace:contribution-create", args=["forum"]))
    assert response.status_code == 403
    assert b"review queue" in response.content


CONTRIBUTION_URLS = [
    ("get", "workspace:contribution-edit"),
    ("post", "workspace:contribution-edit"),
    ("post", "workspace:contribution-submit"),
    ("post", "workspace:contribution-delete"),
    ("post", "workspace:contribution-upload"),
]


@pytest.mark.parametrize("status", ["draft", "submitted", "published"])
@pytest.mark.parametrize(("method", "name"), CONTRIBUTION_URLS)
def test_another_countrys_contribution_is_not_found_on_any_url(
    client, focal, event, status, method, name
):
    other = CountryFactory(iso3="BBB", name="Beland")
    ParticipationFactory(event=event, country=other)
    theirs = ContributionFactory(
        event=event,
        country=other,
        status=status,
        published_at=timezone.now() if status == "published" else None,
    )
    before = rows()
    response = getattr(client, method)(reverse(name, args=[theirs.pk]))
    assert response.status_code == 404
    assert rows() == before


def test_signed_out_people_are_sent_to_sign_in(event):
    from django.test import Client

    draft = ContributionFactory(event=event)
    for url in (
        reverse("workspace:contribution-create", args=["forum"]),
        reverse("workspace:contribution-edit", args=[draft.pk]),
    ):
        response = Client().get(url)
        assert response.status_code == 302 and "/account/sign-in/" in response["Location"]


# Changing --------------------------------------------------------------------------------


def test_the_second_of_two_concurrent_edits_is_refused_showing_what_changed(client, focal, event):
    draft = ContributionFactory(event=event, country=focal.country, title="First title")
    url = reverse("workspace:contribution-edit", args=[draft.pk])
    opened = str(draft.version)
    other = client.__class__()
    other.force_login(FocalPointFactory(country=focal.country).user)
    assert other.post(url, form(title="Their title", version=opened)).status_code == 302

    response = client.post(url, form(title="My title", version=opened))
    assert response.status_code == 400
    html = response.content.decode()
    assert "Someone else saved this contribution while you were editing it" in html
    assert "<dt>Title</dt><dd>Their title</dd>" in html
    assert Contribution.objects.get().title == "Their title"
    assert f'name="version" value="{opened}"' not in html
    new_version = str(Contribution.objects.get().version)
    assert f'name="version" value="{new_version}"' in html
    assert client.post(url, form(title="My title", version=new_version)).status_code == 302
    assert Contribution.objects.get().title == "My title"


def test_a_submitted_contribution_is_shown_not_edited(client, focal, event):
    submitted = ContributionFactory(event=event, country=focal.country, status="submitted")
    ContributionSpeakerFactory(
        contribution=submitted, person=PersonFactory(name="Jane Doe", position="Director")
    )
    url = reverse("workspace:contribution-edit", args=[submitted.pk])
    page = client.get(url).content.decode()
    assert "waiting for review" in page and "Jane Doe (Director)" in page
    assert 'name="title"' not in page and "Upload" not in page
    before = rows()
    response = client.post(url, edit_form(submitted, title="Changed"))
    assert response.status_code == 400
    assert "cannot be changed" in response.content.decode()
    assert rows() == before


def test_a_returned_contribution_shows_the_editors_comment(client, focal, event):
    draft = ContributionFactory(event=event, country=focal.country)
    services.submit_contribution(contribution=draft, user=focal.user)
    services.return_contribution(
        contribution=draft, editor=EditorFactory(), comment="Please add the slides."
    )
    page = client.get(reverse("workspace:contribution-edit", args=[draft.pk])).content.decode()
    assert "Returned for changes" in page and "Please add the slides." in page
    assert 'name="title"' in page  # editable again


# Slides ----------------------------------------------------------------------------------


def test_slides_are_uploaded_and_shown(client, focal, event, django_capture_on_commit_callbacks):
    draft = ContributionFactory(event=event, country=focal.country)
    url = reverse("workspace:contribution-upload", args=[draft.pk])
    response = client.post(
        url,
        {
            "upload-file": SimpleUploadedFile("slides.pdf", SAMPLE),
            "upload-title": "Our slides",
            "upload-kind": "presentation",
        },
    )
    assert response.status_code == 302
    document = Document.objects.get()
    assert (document.contribution, document.event, document.title) == (draft, event, "Our slides")
    page = client.get(reverse("workspace:contribution-edit", args=[draft.pk])).content.decode()
    assert reverse("paks:document-download", args=[document.pk]) in page


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (
            SimpleUploadedFile("logo.svg", b"<svg xmlns='http://www.w3.org/2000/svg'/>"),
            "This file type is not accepted. Upload a PDF, PPTX",
        ),
        (SimpleUploadedFile("slides.pptx", SAMPLE), "but its content is a PDF file"),
    ],
)
def test_a_refused_upload_is_explained_and_no_file_is_left(
    client, focal, event, settings, upload, message
):
    draft = ContributionFactory(event=event, country=focal.country)
    response = client.post(
        reverse("workspace:contribution-upload", args=[draft.pk]),
        {"upload-file": upload, "upload-kind": "presentation"},
    )
    assert response.status_code == 400
    assert 'id="id_upload-file_error"' in response.content.decode()
    assert message in response.content.decode()
    assert not Document.objects.exists() and not files_in(settings)


def test_nothing_is_uploaded_once_submitted(client, focal, event, settings):
    submitted = ContributionFactory(event=event, country=focal.country, status="submitted")
    response = client.post(
        reverse("workspace:contribution-upload", args=[submitted.pk]),
        {"upload-file": SimpleUploadedFile("a.pdf", SAMPLE), "upload-kind": "presentation"},
    )
    assert response.status_code == 400
    assert "cannot be added to a contribution that is submitted" in response.content.decode()
    assert not Document.objects.exists() and not files_in(settings)


# Submitting and deleting -----------------------------------------------------------------


def test_a_draft_is_submitted_for_review(client, focal, event):
    draft = ContributionFactory(event=event, country=focal.country, title="Our talk")
    response = client.post(reverse("workspace:contribution-submit", args=[draft.pk]))
    assert response.status_code == 302 and response["Location"] == reverse("workspace:home")
    assert Contribution.objects.get().status == "submitted"
    assert AuditEvent.objects.filter(action="contribution_submitted").count() == 1
    home = client.get(reverse("workspace:home")).content.decode()
    assert (
        "“Our talk” is submitted" in home
        and '<span class="tag">Submitted for review</span>' in home
    )
    again = client.post(reverse("workspace:contribution-submit", args=[draft.pk]), follow=True)
    assert "Cannot submit a contribution that is submitted for review." in again.content.decode()


def test_a_draft_is_deleted_with_its_slides(
    client, focal, event, settings, django_capture_on_commit_callbacks
):
    draft = ContributionFactory(event=event, country=focal.country)
    client.post(
        reverse("workspace:contribution-upload", args=[draft.pk]),
        {"upload-file": SimpleUploadedFile("a.pdf", SAMPLE), "upload-kind": "presentation"},
    )
    assert files_in(settings)
    url = reverse("workspace:contribution-delete", args=[draft.pk])
    stale = client.post(url, {"version": "99"}, follow=True)
    assert "Someone saved this contribution after you opened it" in stale.content.decode()
    assert Contribution.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"version": str(draft.version)})
    assert response.status_code == 302
    assert not Contribution.objects.exists() and not Document.objects.exists()
    assert not files_in(settings)


def test_only_drafts_are_deleted(client, focal, event):
    returned = ContributionFactory(event=event, country=focal.country, status="changes_requested")
    page = client.get(reverse("workspace:contribution-edit", args=[returned.pk])).content.decode()
    assert "Delete this draft" not in page
    response = client.post(
        reverse("workspace:contribution-delete", args=[returned.pk]),
        {"version": str(returned.version)},
        follow=True,
    )
    assert "cannot be deleted; only drafts can" in response.content.decode()
    assert Contribution.objects.exists()
