"""manage.py load_demo: seed events, organizers, demo cases, documents and logins."""

import datetime
import hashlib
import re
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.urls import reverse

from accounts.models import User
from countries.models import Country, FocalPoint, Organization
from events.models import Event, EventOrganizer, Participation
from paks import demo
from paks.models import CaseStudy, Document

pytestmark = pytest.mark.django_db

SEOUL = ZoneInfo("Asia/Seoul")
BANGKOK = ZoneInfo("Asia/Bangkok")


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    # The demo sets and checks two passwords per run; the default hasher is slow on purpose.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def output():
    out = StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def roles(slug):
    return {
        (r.organization.short_name, r.role)
        for r in EventOrganizer.objects.filter(event__slug=slug).select_related("organization")
    }


def test_load_demo_loads_reference_tables_when_countries_are_missing(output):
    assert "Reference tables were empty" in output
    assert Country.objects.count() == 248


def test_study_visit_2019_runs_1_to_5_april_in_seoul_time(output):
    visit = Event.objects.get(slug=demo.STUDY_VISIT_2019)

    assert visit.kind == Event.Kind.STUDY_VISIT
    assert visit.timezone == "Asia/Seoul"
    assert visit.local_start.date() == datetime.date(2019, 4, 1)
    assert visit.local_end.date() == datetime.date(2019, 4, 5)
    assert (visit.city, visit.country.iso3) == ("Incheon", "KOR")


def test_study_visit_participants_are_the_five_invited_countries(output):
    visit = Event.objects.get(slug=demo.STUDY_VISIT_2019)

    assert set(
        Participation.objects.filter(event=visit).values_list("country__iso3", flat=True)
    ) == {"BGD", "ETH", "BTN", "LAO", "UGA"}


def test_study_visit_is_co_organized_by_dpidg_unpog_and_nia(output):
    assert roles(demo.STUDY_VISIT_2019) == {
        ("DPIDG", EventOrganizer.Role.CO_ORGANIZER),
        ("UNPOG", EventOrganizer.Role.CO_ORGANIZER),
        ("NIA", EventOrganizer.Role.CO_ORGANIZER),
    }


def test_training_workshop_2007_starts_8_october_with_its_participant_numbers(output):
    workshop = Event.objects.get(slug=demo.TRAINING_2007)

    assert workshop.start == datetime.datetime(2007, 10, 8, tzinfo=SEOUL)
    assert workshop.local_end.date() == datetime.date(2007, 10, 12)
    assert (workshop.expected_participants, workshop.actual_participants) == (40, 37)
    assert roles(demo.TRAINING_2007) == {
        ("UN-APCICT", EventOrganizer.Role.ORGANIZER),
        ("UNU-IIST", EventOrganizer.Role.CO_ORGANIZER),
        ("Incheon Metropolitan City", EventOrganizer.Role.SUPPORTER),
    }


def test_special_session_is_part_of_the_beijing20_conference_in_bangkok(output):
    session = Event.objects.get(slug=demo.WOMEN_SESSION)
    conference = Event.objects.get(slug=demo.BEIJING20)

    assert session.part_of == conference
    assert session.start == datetime.datetime(2014, 11, 18, 14, 30, tzinfo=BANGKOK)
    assert session.end == datetime.datetime(2014, 11, 18, 15, 30, tzinfo=BANGKOK)
    assert session.actual_participants == 150
    assert conference.venue == "United Nations Conference Centre"
    assert conference.local_start.date() == datetime.date(2014, 11, 17)
    assert conference.local_end.date() == datetime.date(2014, 11, 20)
    assert conference.actual_participants == 700
    assert roles(demo.BEIJING20) == {
        ("ESCAP", EventOrganizer.Role.ORGANIZER),
        ("UN Women", EventOrganizer.Role.CO_ORGANIZER),
    }
    assert roles(demo.WOMEN_SESSION) == {
        ("UNPOG", EventOrganizer.Role.ORGANIZER),
        ("SDD", EventOrganizer.Role.CO_ORGANIZER),
    }
    assert set(session.themes.values_list("slug", flat=True)) >= {"womens-empowerment"}
    assert list(session.sdgs.values_list("number", flat=True)) == [5]


def test_mdg_workshop_is_part_of_the_2010_governance_conference(output):
    workshop = Event.objects.get(slug=demo.MDG_WORKSHOP_2010)
    conference = Event.objects.get(slug=demo.GOVERNANCE_CONFERENCE_2010)

    assert workshop.part_of == conference
    assert workshop.local_start.date() == datetime.date(2010, 6, 18)
    assert workshop.venue == "Millennium Seoul Hilton"
    assert workshop.expected_participants == 50
    assert conference.local_start.date() == datetime.date(2010, 6, 17)
    assert conference.local_end.date() == datetime.date(2010, 6, 18)
    assert roles(demo.MDG_WORKSHOP_2010) == {
        ("UN DESA", EventOrganizer.Role.ORGANIZER),
        ("ESCAP", EventOrganizer.Role.ORGANIZER),
        ("UNPOG", EventOrganizer.Role.SPONSOR),
    }


def test_roundtable_2014_keeps_its_hours_and_leaves_the_unknown_venue_blank(output):
    roundtable = Event.objects.get(slug=demo.ROUNDTABLE_2014)

    assert roundtable.start == datetime.datetime(2014, 12, 4, 11, 0, tzinfo=SEOUL)
    assert roundtable.end == datetime.datetime(2014, 12, 4, 13, 30, tzinfo=SEOUL)
    assert roundtable.venue == ""
    assert roles(demo.ROUNDTABLE_2014) == {("UNPOG", EventOrganizer.Role.ORGANIZER)}


