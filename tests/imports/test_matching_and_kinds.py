"""What the cells of a sheet are matched to, and the other kinds of rows: organizations,
events, participations and focal point invitations, each written by its service."""

from io import StringIO

import pytest
from django.core import mail
from django.core.management import CommandError, call_command

from accounts.models import AuditEvent, Invitation
from countries.models import Country, Organization
from events.models import Event, EventOrganizer, Participation
from paks.imports.matching import Matcher, Unmatched
from tests.imports.sheets import write


def run(*args: str) -> str:
    out = StringIO()
    call_command("import_data", *args, stdout=out)
    return out.getvalue()


@pytest.mark.parametrize(
    "cell",
    ["KEN", "ken", "KE", "404", "404.0", "Kenya", "  kenya ", "kenya"],
)
def test_a_country_is_found_by_iso3_iso2_m49_slug_or_name(reference, cell):
    assert Matcher().country(cell).iso3 == "KEN"


def test_m49_codes_keep_their_place_without_leading_zeros(reference):
    assert Matcher().country(4).iso3 == "AFG"
    assert Matcher().country("004").iso3 == "AFG"


@pytest.mark.parametrize(
    ("cell", "iso3"),
    [
        ("Bolivia", "BOL"),
        ("Czech Republic", "CZE"),
        ("Netherlands", "NLD"),
        ("Cote d'Ivoire", "CIV"),
    ],
)
def test_a_country_is_found_by_the_names_the_reference_lists_use(reference, cell, iso3):
    assert Matcher().country(cell).iso3 == iso3


def test_an_unknown_country_is_named_with_its_column(reference):
    with pytest.raises(
        Unmatched, match='Column "host": no country has the code or name "Atlantis"'
    ):
        Matcher().country("Atlantis", column="host")


def test_an_organization_is_found_by_name_slug_or_acronym_and_an_unknown_one_reported(
    organizations,
):
    ministry = organizations[0]
    matcher = Matcher()
    for cell in (ministry.name.upper(), ministry.slug, ministry.acronym.lower()):
        assert matcher.organization(cell) == ministry
    with pytest.raises(Unmatched, match='no organization is named "Ministry of Nowhere"'):
        matcher.organization("Ministry of Nowhere")


def test_an_acronym_two_organizations_share_is_refused_as_ambiguous(organizations):
    Organization.objects.filter(pk__in=[o.pk for o in organizations[:2]]).update(acronym="MDG")
    with pytest.raises(Unmatched, match='"MDG" names several organizations'):
        Matcher().organization("MDG")


def test_organizations_are_added_then_changed_by_name_with_history_and_audit(
    tmp_path, editor, reference
):
    headers = ("Name", "Acronym", "Kind", "Country", "Parent")
    rows = [
        ("Ministry of ICT of Kenya", "MICT", "Government agency", "KE", ""),
        ("ICT Authority", "ICTA", "government", "Kenya", "Ministry of ICT of Kenya"),
    ]
    report = run("organizations", str(write(tmp_path, "orgs.xlsx", headers, rows)))
    assert "2 rows: 2 created, 0 updated, 0 skipped, 0 refused." in report
    authority = Organization.objects.get(acronym="ICTA")
    assert authority.parent.acronym == "MICT"
    assert authority.country.iso3 == "KEN"
    assert authority.history.count() == 1

    rows[1] = ("ict authority", "ICTA", "Government agency", "KEN", "MICT")
    changed = [("ICT Authority", "ICT-A", "government", "KEN", "MICT"), rows[0]]
    report = run(
        "organizations", str(write(tmp_path, "again.csv", headers, changed)), "--as", editor.email
    )
    assert "2 rows: 0 created, 1 updated, 1 skipped, 0 refused." in report
    authority.refresh_from_db()
    assert authority.acronym == "ICT-A"
    assert authority.history.first().history_user == editor
    assert AuditEvent.objects.filter(action="organization_changed", actor=editor).count() == 1


