"""A sheet exported by another portal, with headers that are not ours ("Nom du pays",
"Ministry", "Title of practice"), is imported unedited: the dry run names the columns it
does not import and the fields it knows, and a column mapping renames the headers, in the
admin (kept with the import for its dry run and the import) and in `import_data --map`.
"""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils.html import escape

from accounts.models import AuditEvent
from countries.models import Organization
from paks.imports.models import ImportJob
from paks.models import CaseStudy
from tests.imports.sheets import case_rows, sheet, write
from tests.imports.test_admin_import import confirm, upload

# Another portal's export: its own headers, and an id column of its own that we do not keep.
FOREIGN_HEADERS = (
    "Title of practice",
    "Nom du pays",
    "Ministry",
    "Year",
    "Language",
    "Summary",
    "Themes",
    "SDGs",
)
ROWS = 6
MAPPING = "title of practice = Title\n\n  NOM  DU PAYS -> country\nMinistry=Organisation\n"


def foreign_sheet(organizations, file_format: str = "csv") -> bytes:
    rows = [[*row, f"portal-{n}"] for n, row in enumerate(case_rows(ROWS, organizations))]
    return sheet((*FOREIGN_HEADERS, "Portal ID"), rows, file_format)


@pytest.fixture
def signed_in(client, editor):
    client.force_login(editor)
    return client


def test_the_dry_run_names_the_columns_it_does_not_import_and_the_fields(signed_in, organizations):
    response = upload(signed_in, foreign_sheet(organizations), "portal.csv")

    page = response.content.decode()
    assert "Not imported: columns Title of practice, Nom du pays, Ministry, Portal ID." in page
    assert "<code>title</code> (required)" in page
    assert "<code>country</code> (required)" in page
    assert "<code>organization</code>," in page  # known, not required
    assert "Upload a corrected sheet" in page  # the form again, to give a mapping
    assert not response.context["job"].confirmable
    assert not CaseStudy.objects.exists()


def test_a_mapped_sheet_is_dry_run_then_imported_with_its_mapping(signed_in, editor, organizations):
    response = upload(signed_in, foreign_sheet(organizations), "portal.csv", column_mapping=MAPPING)

    page = response.content.decode()
    assert f"{ROWS} rows: {ROWS} created, 0 updated" in page
    assert "Not imported: columns Portal ID." in page
    assert (
        "Columns mapped: title of practice = title, NOM DU PAYS = country, "
        "Ministry = organization." in page
    )
    assert response.context["job"].confirmable
    assert not CaseStudy.objects.exists()

    response = confirm(signed_in, response)

    assert response.context["job"].status == "imported"
    assert CaseStudy.objects.count() == ROWS
    first = CaseStudy.objects.get(title="Imported practice 0000: one-stop service portal")
    assert first.country == organizations[0].country
    assert first.organization == organizations[0]
    assert AuditEvent.objects.get(action="data_imported").detail == (
        f"cases from portal.csv: {ROWS} created, 0 updated, 0 skipped; columns mapped: "
        "title of practice = title, NOM DU PAYS = country, Ministry = organization"
    )


def test_an_xlsx_sheet_is_mapped_as_a_csv_is(signed_in, organizations):
    response = upload(
        signed_in,
        foreign_sheet(organizations, "xlsx"),
        "portal.xlsx",
        file_format="1",
        column_mapping=MAPPING,
    )

    assert response.context["job"].confirmable
    assert confirm(signed_in, response).context["job"].status == "imported"
    assert CaseStudy.objects.count() == ROWS


@pytest.mark.parametrize(
    ("mapping", "error"),
    [
        (
            "Nom du pays = country\nMinistry = ministry",
            'Line 2: "ministry" is no field of this import.',
        ),
        (
            "Nom du pays = country\n\nPays = lessons learned",
            'Line 3: the sheet has no column "Pays".',
        ),
        (
            "Title of practice = title\nNom du pays = country\nministry -> COUNTRY",
            'Line 3: "ministry" and "Nom du pays" (line 2) are both mapped to country',
        ),
        ("Nom du pays = year", """Line 1: the sheet's column "Year" is year already"""),
        ("Nom du pays", 'Line 1: "Nom du pays" is not "sheet header = field".'),
    ],
    ids=["unknown field", "header not in the sheet", "two headers to one field", "taken", "no ="],
)
def test_a_wrong_mapping_is_a_form_error_and_imports_nothing(
    signed_in, organizations, mapping, error
):
    response = upload(signed_in, foreign_sheet(organizations), "portal.csv", column_mapping=mapping)

    assert response.status_code == 200
    form_errors = response.context["form"].errors["column_mapping"]
    assert len(form_errors) == 1
    assert error in form_errors[0]
    assert escape(error) in response.content.decode()
    assert not ImportJob.objects.exists()
    assert not CaseStudy.objects.exists()


def test_organizations_take_a_mapping_too(signed_in, reference):
    content = sheet(("Ministry", "Pays"), [["Ministry of Digital Affairs", "FRA"]], "csv")
    response = upload(
        signed_in,
        content,
        "ministries.csv",
        url=reverse("admin:countries_organization_import"),
        column_mapping="Ministry = name\nPays = country",
    )
    job = response.context["job"]
    assert job.kind == "organizations" and job.column_mapping == "Ministry = name\nPays = country"

    confirm(signed_in, response)

    assert Organization.objects.get(name="Ministry of Digital Affairs").country.iso3 == "FRA"


def run(*args: str) -> str:
    out = StringIO()
    call_command("import_data", *args, stdout=out)
    return out.getvalue()


def test_the_command_reports_the_columns_it_does_not_import(tmp_path, editor, organizations):
    path = tmp_path / "portal.csv"
    path.write_bytes(foreign_sheet(organizations))
    out = StringIO()

    with pytest.raises(CommandError):
        call_command("import_data", "cases", str(path), "--as", editor.email, stdout=out)

    assert "Not imported: columns Title of practice, Nom du pays, Ministry, Portal ID." in (
        out.getvalue()
    )
    assert not CaseStudy.objects.exists()


def test_the_command_imports_a_sheet_mapped_with_map_options(tmp_path, editor, organizations):
    path = tmp_path / "portal.csv"
    path.write_bytes(foreign_sheet(organizations))

    report = run(
        "cases",
        str(path),
        "--as",
        editor.email,
        "--map",
        "Title of practice=title",
        "--map",
        "nom du pays -> Country",
        "--map",
        "Ministry=organization",
    )

    assert "Not imported: columns Portal ID." in report
    assert f"{ROWS} rows: {ROWS} created, 0 updated, 0 skipped, 0 refused." in report
    assert CaseStudy.objects.count() == ROWS
    assert AuditEvent.objects.get(action="data_imported").detail.endswith(
        "columns mapped: Title of practice = title, nom du pays = country, Ministry = organization"
    )


def test_a_wrong_map_option_stops_the_command_before_any_row(tmp_path, editor, organizations):
    path = write(tmp_path, "portal.csv", FOREIGN_HEADERS, case_rows(1, organizations))

    with pytest.raises(CommandError, match='--map option 2: the sheet has no column "Pays"'):
        run(
            "cases",
            str(path),
            "--as",
            editor.email,
            "--map",
            "Ministry=organization",
            "--map",
            "Pays=country",
        )

    assert not CaseStudy.objects.exists()