def test_seed_organizations_have_kind_acronym_and_parent(output):
    unpog = Organization.objects.get(acronym="UNPOG")

    assert unpog.kind == Organization.Kind.UN_ENTITY
    assert unpog.country.iso3 == "KOR"
    assert unpog.parent.acronym == "DPIDG"
    assert unpog.parent.parent.acronym == "UN DESA"
    assert "DPADM" in unpog.parent.description
    assert Organization.objects.get(acronym="NIA").kind == Organization.Kind.GOVERNMENT
    assert Organization.objects.filter(acronym="WeGO").exists()


def test_demo_cases_cover_six_countries_mostly_published(output):
    cases = CaseStudy.objects.all()
    published = CaseStudy.objects.published()

    assert set(cases.values_list("country__iso3", flat=True)) == {
        "BGD",
        "ETH",
        "BTN",
        "LAO",
        "UGA",
        "KOR",
    }
    assert published.count() == 5
    assert cases.filter(status=CaseStudy.Status.SUBMITTED).count() == 1
    assert cases.filter(status=CaseStudy.Status.DRAFT, country__iso3="BGD").count() == 1
    assert all(c.published_at and c.submitted_at for c in published)


def test_every_demo_case_says_it_is_demo_content_and_is_fully_described(output):
    for case in CaseStudy.objects.all():
        assert "Demo case written for PAKS" in case.summary + case.lessons_learned
        assert case.challenge and case.solution
        assert case.themes.exists() and case.sdgs.exists()


def test_published_cases_were_presented_at_the_study_visit(output):
    visit = Event.objects.get(slug=demo.STUDY_VISIT_2019)

    assert all(case.event == visit for case in CaseStudy.objects.published())


def test_documents_are_stored_with_the_sha256_of_their_bytes(output):
    documents = Document.objects.all()

    assert documents.filter(case__isnull=False).count() == 3
    assert documents.filter(case__isnull=True, event__slug=demo.MDG_WORKSHOP_2010).count() == 1
    for doc in documents:
        with doc.file.open("rb") as f:
            data = f.read()
        assert doc.sha256 == hashlib.sha256(data).hexdigest()
        assert doc.size == len(data)
        assert doc.state == Document.State.PENDING
        assert data == (demo.DEMO_FILES / doc.original_filename).read_bytes()
    pptx = documents.get(original_filename="sld-slides.pptx")
    assert pptx.media_type.endswith("presentationml.presentation")
    assert pptx.case.slug == "bangladesh-union-digital-centres"


def test_demo_editor_is_staff_in_the_editors_group(output):
    editor = User.objects.get(email=demo.EDITOR_EMAIL)

    assert editor.is_editor
    assert editor.groups.filter(name="Editors").exists()
    assert editor.check_password(demo.DEFAULT_EDITOR_PASSWORD)


def test_demo_focal_point_keeps_bangladesh_current_publicly(output):
    focal = User.objects.get(email=demo.FOCAL_EMAIL)
    appointment = FocalPoint.objects.active().get(user=focal)

    assert appointment.country.iso3 == "BGD"
    assert appointment.organization.acronym == "a2i"
    assert appointment.is_contact_public
    assert not focal.is_staff
    assert focal.check_password(demo.DEFAULT_FOCAL_PASSWORD)


def test_command_prints_the_demo_logins(output):
    assert re.search(rf"{demo.EDITOR_EMAIL}\s+password: {demo.DEFAULT_EDITOR_PASSWORD}", output)
    assert re.search(rf"{demo.FOCAL_EMAIL}\s+password: {demo.DEFAULT_FOCAL_PASSWORD}", output)


def test_passwords_come_from_the_environment(monkeypatch):
    monkeypatch.setenv("PAKS_DEMO_EDITOR_PASSWORD", "editor-from-env")
    monkeypatch.setenv("PAKS_DEMO_FOCAL_PASSWORD", "focal-from-env")
    out = StringIO()

    call_command("load_demo", stdout=out)

    assert User.objects.get(email=demo.EDITOR_EMAIL).check_password("editor-from-env")
    assert User.objects.get(email=demo.FOCAL_EMAIL).check_password("focal-from-env")
    assert "focal-from-env" in out.getvalue()


def test_second_run_creates_nothing_new(output):
    models = [Organization, Event, EventOrganizer, Participation, CaseStudy, Document, User]
    counts = {m: m.objects.count() for m in models}
    appointments = FocalPoint.objects.count()
    out = StringIO()

    call_command("load_demo", stdout=out)

    assert {m: m.objects.count() for m in models} == counts
    assert FocalPoint.objects.count() == appointments
    assert "Demo data created: nothing new." in out.getvalue()
    assert "Reference tables were empty" not in out.getvalue()


@pytest.mark.django_db(transaction=True)
def test_the_demo_editor_can_do_an_editors_work_even_in_a_flushed_database(client):
    from django.contrib.auth.models import Group

    # A flushed database keeps the permissions but not the group the migrations filled.
    Group.objects.all().delete()
    call_command("load_reference", verbosity=0)
    call_command("load_demo", verbosity=0)
    signed_in = client.post(
        reverse("admin:login"),
        {"username": "editor@paks.example", "password": "paks-editor-demo"},
    )
    assert signed_in.status_code == 302
    for name in (
        "admin:accounts_invitation_add",
        "admin:accounts_auditevent_changelist",
        "admin:paks_casestudy_review_queue",
        "admin:paks_casestudy_changelist",
        "admin:countries_focalpoint_changelist",
    ):
        assert client.get(reverse(name)).status_code == 200, name