def test_an_organization_of_an_unknown_country_is_refused_and_nothing_saved(tmp_path, reference):
    headers = ("Name", "Country")
    rows = [("Agency A", "Kenya"), ("Agency B", "Narnia")]
    out = StringIO()
    with pytest.raises(CommandError):
        call_command(
            "import_data", "organizations", str(write(tmp_path, "o.csv", headers, rows)), stdout=out
        )
    assert 'line 3: refused: Column "country": no country has the code or name "Narnia"' in (
        out.getvalue()
    )
    assert not Organization.objects.exists()


def test_events_and_their_participations_are_imported(tmp_path, editor, organizations):
    headers = ("Title", "Kind", "Start", "End", "Mode", "Country", "Organizers", "Themes", "SDGs")
    rows = [
        (
            "Regional workshop on digital identity",
            "Workshop",
            "2025-03-04 09:00:00",
            "2025-03-06 17:00:00",
            "in person",
            "Kenya",
            f"{organizations[0].acronym}; {organizations[1].name}",
            "e-government",
            "16; 9",
        )
    ]
    report = run("events", str(write(tmp_path, "events.json", headers, rows)), "--as", editor.email)
    assert "1 rows: 1 created" in report
    event = Event.objects.get()
    assert event.country.iso3 == "KEN" and event.kind == "workshop"
    assert set(EventOrganizer.objects.values_list("organization", flat=True)) == {
        organizations[0].pk,
        organizations[1].pk,
    }
    assert event.sdgs.count() == 2

    participations = [(event.slug, "KEN", 12), (event.title, "UG", 3), (event.slug, "404", 14)]
    report = run(
        "participations",
        str(write(tmp_path, "p.csv", ("Event", "Country", "Participants"), participations)),
        "--as",
        editor.email,
    )
    assert "3 rows: 2 created, 1 updated, 0 skipped, 0 refused." in report
    assert Participation.objects.get(event=event, country__iso3="KEN").participants == 14
    assert Participation.objects.count() == 2


def test_only_editors_import_events(tmp_path, organizations):
    from tests.factories import UserFactory

    person = UserFactory(email="someone@example.org")
    rows = [("Forum", "forum", "2025-01-01 09:00:00", "2025-01-01 17:00:00")]
    out = StringIO()
    with pytest.raises(CommandError):
        call_command(
            "import_data",
            "events",
            str(write(tmp_path, "e.csv", ("Title", "Kind", "Start", "End"), rows)),
            "--as",
            person.email,
            stdout=out,
        )
    assert "Only editors may add or change events." in out.getvalue()
    assert not Event.objects.exists()


def test_invitations_are_sent_once_per_address_and_country(tmp_path, editor, organizations):
    ministry = organizations[0]
    country: Country = ministry.country  # type: ignore[assignment]
    headers = ("Email", "Country", "Organization", "Position")
    rows = [("Focal@Example.org", country.iso3, ministry.acronym, "Director")]
    path = write(tmp_path, "invitations.csv", headers, rows)

    report = run("invitations", str(path), "--as", editor.email)
    assert "1 rows: 1 created" in report
    invitation = Invitation.objects.get()
    assert invitation.email == "focal@example.org" and invitation.invited_by == editor
    assert AuditEvent.objects.filter(action="invitation_sent").count() == 1

    again = run("invitations", str(path), "--as", editor.email)
    assert "1 rows: 0 created, 0 updated, 1 skipped, 0 refused." in again
    assert Invitation.objects.count() == 1


def test_an_invitation_to_another_countrys_organization_is_refused(tmp_path, editor, organizations):
    rows = [("a@example.org", organizations[0].country.iso3, organizations[1].name, "")]
    out = StringIO()
    with pytest.raises(CommandError):
        call_command(
            "import_data",
            "invitations",
            str(write(tmp_path, "i.csv", ("Email", "Country", "Organization", "Position"), rows)),
            "--as",
            editor.email,
            stdout=out,
        )
    assert "belongs to another country" in out.getvalue()
    assert not Invitation.objects.exists()
    assert not mail.outbox
