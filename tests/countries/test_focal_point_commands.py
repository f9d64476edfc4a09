"""Managing focal points from the command line: create, list and deactivate."""

import datetime
import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from accounts.models import User
from countries.models import FocalPoint
from tests.factories import (
    CountryFactory,
    FocalPointFactory,
    OrganizationFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def run(command, *args):
    out = StringIO()
    call_command(command, *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def country():
    return CountryFactory(iso3="QBD", iso2="QB", name="Testland North")


@pytest.fixture
def organization(country):
    return OrganizationFactory(name="Digital Agency", slug="digital-agency", country=country)


def test_create_focal_point_creates_the_user_without_a_usable_password(country, organization):
    output = run(
        "create_focal_point",
        "--email=new.person@example.org",
        "--country=qbd",
        "--organization=digital-agency",
        "--position=Director",
        "--first-name=Amina",
        "--last-name=Rahman",
        "--public",
    )

    user = User.objects.get(email="new.person@example.org")
    assert not user.has_usable_password()
    assert (user.first_name, user.last_name) == ("Amina", "Rahman")
    appointment = FocalPoint.objects.get(user=user)
    assert (appointment.country, appointment.organization) == (country, organization)
    assert appointment.position == "Director"
    assert appointment.is_contact_public
    assert appointment.since == timezone.localdate()
    assert appointment.until is None
    assert "manage.py changepassword new.person@example.org" in output


def test_create_focal_point_finds_the_organization_by_name_and_reuses_an_existing_user(
    country, organization
):
    user = UserFactory(email="known@example.org")

    output = run(
        "create_focal_point",
        "--email=KNOWN@example.org",
        "--country=QBD",
        "--organization=digital agency",
    )

    appointment = FocalPoint.objects.get(user=user)
    assert appointment.organization == organization
    assert not appointment.is_contact_public
    assert User.objects.filter(email__iexact="known@example.org").count() == 1
    assert "changepassword" not in output
    assert user.has_usable_password()


def test_create_focal_point_rejects_an_unknown_country_and_creates_nothing(organization):
    with pytest.raises(CommandError, match="Unknown country 'XXX'"):
        run(
            "create_focal_point",
            "--email=a@example.org",
            "--country=XXX",
            "--organization=digital-agency",
        )

    assert not User.objects.filter(email="a@example.org").exists()
    assert FocalPoint.objects.count() == 0


def test_create_focal_point_rejects_an_unknown_organization_and_creates_nothing(country):
    with pytest.raises(CommandError, match="Unknown organization 'nowhere'"):
        run(
            "create_focal_point",
            "--email=a@example.org",
            "--country=QBD",
            "--organization=nowhere",
        )

    assert not User.objects.filter(email="a@example.org").exists()
    assert FocalPoint.objects.count() == 0


def test_create_focal_point_refuses_a_second_open_appointment(country, organization):
    existing = FocalPointFactory(country=country, organization=organization)

    with pytest.raises(CommandError, match="already a focal point for Testland North"):
        run(
            "create_focal_point",
            f"--email={existing.user.email}",
            "--country=QBD",
            "--organization=digital-agency",
        )

    assert FocalPoint.objects.count() == 1


def test_create_focal_point_reactivates_a_former_focal_point(country, organization):
    former = FocalPointFactory(
        country=country, organization=organization, until=datetime.date(2021, 1, 1)
    )
    former.user.is_active = False
    former.user.save()

    output = run(
        "create_focal_point",
        f"--email={former.user.email}",
        "--country=QBD",
        "--organization=digital-agency",
    )

    former.user.refresh_from_db()
    assert former.user.is_active
    assert FocalPoint.objects.active().filter(user=former.user).count() == 1
    assert "Reactivated" in output


def test_list_focal_points_shows_current_appointments_as_a_table(country, organization):
    FocalPointFactory(
        user=UserFactory(email="current@example.org"),
        country=country,
        organization=organization,
    )
    FocalPointFactory(
        user=UserFactory(email="former@example.org"),
        country=country,
        organization=organization,
        until=datetime.date(2021, 6, 30),
    )

    lines = run("list_focal_points").splitlines()

    assert lines[0].split() == ["email", "country", "organization", "since", "until", "active"]
    assert len(lines) == 2
    assert lines[1].split() == [
        "current@example.org",
        "QBD",
        "Digital",
        "Agency",
        "2020-01-01",
        "yes",
    ]


def test_list_focal_points_with_all_includes_ended_appointments(country, organization):
    FocalPointFactory(
        user=UserFactory(email="former@example.org"),
        country=country,
        organization=organization,
        until=datetime.date(2021, 6, 30),
    )

    output = run("list_focal_points", "--all")

    assert "former@example.org" in output
    assert "2021-06-30" in output
    assert output.splitlines()[1].split()[-1] == "no"


def test_list_focal_points_filters_by_country(country, organization):
    FocalPointFactory(user=UserFactory(email="here@example.org"), country=country)
    FocalPointFactory(user=UserFactory(email="elsewhere@example.org"))

    output = run("list_focal_points", "--country=QBD")

    assert "here@example.org" in output
    assert "elsewhere@example.org" not in output


def test_list_focal_points_says_when_there_are_none():
    assert run("list_focal_points").strip() == "No focal points."


def test_deactivate_focal_point_ends_the_appointment_and_the_account(country, organization):
    appointment = FocalPointFactory(country=country, organization=organization)

    output = run("deactivate_focal_point", f"--email={appointment.user.email}")

    appointment.refresh_from_db()
    appointment.user.refresh_from_db()
    assert appointment.until == timezone.localdate()
    assert not appointment.user.is_active
    assert "Ended the appointment" in output
    assert "Deactivated the account" in output
    # The account's end is in the audit log; its country's cases stay where they were.
    from accounts.models import AuditEvent

    event = AuditEvent.objects.get(action="account_deactivated")
    assert event.target_id == str(appointment.user.pk)


def test_deactivate_keeps_the_account_while_another_appointment_lasts(country, organization):
    appointment = FocalPointFactory(country=country, organization=organization)
    other = FocalPointFactory(user=appointment.user)

    output = run("deactivate_focal_point", f"--email={appointment.user.email}", "--country=QBD")

    appointment.refresh_from_db()
    other.refresh_from_db()
    appointment.user.refresh_from_db()
    assert appointment.until == timezone.localdate()
    assert other.until is None
    assert appointment.user.is_active
    assert "Deactivated" not in output
    from accounts.models import AuditEvent

    assert not AuditEvent.objects.filter(action="account_deactivated").exists()


def test_deactivate_keeps_a_staff_account_active(country, organization):
    appointment = FocalPointFactory(
        user=UserFactory(is_staff=True), country=country, organization=organization
    )

    run("deactivate_focal_point", f"--email={appointment.user.email}")

    appointment.user.refresh_from_db()
    assert appointment.user.is_active


def test_deactivate_without_open_appointment_fails_and_changes_nothing(country, organization):
    ended = FocalPointFactory(
        country=country, organization=organization, until=datetime.date(2021, 6, 30)
    )

    with pytest.raises(CommandError, match="has no open focal point appointment"):
        run("deactivate_focal_point", f"--email={ended.user.email}")

    ended.refresh_from_db()
    ended.user.refresh_from_db()
    assert ended.until == datetime.date(2021, 6, 30)
    assert ended.user.is_active


def test_deactivate_an_unknown_email_fails(country):
    with pytest.raises(
        CommandError, match=re.escape("No user with the e-mail 'nobody@example.org'")
    ):
        run("deactivate_focal_point", "--email=nobody@example.org")
