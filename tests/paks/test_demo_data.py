"""manage.py load_demo: seed events, organizers, programmes, demo cases, documents and logins."""

import datetime
import hashlib
import importlib.util
import json
import os
import re
import subprocess
import sys
from io import StringIO
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import AuditEvent, User
from countries.models import Country, FocalPoint, Organization
from events.models import Event, EventOrganizer, Participation, Person, Session
from paks import demo
from paks.documents.accept import check_content, detect_media_type
from paks.documents.processing import process
from paks.models import CaseLink, CaseStudy, Contribution, ContributionSpeaker, Document
from paks.search import CaseSearch, search_cases

pytestmark = pytest.mark.django_db

SEOUL = ZoneInfo("Asia/Seoul")
BANGKOK = ZoneInfo("Asia/Bangkok")
ROOT = Path(__file__).resolve().parents[2]

# Events of the seed documents, by their slugs in paks/data/demo/events.json.
BEIJING20 = "beijing-20-review-asia-pacific-2014"
WOMEN_SESSION = "unpog-special-session-ict-egov-womens-empowerment-2014"
ROUNDTABLE_2014 = "unpog-roundtable-promoting-good-governance-2014"
STUDY_VISIT_2019 = "study-visit-egov-2030-agenda-2019"
TRAINING_2007 = "apcict-unu-iist-regional-training-workshop-2007"
GOVERNANCE_CONFERENCE_2010 = "international-conference-good-governance-2010"
MDG_WORKSHOP_2010 = "special-workshop-ict-access-egov-mdgs-2010"
# The published cases presented at the 2019 study visit (their contributions: programme.json).
STUDY_VISIT_CASES = {
    "bangladesh-union-digital-centres",
    "ethiopia-evidence-based-egov-policy",
    "bhutan-community-centres-g2c-services",
    "uganda-shared-government-network",
    "korea-integrated-online-service-portal",
}
DEMO_MARK = "Demo summary written for PAKS from the public sources cited."
CASE_TEXTS = ("title", "summary", "challenge", "solution", "results", "lessons_learned")
# The presentations made by scripts/make_demo_presentations.py, by case.
PRESENTATIONS = {
    "rwanda-irembo-e-government-portal": "rwanda-irembo.pptx",
    "togo-novissi-digital-cash-transfers": "togo-novissi.pdf",
    "jamaica-national-identification-system": "jamaica-nids.pdf",
    "nepal-nagarik-app": "nepal-nagarik-app.pptx",
    "estonia-x-road-data-exchange": "estonia-x-road.pdf",
    "fiji-online-birth-registration": "fiji-birth-registration.pptx",
}
DEMO_ROWS = [
    Organization,
    Event,
    EventOrganizer,
    Participation,
    CaseStudy,
    CaseLink,
    Document,
    User,
    Session,
    Person,
    Contribution,
    ContributionSpeaker,
]


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    # The demo sets and checks two passwords per run; the default hasher is slow on purpose.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def output():
    out = StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def passwords(output):
    """The passwords load_demo printed, by e-mail address."""
    return dict(re.findall(r"(\S+@paks\.example)\s+password: (\S+)", output))


def load_demo_in_a_fresh_database():
    """load_demo's output in the test database, which is left as fresh as it was."""
    out = StringIO()
    with transaction.atomic():
        call_command("load_demo", stdout=out)
        transaction.set_rollback(True)
    return out.getvalue()


def roles(slug):
    return {
        (r.organization.display_name, r.role)
        for r in EventOrganizer.objects.filter(event__slug=slug).select_related("organization")
    }


def test_load_demo_loads_reference_tables_when_countries_are_missing(output):
    assert "Reference tables were empty" in output
    assert Country.objects.count() == 248


def test_study_visit_2019_runs_1_to_5_april_in_seoul_time(output):
    visit = Event.objects.get(slug=STUDY_VISIT_2019)

    assert visit.kind == Event.Kind.STUDY_VISIT
    assert visit.timezone == "Asia/Seoul"
    assert visit.local_start.date() == datetime.date(2019, 4, 1)
    assert visit.local_end.date() == datetime.date(2019, 4, 5)
    assert (visit.city, visit.country.iso3) == ("Incheon", "KOR")


