"""An editor imports a 1,000-row sheet of cases in the admin, as a person would: upload it,
read the dry run's row-by-row report on the import's page, then press Import. The task
worker checks and imports (here it runs at once). A sheet with refused rows saves nothing;
the corrected sheet is saved whole, audited and searchable.

Run with -s to see how long the dry run and the import take (printed, never asserted).
"""

import os
import time

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from django.urls import reverse

from accounts.models import AuditEvent
from paks.imports.models import ImportJob
from paks.models import CaseStudy
from tests.imports.sheets import CASE_HEADERS, case_rows, sheet

# The sheet's size; smaller when asked (PAKS_IMPORT_ROWS), to try changes quickly.
ROWS = int(os.environ.get("PAKS_IMPORT_ROWS", "1000"))
CSV, XLSX, JSON = "0", "1", "2"  # the import form's formats, in ServiceImportMixin's order
IMPORT_URL = reverse("admin:paks_casestudy_import")


def upload(
    client,
    content: bytes,
    name: str,
    file_format: str = CSV,
    *,
    files: bytes | None = None,
    url: str = IMPORT_URL,
    **fields,
):
    """Post the import form (with a ZIP of `files`), and follow to the import's page once
    the worker has checked the sheet (the form again, with why, when it is refused)."""
    data = {"resource": "0", "format": file_format, **fields}
    data["import_file"] = SimpleUploadedFile(name, content)
    if files is not None:
        data["files"] = SimpleUploadedFile("files.zip", files, "application/zip")
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(url, data)
    if response.status_code != 302:
        return response
    return client.get(response["Location"])


def confirm(client, response):
    """Press the import's page's Import button; the worker imports, then the page shows."""
    job = response.context["job"]
    with TestCase.captureOnCommitCallbacks(execute=True):
        posted = client.post(reverse("admin:imports_importjob_confirm", args=[job.pk]))
    assert posted.status_code == 302
    return client.get(posted["Location"])


def bad_rows(organizations):
    """Four rows a person might get wrong, and the reason each one is refused for."""
    rows = case_rows(4, organizations)
    rows[0][1] = "Atlantis"
    rows[1][2] = "Ministry of Nowhere"
    rows[2][0] = ""
    rows[3][7] = "42"
    reasons = [
        'Column "country": no country has the code or name "Atlantis"',
        'Column "organization": no organization is named "Ministry of Nowhere"',
        "This field cannot be blank.",
        'Column "sdgs": no SDG is "42"',
    ]
    return rows, reasons


@pytest.fixture
def signed_in(client, editor):
    client.force_login(editor)
    return client


