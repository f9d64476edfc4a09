"""A cases sheet's documents column names files, given with the sheet as a ZIP (or, to the
command, a folder): they become the cases' documents through the upload pipeline. A dry run
stores no file; a refused row saves no row and leaves no file; a ZIP whose paths lead out of
it, or that holds or unpacks to too much, is not read."""

import io
import zipfile
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from paks.documents.accept import accept_document
from paks.imports import files as import_files
from paks.imports import jobs, resources
from paks.imports.models import KEPT_FOR, ImportJob
from paks.models import CaseStudy, Document
from tests.imports.sheets import CASE_HEADERS, case_rows, sheet, write
from tests.imports.test_admin_import import IMPORT_URL, confirm
from tests.imports.test_admin_import import upload as upload_sheet

DEMO_FILES = Path(__file__).resolve().parents[2] / "paks" / "demo_files"
PDF = (DEMO_FILES / "example.pdf").read_bytes()
PPTX = (DEMO_FILES / "sld-slides.pptx").read_bytes()
PNG = (DEMO_FILES / "hopper.png").read_bytes()
EXE = b"MZ\x90\x00\x03\x00\x00\x00" + bytes(2000)  # a Windows program
HTML = b"<!doctype html><html><body><script>alert(1)</script></body></html>"
HEADERS = (*CASE_HEADERS, "Documents")