def test_study_visit_participants_are_the_five_invited_countries(output):
    visit = Event.objects.get(slug=STUDY_VISIT_2019)

    assert set(
        Participation.objects.filter(event=visit).values_list("country__iso3", flat=True)
    ) == {"BGD", "ETH", "BTN", "LAO", "UGA"}


def test_study_visit_is_co_organized_by_dpidg_unpog_and_nia(output):
    assert roles(STUDY_VISIT_2019) == {
        ("DPIDG", EventOrganizer.Role.CO_ORGANIZER),
        ("UNPOG", EventOrganizer.Role.CO_ORGANIZER),
        ("NIA", EventOrganizer.Role.CO_ORGANIZER),
    }


def test_training_workshop_2007_starts_8_october_with_its_participant_numbers(output):
    workshop = Event.objects.get(slug=TRAINING_2007)

    assert workshop.start == datetime.datetime(2007, 10, 8, tzinfo=SEOUL)
    assert workshop.local_end.date() == datetime.date(2007, 10, 12)
    assert (workshop.expected_participants, workshop.actual_participants) == (40, 37)
    assert roles(TRAINING_2007) == {
        ("UN-APCICT", EventOrganizer.Role.ORGANIZER),
        ("UNU-IIST", EventOrganizer.Role.CO_ORGANIZER),
        ("Incheon Metropolitan City", EventOrganizer.Role.SUPPORTER),
    }


def test_special_session_is_part_of_the_beijing20_conference_in_bangkok(output):
    session = Event.objects.get(slug=WOMEN_SESSION)
    conference = Event.objects.get(slug=BEIJING20)

    assert session.part_of == conference
    assert session.start == datetime.datetime(2014, 11, 18, 14, 30, tzinfo=BANGKOK)
    assert session.end == datetime.datetime(2014, 11, 18, 15, 30, tzinfo=BANGKOK)
    assert session.actual_participants == 150
    assert conference.venue == "United Nations Conference Centre"
    assert conference.local_start.date() == datetime.date(2014, 11, 17)
    assert conference.local_end.date() == datetime.date(2014, 11, 20)
    assert conference.actual_participants == 700
    assert roles(BEIJING20) == {
        ("ESCAP", EventOrganizer.Role.ORGANIZER),
        ("UN Women", EventOrganizer.Role.CO_ORGANIZER),
    }
    assert roles(WOMEN_SESSION) == {
        ("UNPOG", EventOrganizer.Role.ORGANIZER),
        ("SDD", EventOrganizer.Role.CO_ORGANIZER),
    }
    assert set(session.themes.values_list("slug", flat=True)) >= {"womens-empowerment"}
    assert list(session.sdgs.values_list("number", flat=True)) == [5]


def test_mdg_workshop_is_part_of_the_2010_governance_conference(output):
    workshop = Event.objects.get(slug=MDG_WORKSHOP_2010)
    conference = Event.objects.get(slug=GOVERNANCE_CONFERENCE_2010)

    assert workshop.part_of == conference
    assert workshop.local_start.date() == datetime.date(2010, 6, 18)
    assert workshop.venue == "Millennium Seoul Hilton"
    assert workshop.expected_participants == 50
    assert conference.local_start.date() == datetime.date(2010, 6, 17)
    assert conference.local_end.date() == datetime.date(2010, 6, 18)
    assert roles(MDG_WORKSHOP_2010) == {
        ("UN DESA", EventOrganizer.Role.ORGANIZER),
        ("ESCAP", EventOrganizer.Role.ORGANIZER),
        ("UNPOG", EventOrganizer.Role.SPONSOR),
    }


def test_roundtable_2014_keeps_its_hours_and_leaves_the_unknown_venue_blank(output):
    roundtable = Event.objects.get(slug=ROUNDTABLE_2014)

    assert roundtable.start == datetime.datetime(2014, 12, 4, 11, 0, tzinfo=SEOUL)
    assert roundtable.end == datetime.datetime(2014, 12, 4, 13, 30, tzinfo=SEOUL)
    assert roundtable.venue == ""
    assert roles(ROUNDTABLE_2014) == {("UNPOG", EventOrganizer.Role.ORGANIZER)}