def test_an_editor_imports_a_thousand_cases_in_the_admin(signed_in, editor, organizations):
    good = case_rows(ROWS, organizations)
    wrong, reasons = bad_rows(organizations)
    # The bad rows sit among the good ones, as in a sheet put together by hand.
    a, b = ROWS // 10, ROWS * 6 // 10
    with_errors = good[:a] + wrong[:2] + good[a:b] + wrong[2:] + good[b:]

    started = time.perf_counter()
    response = upload(signed_in, sheet(CASE_HEADERS, with_errors, "csv"), "cases.csv", publish="on")
    took_refused_dry_run = time.perf_counter() - started

    assert response.status_code == 200
    page = response.content.decode()
    job = response.context["job"]
    assert job.status == ImportJob.Status.CHECKED and not job.confirmable
    assert f"{ROWS + 4} rows: {ROWS} created, 0 updated, 0 skipped, 4 refused." in page
    assert "Nothing can be imported until every refused row is corrected" in page
    assert reverse("admin:imports_importjob_confirm", args=[job.pk]) not in page
    for reason in reasons:
        assert reason.replace('"', "&quot;") in page
    refused = response.context["refused_rows"]
    # Lines as the spreadsheet numbers them: the header is line 1.
    assert [row["line"] for row in refused] == [a + 2, a + 3, b + 4, b + 5]
    assert not CaseStudy.objects.exists()

    # An Import pressed for the refused sheet (a stale page, or a forged post) saves nothing.
    response = confirm(signed_in, response)
    assert not CaseStudy.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="case_").exists()
    messages = [str(m) for m in response.context["messages"]]
    assert messages[0].startswith("Not imported: Its dry run refused rows")

    # The corrected sheet: a dry run that may be imported, then the import.
    started = time.perf_counter()
    response = upload(signed_in, sheet(CASE_HEADERS, good, "csv"), "cases.csv", publish="on")
    took_dry_run = time.perf_counter() - started
    assert response.status_code == 200
    assert response.context["job"].confirmable
    page = response.content.decode()
    assert f"{ROWS} rows: {ROWS} created, 0 updated, 0 skipped, 0 refused." in page
    assert f'value="Import {ROWS:,} rows as published cases"' in page
    assert not CaseStudy.objects.exists()

    mail.outbox.clear()
    started = time.perf_counter()
    response = confirm(signed_in, response)
    took_import = time.perf_counter() - started

    job = response.context["job"]
    assert job.status == ImportJob.Status.IMPORTED
    assert job.confirmed_by == editor
    assert not job.sheet and not job.files  # the sheet is not kept once imported
    assert "Imported" in response.content.decode()
    assert CaseStudy.objects.count() == ROWS
    assert set(CaseStudy.objects.values_list("status", flat=True)) == {"published"}
    assert mail.outbox == []  # an editor's bulk import e-mails nobody about each case
    for action in ("case_created", "case_published"):
        assert AuditEvent.objects.filter(action=action, actor=editor).count() == ROWS
    assert AuditEvent.objects.get(action="data_imported").detail == (
        f"cases from cases.csv: {ROWS} created, 0 updated, 0 skipped"
    )
    picked = f"Imported practice {ROWS * 421 // 1000:04d}"
    case = CaseStudy.objects.get(title=f"{picked}: one-stop service portal")
    assert case.history.filter(history_user=editor).exists()
    assert case.themes.count() == 2

    found = signed_in.get(reverse("paks:case-list"), {"q": picked})
    assert case.title in found.content.decode()

    # Pressed again (a second click, another editor's stale page): nothing more happens.
    response = confirm(signed_in, response)
    assert CaseStudy.objects.count() == ROWS
    assert AuditEvent.objects.filter(action="data_imported").count() == 1
    assert "it cannot be started again" in str(next(iter(response.context["messages"])))

    print(
        f"\n{ROWS} cases in the admin: dry run with 4 refused rows {took_refused_dry_run:.1f} s, "
        f"dry run {took_dry_run:.1f} s, import {took_import:.1f} s"
    )


@pytest.mark.parametrize(
    ("file_format", "name"), [(CSV, "cases.csv"), (XLSX, "cases.xlsx"), (JSON, "cases.json")]
)
def test_csv_xlsx_and_json_are_each_imported_as_drafts(signed_in, organizations, file_format, name):
    extension = name.rsplit(".", 1)[1]
    response = upload(
        signed_in, sheet(CASE_HEADERS, case_rows(3, organizations), extension), name, file_format
    )
    assert response.context["job"].confirmable

    response = confirm(signed_in, response)

    assert response.context["job"].status == ImportJob.Status.IMPORTED
    assert list(CaseStudy.objects.values_list("status", flat=True)) == ["draft"] * 3


def test_the_import_page_offers_publish_for_cases_only(signed_in):
    assert "Publish the imported cases" in signed_in.get(IMPORT_URL).content.decode()
    organizations = signed_in.get(reverse("admin:countries_organization_import"))
    assert organizations.status_code == 200
    assert "Publish the imported cases" not in organizations.content.decode()


def test_only_editors_may_import_or_see_imports(client, signed_in, organizations):
    from tests.factories import UserFactory

    response = upload(signed_in, sheet(CASE_HEADERS, case_rows(1, organizations), "csv"), "c.csv")
    job = response.context["job"]
    staff = UserFactory(is_staff=True)
    client.force_login(staff)

    assert client.get(IMPORT_URL).status_code == 403
    assert client.get(reverse("admin:imports_importjob_changelist")).status_code == 403
    assert client.get(reverse("admin:imports_importjob_change", args=[job.pk])).status_code == 403
    refused = client.post(reverse("admin:imports_importjob_confirm", args=[job.pk]))
    assert refused.status_code == 403
    assert not CaseStudy.objects.exists()


