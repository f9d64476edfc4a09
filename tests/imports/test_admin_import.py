"""An editor imports a 1,000-row sheet of cases in the admin, as a person would: upload it
for a dry run, read the row-by-row report, then confirm. A sheet with refused rows saves
nothing; the corrected sheet is saved whole, audited and searchable.

Run with -s to see how long the dry run and the import take (printed, never asserted).
"""

import os
import time

import pytest
from django.core import mail
from django.urls import reverse
from import_export.tmp_storages import TempFolderStorage

from accounts.models import AuditEvent
from paks.models import CaseStudy
from tests.imports.sheets import CASE_HEADERS, case_rows, sheet

# The sheet's size; smaller when asked (PAKS_IMPORT_ROWS), to try changes quickly.
ROWS = int(os.environ.get("PAKS_IMPORT_ROWS", "1000"))
CSV, XLSX, JSON = "0", "1", "2"  # the import form's formats, in ServiceImportMixin's order
IMPORT_URL = reverse("admin:paks_casestudy_import")
CONFIRM_URL = reverse("admin:paks_casestudy_process_import")


def upload(client, content: bytes, name: str, file_format: str = CSV, **fields):
    from django.core.files.uploadedfile import SimpleUploadedFile

    data = {"resource": "0", "format": file_format, **fields}
    data["import_file"] = SimpleUploadedFile(name, content)
    return client.post(IMPORT_URL, data)


def confirm(client, response):
    """Press "Confirm import": the confirm form's hidden fields, as the page carries them."""
    form = response.context["confirm_form"]
    data = {name: form.initial.get(name, "") for name in form.fields}
    data = {k: ("on" if v is True else "" if v is False else v) for k, v in data.items()}
    return client.post(CONFIRM_URL, data)


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


def test_an_editor_imports_a_thousand_cases_in_the_admin(
    signed_in, editor, organizations, django_capture_on_commit_callbacks, settings
):
    # So many cases are indexed in batches by the task worker; here it runs them at once.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
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
    assert "confirm_form" not in response.context or not response.context["confirm_form"]
    assert (
        f"{ROWS + 4} rows: {ROWS} to create, 0 to change, 0 unchanged (skipped), 4 refused." in page
    )
    for reason in reasons:
        assert reason.replace('"', "&quot;") in page
    invalid = response.context["result"].invalid_rows
    assert [row.number for row in invalid] == [a + 1, a + 2, b + 3, b + 4]
    assert not CaseStudy.objects.exists()

    # A confirm for the refused sheet (a stale page, or a forged post) saves nothing either.
    stored = TempFolderStorage(read_mode="rb")
    stored.save(sheet(CASE_HEADERS, with_errors, "csv"))
    response = signed_in.post(
        CONFIRM_URL,
        {
            "import_file_name": stored.name,
            "original_file_name": "cases.csv",
            "format": CSV,
            "resource": "0",
            "publish": "on",
        },
    )
    assert response.status_code == 302
    assert not CaseStudy.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="case_").exists()
    messages = [str(m) for m in response.wsgi_request._messages]
    assert messages[0].startswith("Nothing was imported: 4 rows were refused.")

    # The corrected sheet: a dry run that may be confirmed, then the import.
    started = time.perf_counter()
    response = upload(signed_in, sheet(CASE_HEADERS, good, "csv"), "cases.csv", publish="on")
    took_dry_run = time.perf_counter() - started
    assert response.status_code == 200
    assert response.context["confirm_form"] is not None
    assert f"{ROWS} rows: {ROWS} to create, 0 to change" in response.content.decode()
    assert not CaseStudy.objects.exists()

    mail.outbox.clear()
    started = time.perf_counter()
    with django_capture_on_commit_callbacks(execute=True):
        response = confirm(signed_in, response)
    took_import = time.perf_counter() - started

    assert response.status_code == 302
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
    assert response.context["confirm_form"] is not None

    response = confirm(signed_in, response)

    assert response.status_code == 302
    assert list(CaseStudy.objects.values_list("status", flat=True)) == ["draft"] * 3


def test_the_import_page_offers_publish_for_cases_only(signed_in):
    assert "Publish the imported cases" in signed_in.get(IMPORT_URL).content.decode()
    organizations = signed_in.get(reverse("admin:countries_organization_import"))
    assert organizations.status_code == 200
    assert "Publish the imported cases" not in organizations.content.decode()


def test_only_editors_may_import(client, organizations):
    from tests.factories import UserFactory

    staff = UserFactory(is_staff=True)
    client.force_login(staff)

    assert client.get(IMPORT_URL).status_code == 403


def test_a_sheet_longer_than_the_admin_takes_is_refused_with_the_way_round(
    signed_in, organizations, settings
):
    # One request must end within the server's time limit; the command takes any length.
    settings.PAKS_IMPORT_MAX_ROWS = 3
    response = upload(signed_in, sheet(CASE_HEADERS, case_rows(4, organizations), "csv"), "c.csv")
    assert response.status_code == 200
    error = response.context["form"].errors["import_file"][0]
    assert error.startswith("This sheet has 4 rows; the admin imports up to 3 at a time.")
    assert "manage.py import_data" in error
    assert response.context.get("confirm_form") is None
    assert not CaseStudy.objects.exists()
    response = upload(signed_in, sheet(CASE_HEADERS, case_rows(3, organizations), "csv"), "c.csv")
    assert response.context["confirm_form"] is not None