def zip_of(entries: dict[str, bytes]) -> bytes:
    packed = io.BytesIO()
    with zipfile.ZipFile(packed, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in entries.items():
            archive.writestr(name, content)
    return packed.getvalue()


def stored_files(settings) -> list[Path]:
    """The documents' files in storage (not their thumbnails, nor the imports' sheets)."""
    root = Path(settings.MEDIA_ROOT) / "documents"
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def kept_for_import(settings) -> list[Path]:
    """The sheets and ZIPs kept for imports that have not ended."""
    root = Path(settings.MEDIA_ROOT) / "imports"
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def rows_naming(organizations, *cells: str) -> list[list]:
    rows = case_rows(len(cells), organizations)
    for row, cell in zip(rows, cells, strict=True):
        row.append(cell)
    return rows


def titles_of_documents(case: CaseStudy) -> dict[str, str]:
    return {d.original_filename or d.external_url: d.media_type for d in case.documents.all()}


@pytest.fixture
def signed_in(client, editor):
    client.force_login(editor)
    return client


def upload(client, rows, files: bytes | None = None, **fields):
    return upload_sheet(client, sheet(HEADERS, rows, "csv"), "cases.csv", files=files, **fields)


FILES = {
    "example.pdf": PDF,
    "slides/sld-slides.pptx": PPTX,
    "images/hopper.png": PNG,
}


def test_an_editor_imports_cases_with_files_from_a_zip(signed_in, organizations, settings):
    rows = rows_naming(
        organizations,
        "example.pdf; slides/sld-slides.pptx",
        "hopper.png; https://example.org/report",
    )

    response = upload(signed_in, rows, zip_of(FILES))

    assert response.status_code == 200
    assert response.context["job"].confirmable
    page = response.content.decode()
    assert "2 rows: 2 created, 0 updated, 0 skipped, 0 refused. Dry run: nothing was saved." in (
        page
    )
    assert "<dt>Files</dt><dd>files.zip</dd>" in page
    # The dry run stored no document and no file; the sheet and the ZIP wait for the import.
    assert not CaseStudy.objects.exists() and not Document.objects.exists()
    assert stored_files(settings) == []
    assert len(kept_for_import(settings)) == 2

    response = confirm(signed_in, response)

    assert response.context["job"].status == ImportJob.Status.IMPORTED
    first = CaseStudy.objects.get(title__startswith="Imported practice 0000")
    second = CaseStudy.objects.get(title__startswith="Imported practice 0001")
    assert titles_of_documents(first) == {
        "example.pdf": "application/pdf",
        "sld-slides.pptx": Document.objects.get(original_filename="sld-slides.pptx").media_type,
    }
    assert titles_of_documents(second) == {
        "hopper.png": "image/png",
        "https://example.org/report": "",
    }
    assert first.documents.get(original_filename="sld-slides.pptx").kind == "presentation"
    pdf = first.documents.get(original_filename="example.pdf")
    assert pdf.file.read() == PDF
    assert len(stored_files(settings)) == 3
    assert kept_for_import(settings) == []  # removed after the import


def test_a_missing_or_refused_file_refuses_its_row_and_nothing_is_kept(
    signed_in, organizations, settings
):
    rows = rows_naming(
        organizations,
        "example.pdf",
        "minutes.pdf",
        "setup.pdf",
        "page.html",
    )
    files = {**FILES, "setup.pdf": EXE, "page.html": HTML}

    response = upload(signed_in, rows, zip_of(files))

    assert response.status_code == 200
    job = response.context["job"]
    assert not job.confirmable
    assert "4 rows: 1 created, 0 updated, 0 skipped, 3 refused." in response.content.decode()
    refused = {row["line"]: row["text"] for row in response.context["refused_rows"]}
    assert sorted(refused) == [3, 4, 5]
    reasons = " ".join(refused.values())
    assert 'Column "documents": no file "minutes.pdf" in files.zip.' in reasons
    assert 'Column "documents": "setup.pdf": This file type is not accepted.' in reasons
    assert 'Column "documents": "page.html": This file type is not accepted.' in reasons
    assert not CaseStudy.objects.exists() and not Document.objects.exists()
    assert stored_files(settings) == []
    # Kept a day for a check with values mapped; then the import expires and they go.
    assert len(kept_for_import(settings)) == 2
    ImportJob.objects.filter(pk=job.pk).update(checked_at=job.checked_at - KEPT_FOR)
    assert jobs.expire_jobs() == 1
    assert kept_for_import(settings) == []
    assert ImportJob.objects.get(pk=job.pk).status == ImportJob.Status.EXPIRED


def test_an_import_that_is_refused_keeps_no_file(signed_in, organizations, settings):
    """The kept ZIP changed between the dry run and the import: the import refuses the row
    whose file is refused now, rolls back, and removes the file it had stored for the row
    before."""
    rows = rows_naming(organizations, "example.pdf", "hopper.png")
    response = upload(signed_in, rows, zip_of(FILES))
    job = response.context["job"]
    assert job.confirmable
    Path(job.files.path).write_bytes(zip_of({"example.pdf": PDF, "hopper.png": HTML}))

    response = confirm(signed_in, response)

    job = response.context["job"]
    assert job.status == ImportJob.Status.NOT_IMPORTED
    page = response.content.decode()
    assert "2 rows: 1 created, 0 updated, 0 skipped, 1 refused. Nothing was saved." in page
    assert "&quot;hopper.png&quot;: This file type is not accepted." in page
    assert not CaseStudy.objects.exists() and not Document.objects.exists()
    assert stored_files(settings) == []
    assert kept_for_import(settings) == []


def test_the_case_import_asks_for_files_and_the_others_do_not(signed_in):
    assert "Files (ZIP)" in signed_in.get(IMPORT_URL).content.decode()
    other = signed_in.get(reverse("admin:countries_organization_import")).content.decode()
    assert "Files (ZIP)" not in other


def test_a_zip_with_a_path_out_of_it_is_refused(signed_in, organizations, settings):
    rows = rows_naming(organizations, "evil.pdf")

    response = upload(signed_in, rows, zip_of({"../evil.pdf": PDF}))

    assert response.status_code == 200
    assert "files.zip holds &quot;../evil.pdf&quot;, a path outside the ZIP" in (
        response.content.decode()
    )
    assert not ImportJob.objects.exists()
    assert not CaseStudy.objects.exists()
    assert kept_for_import(settings) == []


@pytest.mark.parametrize("name", ["/etc/evil.pdf", "docs/../../evil.pdf", "C:\\evil.pdf"])
def test_absolute_and_climbing_paths_refuse_the_whole_zip(tmp_path, name):
    archive = tmp_path / "files.zip"
    archive.write_bytes(zip_of({"example.pdf": PDF, name: PDF}))

    with pytest.raises(import_files.FilesRefused, match="a path outside the ZIP"):
        import_files.open_bundle(archive)


def test_a_zip_that_unpacks_to_too_much_is_not_read(tmp_path, settings):
    settings.PAKS_MAX_UPLOAD_BYTES = 10_000  # 200,000 bytes in all
    archive = tmp_path / "bomb.zip"
    archive.write_bytes(zip_of({f"zeros-{n}.pdf": bytes(60_000) for n in range(4)}))
    assert archive.stat().st_size < 2_000

    with pytest.raises(import_files.FilesRefused, match=r"bomb\.zip unpacks to 0 MB, more than"):
        import_files.open_bundle(archive)


def test_a_file_above_the_upload_limit_is_refused_unread(tmp_path, settings):
    settings.PAKS_MAX_UPLOAD_BYTES = 10_000
    archive = tmp_path / "files.zip"
    archive.write_bytes(zip_of({"big.pdf": b"%PDF-" + bytes(20_000)}))
    bundle = import_files.open_bundle(archive)

    with pytest.raises(import_files.DocumentRejected, match="larger than"), bundle.open("big.pdf"):
        pass


def test_a_zip_with_too_many_entries_is_not_read(tmp_path, monkeypatch):
    monkeypatch.setattr(import_files, "MAX_ENTRIES", 3)
    archive = tmp_path / "files.zip"
    archive.write_bytes(zip_of({f"{n}.pdf": PDF for n in range(4)}))

    with pytest.raises(import_files.FilesRefused, match="holds 4 entries; at most 3"):
        import_files.open_bundle(archive)


def test_a_base_name_two_folders_share_is_ambiguous_and_a_path_is_not(tmp_path):
    archive = tmp_path / "files.zip"
    archive.write_bytes(zip_of({"a/example.pdf": PDF, "b/example.pdf": PDF, "c/x.png": PNG}))
    bundle = import_files.open_bundle(archive)

    with pytest.raises(import_files.Unmatched, match=r"names several files in files.zip \(a/"):
        bundle.find("example.pdf")
    assert bundle.find("b/example.pdf").path == "b/example.pdf"
    assert bundle.find("x.png").path == "c/x.png"
    with pytest.raises(import_files.Unmatched, match=r'no file "d/x\.png"'):
        bundle.find("d/x.png")


def run(*args: str) -> str:
    out = StringIO()
    call_command("import_data", *args, stdout=out)
    return out.getvalue()


def test_the_command_imports_files_from_a_zip_and_again_skips_them(
    tmp_path, editor, organizations, settings
):
    rows = rows_naming(organizations, "example.pdf; sld-slides.pptx", "images/hopper.png")
    path = write(tmp_path, "cases.csv", HEADERS, rows)
    archive = tmp_path / "files.zip"
    archive.write_bytes(zip_of(FILES))

    dry = run("cases", str(path), "--files", str(archive), "--dry-run", "--as", editor.email)
    assert "2 rows: 2 created, 0 updated, 0 skipped, 0 refused. Dry run" in dry
    assert stored_files(settings) == []

    report = run("cases", str(path), "--files", str(archive), "--as", editor.email)

    assert "2 rows: 2 created, 0 updated, 0 skipped, 0 refused." in report
    first = CaseStudy.objects.get(title__startswith="Imported practice 0000")
    second = CaseStudy.objects.get(title__startswith="Imported practice 0001")
    assert set(titles_of_documents(first)) == {"example.pdf", "sld-slides.pptx"}
    assert set(titles_of_documents(second)) == {"hopper.png"}
    assert len(stored_files(settings)) == 3

    # The same files again, by slug: nothing to change.
    slugs = [first.slug, second.slug]
    again = write(
        tmp_path,
        "again.csv",
        ("Slug", *HEADERS),
        [[s, *r] for s, r in zip(slugs, rows, strict=True)],
    )
    report = run("cases", str(again), "--files", str(archive), "--as", editor.email)
    assert "2 rows: 0 created, 0 updated, 2 skipped, 0 refused." in report
    assert Document.objects.count() == 3


def test_the_command_reads_files_from_a_folder(tmp_path, editor, organizations):
    folder = tmp_path / "files"
    (folder / "slides").mkdir(parents=True)
    (folder / "example.pdf").write_bytes(PDF)
    (folder / "slides" / "sld-slides.pptx").write_bytes(PPTX)
    rows = rows_naming(organizations, "example.pdf; slides/sld-slides.pptx")
    path = write(tmp_path, "cases.csv", HEADERS, rows)

    run("cases", str(path), "--files", str(folder), "--as", editor.email)

    case = CaseStudy.objects.get()
    assert set(titles_of_documents(case)) == {"example.pdf", "sld-slides.pptx"}


def test_a_refused_row_in_the_command_removes_the_files_already_stored(
    tmp_path, editor, organizations, settings, monkeypatch
):
    stored: list[Path] = []

    def accept_and_note(**kwargs):
        document = accept_document(**kwargs)
        stored.append(Path(document.file.path))
        return document

    monkeypatch.setattr(resources, "accept_document", accept_and_note)
    rows = rows_naming(organizations, "example.pdf", "hopper.png", "minutes.pdf")
    path = write(tmp_path, "cases.csv", HEADERS, rows)
    archive = tmp_path / "files.zip"
    archive.write_bytes(zip_of(FILES))
    out = StringIO()

    with pytest.raises(CommandError, match="nothing was saved"):
        call_command(
            "import_data",
            "cases",
            str(path),
            "--files",
            str(archive),
            "--as",
            editor.email,
            stdout=out,
        )

    assert 'line 4: refused: Column "documents": no file "minutes.pdf" in files.zip.' in (
        out.getvalue()
    )
    assert not CaseStudy.objects.exists() and not Document.objects.exists()
    # The first two rows' files were stored, then removed with the rows.
    assert [p.name.rsplit(".", 1)[1] for p in stored] == ["pdf", "png"]
    assert stored_files(settings) == []


def test_the_command_refuses_a_zip_with_a_path_out_of_it(tmp_path, editor, organizations):
    path = write(tmp_path, "cases.csv", HEADERS, rows_naming(organizations, "evil.pdf"))
    archive = tmp_path / "files.zip"
    archive.write_bytes(zip_of({"../evil.pdf": PDF}))

    with pytest.raises(CommandError, match=r'holds "\.\./evil\.pdf", a path outside the ZIP'):
        run("cases", str(path), "--files", str(archive), "--as", editor.email)

    assert not CaseStudy.objects.exists()


def test_a_file_name_without_files_refuses_its_row(tmp_path, editor, organizations):
    path = write(tmp_path, "cases.csv", HEADERS, rows_naming(organizations, "example.pdf"))
    out = StringIO()

    with pytest.raises(CommandError):
        call_command("import_data", "cases", str(path), "--as", editor.email, stdout=out)

    assert '"example.pdf" is no web address (http:// or https://), and no files came' in (
        out.getvalue()
    )


def test_a_damaged_entry_is_refused_with_its_reason(tmp_path):
    packed = io.BytesIO()
    with zipfile.ZipFile(packed, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr("example.pdf", PDF)
    damaged = bytearray(packed.getvalue())
    damaged[damaged.index(PDF[:64]) + 5000] ^= 0xFF  # the content no longer matches its CRC
    path = tmp_path / "files.zip"
    path.write_bytes(bytes(damaged))
    bundle = import_files.open_bundle(path)

    with pytest.raises(import_files.DocumentRejected, match=r"cannot be read from files\.zip"):
        bundle.digest("example.pdf")