def test_events_the_sources_give_by_dates_only_are_all_day_and_shown_as_dates(output, client):
    by_days = {spec["slug"] for spec in demo.read("events") if "days" in spec}
    assert set(Event.objects.filter(all_day=True).values_list("slug", flat=True)) == by_days
    assert TRAINING_2007 in by_days and ROUNDTABLE_2014 not in by_days
    workshop = Event.objects.get(slug=TRAINING_2007)
    page = client.get(workshop.get_absolute_url()).content.decode()
    assert "<dt>When</dt><dd>8\u201312 October 2007</dd>" in page
    calendar = client.get(reverse("events:ical", args=[TRAINING_2007])).content.decode()
    assert "DTSTART;VALUE=DATE:20071008\r\n" in calendar
    assert "DTEND;VALUE=DATE:20071013\r\n" in calendar
    assert "LOCATION:Incheon\\, Republic of Korea\r\n" in calendar


def test_seed_organizations_have_kind_acronym_and_parent(output):
    unpog = Organization.objects.get(acronym="UNPOG")

    assert unpog.kind == Organization.Kind.UN_ENTITY
    assert unpog.country.iso3 == "KOR"
    assert unpog.parent.acronym == "DPIDG"
    assert unpog.parent.parent.acronym == "UN DESA"
    assert "DPADM" in unpog.parent.description
    assert Organization.objects.get(acronym="NIA").kind == Organization.Kind.GOVERNMENT
    assert Organization.objects.filter(acronym="WeGO").exists()


def test_the_demo_has_at_least_40_published_cases_and_one_submitted_and_one_draft(output):
    cases = CaseStudy.objects.all()
    published = CaseStudy.objects.published()

    assert published.count() >= 40
    assert list(
        cases.filter(status=CaseStudy.Status.SUBMITTED).values_list("country__iso3", flat=True)
    ) == ["LAO"]
    assert list(
        cases.filter(status=CaseStudy.Status.DRAFT).values_list("country__iso3", flat=True)
    ) == ["BGD"]
    for case in published:
        assert case.submitted_at < case.published_at <= timezone.now()


def test_published_cases_cover_every_region_and_the_three_groups(output):
    published = CaseStudy.objects.published()

    assert set(published.values_list("country__region_name", flat=True)) == {
        "Africa",
        "Americas",
        "Asia",
        "Europe",
        "Oceania",
    }
    assert published.filter(country__is_ldc=True).count() >= 5
    assert published.filter(country__is_lldc=True).count() >= 4
    assert published.filter(country__is_sids=True).count() >= 4


def test_every_demo_case_has_a_source_link_an_organization_and_a_year(output):
    for case in CaseStudy.objects.select_related("organization").prefetch_related("links"):
        links = list(case.links.all())
        assert links, case.slug
        assert all(link.url.startswith(("https://", "http://")) and link.title for link in links)
        assert case.organization is not None, case.slug
        assert case.organization.country == case.country, case.slug
        assert 1990 <= case.year <= timezone.now().year, case.slug


def test_every_demo_case_says_it_is_a_demo_summary_and_is_fully_described(output):
    for case in CaseStudy.objects.all():
        assert case.summary.endswith(DEMO_MARK), case.slug
        assert case.challenge and case.solution, case.slug
        assert case.themes.exists() and case.sdgs.exists(), case.slug


def test_no_demo_text_calls_itself_illustrative(output):
    for case in CaseStudy.objects.all():
        for field in CASE_TEXTS:
            assert "illustrative" not in getattr(case, field).lower(), (case.slug, field)
    for path in [*demo.DEMO_DATA.iterdir(), demo.DEMO_FILES / "GENERATED.md"]:
        assert "illustrative" not in path.read_text("utf-8").lower(), path.name


def test_the_data_readme_gives_every_cases_sources():
    readme = (demo.DEMO_DATA / "README.md").read_text("utf-8")

    for case in demo.read("cases"):
        assert f"`{case['slug']}`" in readme, case["slug"]
        for link in case["links"]:
            assert link["url"] in readme, (case["slug"], link["url"])


