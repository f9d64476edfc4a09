"""manage.py import_data: the same import as the admin's, for operators, with a row-by-row
report and an exit status that says whether anything was refused."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from accounts.models import AuditEvent
from paks.models import CaseStudy
from tests.imports.sheets import CASE_HEADERS, case_rows, write


def run(*args: str) -> str:
    out = StringIO()
    call_command("import_data", *args, stdout=out)
    return out.getvalue()


def test_dry_run_reports_each_row_and_saves_nothing(tmp_path, editor, organizations):
    path = write(tmp_path, "cases.csv", CASE_HEADERS, case_rows(5, organizations))

    report = run("cases", str(path), "--dry-run", "--as", editor.email)

    assert report.count("would be created") == 5
    assert "line 2: would be created: Imported practice 0000" in report
    assert (
        "5 rows: 5 created, 0 updated, 0 skipped, 0 refused. Dry run: nothing was saved." in report
    )
    assert not CaseStudy.objects.exists()
    assert not AuditEvent.objects.filter(action="case_created").exists()


def test_real_run_creates_drafts_audited_and_with_history(tmp_path, editor, organizations):
    path = write(tmp_path, "cases.xlsx", CASE_HEADERS, case_rows(4, organizations))

    report = run("cases", str(path), "--as", editor.email)

    assert "4 rows: 4 created, 0 updated, 0 skipped, 0 refused." in report
    cases = CaseStudy.objects.order_by("title")
    assert [c.status for c in cases] == ["draft"] * 4
    first = cases[0]
    assert first.organization == organizations[0]
    assert first.themes.count() == 2 and first.sdgs.count() == 2
    assert first.history.first().history_user == editor
    assert AuditEvent.objects.filter(action="case_created", actor=editor).count() == 4
    summary = AuditEvent.objects.get(action="data_imported")
    assert summary.detail == "cases from cases.xlsx: 4 created, 0 updated, 0 skipped"


def test_publish_option_publishes_what_it_imports(tmp_path, editor, organizations):
    path = write(tmp_path, "cases.json", CASE_HEADERS, case_rows(2, organizations))

    run("cases", str(path), "--publish", "--as", editor.email)

    assert set(CaseStudy.objects.values_list("status", flat=True)) == {"published"}
    assert AuditEvent.objects.filter(action="case_published").count() == 2


def test_a_refused_row_fails_the_command_and_saves_nothing(tmp_path, editor, organizations):
    rows = case_rows(3, organizations)
    rows[1][1] = "Atlantis"
    path = write(tmp_path, "cases.csv", CASE_HEADERS, rows)
    out = StringIO()

    with pytest.raises(CommandError, match="nothing was saved"):
        call_command("import_data", "cases", str(path), "--as", editor.email, stdout=out)

    report = out.getvalue()
    assert 'line 3: refused: Column "country": no country has the code or name "Atlantis"' in report
    assert "3 rows: 2 created, 0 updated, 0 skipped, 1 refused. Nothing was saved." in report
    assert not CaseStudy.objects.exists()
    assert not AuditEvent.objects.exists()


def test_the_exit_status_is_non_zero_when_a_row_is_refused(tmp_path, editor, organizations):
    rows = case_rows(1, organizations)
    rows[0][2] = "Ministry of Nowhere"
    path = write(tmp_path, "cases.csv", CASE_HEADERS, rows)

    with pytest.raises(CommandError) as refused:
        call_command("import_data", "cases", str(path), "--as", editor.email, stdout=StringIO())

    # manage.py exits with a CommandError's return code (run in-process here, so the test
    # database is the one read).
    assert refused.value.returncode == 1


def test_a_second_run_of_the_same_sheet_skips_unchanged_cases(tmp_path, editor, organizations):
    rows = case_rows(2, organizations)
    path = write(tmp_path, "cases.csv", CASE_HEADERS, rows)
    run("cases", str(path), "--as", editor.email)
    slugs = list(CaseStudy.objects.order_by("title").values_list("slug", flat=True))
    rows[0][5] = "A better summary."
    again = write(
        tmp_path,
        "again.csv",
        ("Slug", *CASE_HEADERS),
        [[s, *r] for s, r in zip(slugs, rows, strict=True)],
    )

    report = run("cases", str(again), "--as", editor.email)

    assert "2 rows: 0 created, 1 updated, 1 skipped, 0 refused." in report
    assert CaseStudy.objects.get(slug=slugs[0]).summary == "A better summary."
    assert CaseStudy.objects.get(slug=slugs[0]).version == 2


def test_cases_need_an_editor_to_import_as(tmp_path, organizations):
    path = write(tmp_path, "cases.csv", CASE_HEADERS, case_rows(1, organizations))

    with pytest.raises(CommandError):
        call_command("import_data", "cases", str(path), stdout=StringIO())

    assert not CaseStudy.objects.exists()


def test_documents_named_by_address_are_attached_as_links(tmp_path, editor, organizations):
    from paks.models import Document

    rows = case_rows(1, organizations)
    rows[0].append("https://example.org/report.pdf; https://video.example.org/watch?v=1")
    path = write(tmp_path, "cases.csv", (*CASE_HEADERS, "Documents"), rows)

    run("cases", str(path), "--as", editor.email)

    case = CaseStudy.objects.get()
    assert set(Document.objects.filter(case=case).values_list("external_url", flat=True)) == {
        "https://example.org/report.pdf",
        "https://video.example.org/watch?v=1",
    }
    assert set(case.documents.values_list("state", flat=True)) == {"ready"}


def test_a_document_that_is_no_web_address_refuses_its_row(tmp_path, editor, organizations):
    rows = case_rows(1, organizations)
    rows[0].append("javascript:alert(1)")
    path = write(tmp_path, "cases.csv", (*CASE_HEADERS, "Documents"), rows)
    out = StringIO()

    with pytest.raises(CommandError):
        call_command("import_data", "cases", str(path), "--as", editor.email, stdout=out)

    assert "line 2: refused: Column \"documents\": 'javascript:alert(1)' is not a web address" in (
        out.getvalue()
    )
    assert not CaseStudy.objects.exists()