def test_the_imports_list_shows_each_import_and_where_it_stands(signed_in, organizations):
    upload(signed_in, sheet(CASE_HEADERS, case_rows(2, organizations), "csv"), "first.csv")
    response = signed_in.get(reverse("admin:imports_importjob_changelist"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "first.csv" in page and "Checked" in page


def test_a_queued_sheet_shows_that_it_waits_and_refreshes_itself(
    signed_in, organizations, settings
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    response = upload(signed_in, sheet(CASE_HEADERS, case_rows(2, organizations), "csv"), "c.csv")
    assert response.context["job"].status == ImportJob.Status.QUEUED
    page = response.content.decode()
    assert '<meta http-equiv="refresh" content="5">' in page
    assert "Waiting for the dry run" in page


@pytest.mark.parametrize(
    ("content", "name", "file_format", "error"),
    [
        (b"\x00\x01 not a workbook", "c.xlsx", XLSX, "This file cannot be read as XLSX"),
        (b"title,country\n", "c.csv", CSV, "This sheet has no rows under its header line."),
    ],
)
def test_a_sheet_that_cannot_be_read_is_refused_on_the_form(
    signed_in, organizations, content, name, file_format, error
):
    response = upload(signed_in, content, name, file_format)
    assert response.status_code == 200
    assert response.context["form"].errors["import_file"][0].startswith(error)
    assert not ImportJob.objects.exists()


def test_a_sheet_longer_than_the_admin_takes_is_refused_with_the_way_round(
    signed_in, organizations, settings
):
    settings.PAKS_IMPORT_MAX_ROWS = 3
    response = upload(signed_in, sheet(CASE_HEADERS, case_rows(4, organizations), "csv"), "c.csv")
    assert response.status_code == 200
    error = response.context["form"].errors["import_file"][0]
    assert error.startswith("This sheet has 4 rows; the admin imports up to 3 at a time.")
    assert "manage.py import_data" in error
    assert not ImportJob.objects.exists()
    assert not CaseStudy.objects.exists()
    response = upload(signed_in, sheet(CASE_HEADERS, case_rows(3, organizations), "csv"), "c.csv")
    assert response.context["job"].confirmable


def test_unknown_values_are_mapped_on_the_imports_page_and_the_sheet_checked_again(
    signed_in, editor, organizations
):
    rows = case_rows(4, organizations)
    rows[0][2] = rows[2][2] = "Min. of Digital Gov"  # twice: one mapping serves both rows
    rows[1][1] = "Republic of Aruba"  # a country by a name no list gives it
    response = upload(signed_in, sheet(CASE_HEADERS, rows, "csv"), "cases.csv")
    job = response.context["job"]
    assert not job.confirmable
    page = response.content.decode()
    assert "Values that name nothing known" in page
    form = response.context["values_form"]
    labels = [field.label for field in form]
    assert labels == [
        "Country “Republic of Aruba” (1 row)",
        "Organization “Min. of Digital Gov” (2 rows)",
    ]
    # A country is chosen from the list; an organization typed as the sheet would name it.
    assert ("ABW", "Aruba") in form.fields["value_0"].choices

    check = reverse("admin:imports_importjob_check", args=[job.pk])
    with TestCase.captureOnCommitCallbacks(execute=True):
        posted = signed_in.post(check, {"value_0": "ABW", "value_1": organizations[3].acronym})
    assert posted.status_code == 302
    response = signed_in.get(posted["Location"])
    job = response.context["job"]
    assert job.confirmable, job.report["summary"]
    assert job.value_mapping == (
        f"country: Republic of Aruba = ABW\norganization: Min. of Digital Gov = "
        f"{organizations[3].acronym}"
    )
    assert "Values that name nothing known" not in response.content.decode()

    confirm(signed_in, response)

    mapped = CaseStudy.objects.filter(organization=organizations[3])
    assert {c.title[:22] for c in mapped} >= {"Imported practice 0000", "Imported practice 0002"}
    assert CaseStudy.objects.get(title__startswith="Imported practice 0001").country.iso3 == "ABW"
    assert "values mapped: " in AuditEvent.objects.get(action="data_imported").detail


def test_a_mapping_to_nothing_known_is_said_on_the_page(signed_in, organizations):
    rows = case_rows(1, organizations)
    rows[0][2] = "Min. of Digital Gov"
    job = upload(signed_in, sheet(CASE_HEADERS, rows, "csv"), "cases.csv").context["job"]

    check = reverse("admin:imports_importjob_check", args=[job.pk])
    with TestCase.captureOnCommitCallbacks(execute=True):
        posted = signed_in.post(check, {"value_0": "Ministry of Nothing"})
    page = signed_in.get(posted["Location"]).content.decode()

    assert "is mapped to &quot;Ministry of Nothing&quot;, which names no organization" in page
    assert not CaseStudy.objects.exists()