def test_the_study_visit_cases_keep_their_event_and_the_others_their_own_dates(output):
    visit = Event.objects.get(slug=STUDY_VISIT_2019)
    published = CaseStudy.objects.published()

    assert set(published.filter(event=visit).values_list("slug", flat=True)) == STUDY_VISIT_CASES
    assert not published.exclude(event=visit).filter(event__isnull=False).exists()
    specs = {spec["slug"]: spec for spec in demo.read("cases")}
    for case in published.filter(event__isnull=True):
        day = datetime.date.fromisoformat(specs[case.slug]["published"])
        assert case.published_at == datetime.datetime.combine(
            day, datetime.time(9, 0), datetime.UTC
        )


def test_documents_are_stored_with_the_sha256_of_their_bytes(output):
    documents = Document.objects.all()

    assert documents.filter(case__isnull=False).count() == 3 + len(PRESENTATIONS)
    assert documents.filter(case__isnull=True, event__slug=MDG_WORKSHOP_2010).count() == 1
    assert documents.filter(contribution__isnull=False).count() == 2
    for doc in documents:
        with doc.file.open("rb") as f:
            data = f.read()
        assert doc.sha256 == hashlib.sha256(data).hexdigest()
        assert doc.size == len(data)
        assert doc.state == Document.State.PENDING
        assert data == (demo.DEMO_FILES / doc.original_filename).read_bytes()
    pptx = documents.get(original_filename="sld-slides.pptx", case__isnull=False)
    assert pptx.media_type.endswith("presentationml.presentation")
    assert pptx.case.slug == "bangladesh-union-digital-centres"


def test_demo_editor_is_staff_in_the_editors_group(output):
    editor = User.objects.get(email=demo.EDITOR_EMAIL)

    assert editor.is_editor
    assert editor.groups.filter(name="Editors").exists()
    assert editor.check_password(passwords(output)[demo.EDITOR_EMAIL])


def test_demo_focal_point_keeps_bangladesh_current_publicly(output):
    focal = User.objects.get(email=demo.FOCAL_EMAIL)
    appointment = FocalPoint.objects.active().get(user=focal)

    assert appointment.country.iso3 == "BGD"
    assert appointment.organization.acronym == "a2i"
    assert appointment.is_contact_public
    assert not focal.is_staff
    assert focal.check_password(passwords(output)[demo.FOCAL_EMAIL])


def test_new_demo_accounts_get_random_passwords_printed_once(output):
    printed = passwords(output)

    assert set(printed) == {demo.EDITOR_EMAIL, demo.FOCAL_EMAIL}
    assert len(set(printed.values())) == 2
    for password in printed.values():
        assert len(password) >= 16
        assert output.count(password) == 1
    assert "paks-editor-demo" not in output and "paks-focal-demo" not in output


def test_random_passwords_differ_between_two_fresh_databases():
    first = passwords(load_demo_in_a_fresh_database())
    second = passwords(load_demo_in_a_fresh_database())

    assert set(first) == set(second) == {demo.EDITOR_EMAIL, demo.FOCAL_EMAIL}
    for email in first:
        assert first[email] != second[email]


def test_a_second_run_leaves_the_passwords_unchanged_and_does_not_print_them(output):
    printed = passwords(output)
    out = StringIO()

    call_command("load_demo", stdout=out)

    assert passwords(out.getvalue()) == {}
    assert re.search(rf"{demo.EDITOR_EMAIL}\s+password unchanged", out.getvalue())
    assert re.search(rf"{demo.FOCAL_EMAIL}\s+password unchanged", out.getvalue())
    for email, password in printed.items():
        assert User.objects.get(email=email).check_password(password)


def test_passwords_come_from_the_environment(monkeypatch):
    monkeypatch.setenv("PAKS_DEMO_EDITOR_PASSWORD", "editor-from-env")
    monkeypatch.setenv("PAKS_DEMO_FOCAL_PASSWORD", "focal-from-env")
    out = StringIO()

    call_command("load_demo", stdout=out)

    assert User.objects.get(email=demo.EDITOR_EMAIL).check_password("editor-from-env")
    assert User.objects.get(email=demo.FOCAL_EMAIL).check_password("focal-from-env")
    assert passwords(out.getvalue()) == {
        demo.EDITOR_EMAIL: "editor-from-env",
        demo.FOCAL_EMAIL: "focal-from-env",
    }


def test_a_password_from_the_environment_replaces_the_random_one(output, monkeypatch):
    focal_password = passwords(output)[demo.FOCAL_EMAIL]
    monkeypatch.setenv("PAKS_DEMO_EDITOR_PASSWORD", "editor-from-env")
    out = StringIO()

    call_command("load_demo", stdout=out)

    assert passwords(out.getvalue()) == {demo.EDITOR_EMAIL: "editor-from-env"}
    assert User.objects.get(email=demo.EDITOR_EMAIL).check_password("editor-from-env")
    assert User.objects.get(email=demo.FOCAL_EMAIL).check_password(focal_password)


def test_load_demo_refuses_to_run_in_production_and_writes_nothing(settings):
    settings.PRODUCTION = True

    with pytest.raises(CommandError, match="PAKS_ENV=production"):
        call_command("load_demo", stdout=StringIO())

    assert Country.objects.count() == 0
    assert {m: m.objects.count() for m in DEMO_ROWS} == dict.fromkeys(DEMO_ROWS, 0)


def test_load_demo_refuses_when_the_environment_says_production():
    # A database nobody listens on: the refusal comes before any connection.
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"} | {
        "PAKS_ENV": "production",
        "SECRET_KEY": "not-a-secret-only-for-this-test",
        "ALLOWED_HOSTS": "paks.example",
        "DATABASE_URL": "postgres://nobody@127.0.0.1:9/nothing",
        "REDIS_URL": "redis://127.0.0.1:9/0",  # production needs one; nothing is read here
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "load_demo"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )

    assert result.returncode == 1
    assert "load_demo does not run with PAKS_ENV=production" in result.stderr
    assert "password" not in result.stdout


def test_the_demo_data_files_hold_the_demo_content():
    rows = {name: demo.read(name) for name in ("organizations", "events", "cases", "programme")}

    assert [len(rows[name]) for name in rows] == [56, 7, 44, 5]
    assert {e["slug"] for e in rows["events"]} == {
        BEIJING20,
        WOMEN_SESSION,
        ROUNDTABLE_2014,
        STUDY_VISIT_2019,
        TRAINING_2007,
        GOVERNANCE_CONFERENCE_2010,
        MDG_WORKSHOP_2010,
    }
    for path in demo.DEMO_DATA.glob("*.json"):
        json.loads(path.read_text("utf-8"))  # valid JSON, in UTF-8


def test_the_demo_loads_the_rows_of_its_data_files(output):
    assert {m.__name__: m.objects.count() for m in DEMO_ROWS} == {
        "Organization": 56,
        "Event": 7,
        "EventOrganizer": 15,
        "Participation": 5,
        "CaseStudy": 44,
        "CaseLink": sum(len(case["links"]) for case in demo.read("cases")),
        "Document": 12,
        "User": 2,
        "Session": 5,
        "Person": 2,
        "Contribution": 8,
        "ContributionSpeaker": 3,
    }
    assert set(CaseStudy.objects.values_list("title", flat=True)) == {
        c["title"] for c in demo.read("cases")
    }
    assert set(Event.objects.values_list("title", flat=True)) == {
        e["title"] for e in demo.read("events")
    }
    assert CaseStudy.objects.get(slug="korea-integrated-online-service-portal").title == (
        "An integrated online service portal: the Republic of Korea's experience"
    )
    assert set(
        CaseStudy.objects.get(slug="bangladesh-union-digital-centres").themes.values_list(
            "slug", flat=True
        )
    ) == {"service-delivery-innovation", "local-e-government", "ict-access"}


def test_second_run_creates_nothing_new(output):
    counts = {m: m.objects.count() for m in DEMO_ROWS}
    appointments = FocalPoint.objects.count()
    out = StringIO()

    call_command("load_demo", stdout=out)

    assert {m: m.objects.count() for m in DEMO_ROWS} == counts
    assert FocalPoint.objects.count() == appointments
    assert "Demo data created: nothing new." in out.getvalue()
    assert "Reference tables were empty" not in out.getvalue()


@pytest.mark.django_db(transaction=True)
def test_the_demo_editor_can_do_an_editors_work_even_in_a_flushed_database(client, monkeypatch):
    from django.contrib.auth.models import Group

    monkeypatch.setenv("PAKS_DEMO_EDITOR_PASSWORD", "editor-from-env")
    # A flushed database keeps the permissions but not the group the migrations filled.
    Group.objects.all().delete()
    call_command("load_reference", verbosity=0)
    call_command("load_demo", verbosity=0)
    signed_in = client.post(
        reverse("admin:login"),
        {"username": "editor@paks.example", "password": "editor-from-env"},
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


def test_the_programmes_are_those_the_seeds_describe(output):
    """Sessions where a seed text names them; their days only where it gives no hours."""
    assert {(s.event.slug, s.title, s.kind) for s in Session.objects.select_related("event")} == {
        (STUDY_VISIT_2019, "Training sessions", Session.Kind.TRAINING_MODULE),
        (STUDY_VISIT_2019, "Site visits", Session.Kind.SITE_VISIT),
        (TRAINING_2007, "Training modules", Session.Kind.TRAINING_MODULE),
        (TRAINING_2007, "Field trip to the e-Biz Expo 2007", Session.Kind.FIELD_TRIP),
        (MDG_WORKSHOP_2010, "Country presentations", Session.Kind.COUNTRY_PRESENTATIONS),
    }
    assert Session.objects.get(kind=Session.Kind.FIELD_TRIP).place == "e-Biz Expo 2007, Seoul"


def test_the_demos_sessions_fall_within_their_events_days(output):
    for session in Session.objects.select_related("event"):
        event = session.event
        session.clean()  # the model's own check
        assert event.first_day <= session.local_start.date() <= session.local_end.date()
        assert session.local_end.date() <= event.last_day
        # Their seeds give dates only: all-day events, sessions over whole local days.
        assert event.all_day
        assert (session.local_start.time(), session.local_end.time()) == (
            datetime.time(0, 0),
            datetime.time(23, 59),
        )


def test_every_demo_contribution_is_published_with_its_countrys_case(output):
    contributions = Contribution.objects.select_related("event", "case", "country")

    assert contributions.count() == 8
    for contribution in contributions:
        assert contribution.status == Contribution.Status.PUBLISHED
        assert contribution.published_at is not None and contribution.version == 1
        assert contribution in Contribution.objects.published()
        if contribution.country is not None:
            case = contribution.case
            assert case.country == contribution.country
            assert case.status == CaseStudy.Status.PUBLISHED
            assert (case.event, contribution.title) == (contribution.event, case.title)
        else:  # a talk the seeds name, given by the people they name
            assert contribution.case is None and contribution.speakers.exists()
    assert (
        set(contributions.filter(case__isnull=False).values_list("case__slug", flat=True))
        == set(
            CaseStudy.objects.published().filter(event__isnull=False).values_list("slug", flat=True)
        )
        == STUDY_VISIT_CASES
    )


def test_the_demo_speakers_are_the_people_the_seeds_name(output):
    assert {(p.name, p.affiliation, p.contributions.count()) for p in Person.objects.all()} == {
        ("Lim Jae-Hong", "Head, UNPOG", 2),
        ("Keping Yao", "Governance and Public Administration Expert, UNPOG", 1),
    }
    roundtable = Contribution.objects.filter(event__slug=ROUNDTABLE_2014).order_by("position")
    assert [(c.title, c.kind, [str(p) for p in c.speakers.all()]) for c in roundtable] == [
        ("Opening remarks", "statement", ["Lim Jae-Hong"]),
        ("UNPOG's 2014 activities and 2015 workplan", "presentation", ["Keping Yao"]),
    ]


def test_demo_contributions_are_made_through_the_services_with_their_slides(output):
    editor = User.objects.get(email=demo.EDITOR_EMAIL)

    assert set(
        AuditEvent.objects.filter(action="contribution_created").values_list("actor", flat=True)
    ) == {editor.pk}
    assert AuditEvent.objects.filter(action="contribution_created").count() == 8
    slides = Document.objects.filter(contribution__isnull=False).select_related("contribution")
    assert {(d.contribution.case.slug, d.original_filename) for d in slides} == {
        ("bangladesh-union-digital-centres", "sld-slides.pptx"),
        ("ethiopia-evidence-based-egov-policy", "example.pdf"),
    }
    for document in slides:
        assert (document.event, document.case) == (document.contribution.event, None)
        assert document.kind == Document.Kind.PRESENTATION


def test_a_second_run_changes_nothing_in_the_programmes(output):
    def programme():
        return (
            list(Session.objects.values().order_by("pk")),
            list(Person.objects.values().order_by("pk")),
            list(Contribution.objects.values().order_by("pk")),
            list(ContributionSpeaker.objects.values().order_by("pk")),
            list(Document.objects.values("pk", "contribution", "sha256").order_by("pk")),
            AuditEvent.objects.count(),
            Session.history.count(),
            Person.history.count(),
            Contribution.history.count(),
        )

    before = programme()
    call_command("load_demo", stdout=StringIO())

    assert programme() == before


def test_a_second_run_changes_no_case_link_or_document(output):
    def cases():
        return (
            list(CaseStudy.objects.values().order_by("pk")),
            list(CaseLink.objects.values().order_by("pk")),
            list(Document.objects.values("pk", "case", "file", "sha256").order_by("pk")),
            CaseStudy.history.count(),
        )

    before = cases()
    call_command("load_demo", stdout=StringIO())

    assert cases() == before


def make_demo_presentations():
    """scripts/make_demo_presentations.py, loaded as a module (scripts/ is not a package)."""
    path = ROOT / "scripts" / "make_demo_presentations.py"
    spec = importlib.util.spec_from_file_location("make_demo_presentations", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up while it loads
    spec.loader.exec_module(module)
    return module


def test_the_committed_presentations_are_what_the_script_makes_from_the_cases():
    made = make_demo_presentations().presentations()

    assert made == {name: (demo.DEMO_FILES / name).read_bytes() for name in made}
    assert set(made) == set(PRESENTATIONS.values())
    attached = {
        spec["slug"]: [d["file"] for d in spec.get("documents", [])] for spec in demo.read("cases")
    }
    for slug, name in PRESENTATIONS.items():
        assert attached[slug] == [name]


@pytest.mark.parametrize("name", sorted(PRESENTATIONS.values()))
def test_each_presentation_is_an_upload_the_portal_accepts(name):
    upload = SimpleUploadedFile(name, (demo.DEMO_FILES / name).read_bytes())

    assert detect_media_type(upload) == demo.MEDIA_TYPES[Path(name).suffix]
    check_content(upload, demo.MEDIA_TYPES[Path(name).suffix])  # raises if refused


@pytest.mark.parametrize(
    ("word", "slug"),
    [
        ("Kinyarwanda", "rwanda-irembo-e-government-portal"),  # in a PowerPoint file
        ("Robinson", "jamaica-national-identification-system"),  # in a PDF file
    ],
)
def test_a_word_only_in_a_presentation_finds_its_case_once_processed(
    output, django_capture_on_commit_callbacks, word, slug
):
    # Nothing but the slides says it: not a case's text, not a name the index holds.
    for spec in demo.read("cases"):
        assert word.lower() not in json.dumps(spec).lower()
    assert word.lower() not in (demo.DEMO_DATA / "organizations.json").read_text("utf-8").lower()
    assert search_cases(CaseSearch.from_params({"q": word})).total == 0
    document = Document.objects.get(case__slug=slug)
    assert document.original_filename == PRESENTATIONS[slug]

    with django_capture_on_commit_callbacks(execute=True):  # the reindex after processing
        assert process(document.pk) == Document.State.READY

    document.refresh_from_db()
    assert 6 <= document.page_count <= 7  # a title slide and the case's slides
    assert word in document.extracted_text
    results = search_cases(CaseSearch.from_params({"q": word}))
    assert [hit.case.slug for hit in results.hits] == [slug]
    match = results.hits[0].document_match
    assert match.title == document.title
    assert word in document.extracted_text.split("\f")[match.page - 1]
