"""Accepted documents are processed in the background: text by page, page count, thumbnail.

The reading runs in a real child process under the configured limits; the task runs through
the configured Tasks backend (the immediate one here, the database and RQ ones further down).
"""

import io
import struct
import zipfile
import zlib
from pathlib import Path

import docx
import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse
from django_tasks_db.models import DBTaskResult
from PIL import Image
from pptx import Presentation
from pptx.util import Inches

from paks.documents.accept import accept_document
from paks.documents.processing import process
from paks.models import Document
from tests.factories import CaseStudyFactory, DocumentFactory, EditorFactory, UserFactory

pytestmark = pytest.mark.django_db
SAMPLES = Path(__file__).resolve().parents[2] / "paks" / "demo_files"
PPTX_TYPE = "application/vnd.openxmlformats-officedocument.presentationml.presentation"

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def immediate(settings):
    settings.TASKS = IMMEDIATE


def upload(name, data, case=None, **kwargs):
    kwargs.setdefault("uploaded_by", EditorFactory())
    return accept_document(
        upload=SimpleUploadedFile(name, data), case=case or CaseStudyFactory(), **kwargs
    )


def accepted_and_processed(django_capture_on_commit_callbacks, name, data, case=None):
    with django_capture_on_commit_callbacks(execute=True):
        document = upload(name, data, case)
    document.refresh_from_db()
    return document


def pptx_bytes(slides):
    presentation = Presentation()
    for text in slides:
        slide = presentation.slides.add_slide(presentation.slide_layouts[5])
        slide.shapes.title.text = text
    buffer = io.BytesIO()
    presentation.save(buffer)
    return buffer.getvalue()


def thumbnail_of(document):
    with document.thumbnail.open("rb") as stored:
        image = Image.open(io.BytesIO(stored.read()))
        image.load()
    return image


def test_a_pdf_gets_its_text_by_page_its_page_count_and_a_thumbnail(
    immediate, django_capture_on_commit_callbacks
):
    document = accepted_and_processed(
        django_capture_on_commit_callbacks, "example.pdf", (SAMPLES / "example.pdf").read_bytes()
    )
    assert document.state == Document.State.READY
    assert document.error == ""
    assert document.page_count == 1
    assert "Beautiful is better than ugly" in document.extracted_text
    assert document.processed_at is not None
    thumbnail = thumbnail_of(document)
    assert thumbnail.format == "JPEG"
    assert thumbnail.width <= 320
    assert document.thumbnail.name.endswith(".jpg")


def test_ligatures_of_typeset_pdfs_become_plain_letters(
    immediate, django_capture_on_commit_callbacks
):
    document = accepted_and_processed(
        django_capture_on_commit_callbacks,
        "crazyones.pdf",
        (SAMPLES / "crazyones.pdf").read_bytes(),
    )
    assert "see things differently" in document.extracted_text
    assert "\ufb00" not in document.extracted_text


def test_slides_keep_their_numbers(immediate, django_capture_on_commit_callbacks):
    data = pptx_bytes(["Opening", "Digital land records", "Citizen portal"])
    document = accepted_and_processed(django_capture_on_commit_callbacks, "deck.pptx", data)
    assert document.state == Document.State.READY
    assert document.page_count == 3
    assert document.extracted_text.split("\f") == [
        "Opening",
        "Digital land records",
        "Citizen portal",
    ]
    assert document.page_unit == "slide"


def test_a_presentation_thumbnail_is_its_first_picture(
    immediate, django_capture_on_commit_callbacks
):
    presentation = Presentation()
    slide = presentation.slides.add_slide(presentation.slide_layouts[6])
    picture = io.BytesIO()
    Image.new("RGB", (200, 100), "red").save(picture, "PNG")
    picture.seek(0)
    slide.shapes.add_picture(picture, Inches(1), Inches(1))
    saved = io.BytesIO()
    presentation.save(saved)
    # Without the package's own thumbnail (which would come first), as PowerPoint may save it.
    buffer = io.BytesIO()
    with zipfile.ZipFile(saved) as source, zipfile.ZipFile(buffer, "w") as target:
        for item in source.infolist():
            if not item.filename.startswith("docProps/thumbnail"):
                target.writestr(item, source.read(item))
    document = accepted_and_processed(
        django_capture_on_commit_callbacks, "pictures.pptx", buffer.getvalue()
    )
    thumbnail = thumbnail_of(document)
    assert thumbnail.size == (200, 100)
    red, green, blue = thumbnail.getpixel((100, 50))
    assert red > 200 and green < 50 and blue < 50


def test_word_pages_split_at_page_breaks(immediate, django_capture_on_commit_callbacks):
    word = docx.Document()
    word.add_paragraph("Introduction to the one-stop shop")
    word.add_page_break()
    word.add_paragraph("Results in every district")
    buffer = io.BytesIO()
    word.save(buffer)
    document = accepted_and_processed(
        django_capture_on_commit_callbacks, "report.docx", buffer.getvalue()
    )
    assert document.state == Document.State.READY
    assert document.extracted_text.split("\f") == [
        "Introduction to the one-stop shop",
        "Results in every district",
    ]
    assert document.page_count == 2


def test_each_sheet_of_a_workbook_is_a_page(immediate, django_capture_on_commit_callbacks):
    workbook = openpyxl.Workbook()
    workbook.active.title = "Services"
    workbook.active.append(["Service", "Visits"])
    workbook.active.append(["Birth registration", 1200])
    workbook.create_sheet("Districts").append(["Dhaka", "Sylhet"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    document = accepted_and_processed(
        django_capture_on_commit_callbacks, "figures.xlsx", buffer.getvalue()
    )
    assert document.page_count == 2
    first, second = document.extracted_text.split("\f")
    assert "Birth registration 1200" in first
    assert second == "Districts Dhaka Sylhet"
    assert document.page_unit == "sheet"


def test_a_photo_is_turned_upright_and_its_metadata_is_not_kept(
    immediate, django_capture_on_commit_callbacks
):
    photo = Image.new("RGB", (400, 200), "blue")
    exif = Image.Exif()
    exif[0x0112] = 6  # orientation: the camera was turned; show it rotated by 90 degrees
    exif[0x010F] = "Camera maker"
    buffer = io.BytesIO()
    photo.save(buffer, "JPEG", exif=exif.tobytes(), comment=b"taken at home")
    document = accepted_and_processed(
        django_capture_on_commit_callbacks, "photo.jpg", buffer.getvalue()
    )
    assert document.state == Document.State.READY
    assert document.page_count is None
    thumbnail = thumbnail_of(document)
    assert thumbnail.size == (200, 400)  # upright: taller than wide
    assert not thumbnail.getexif()
    assert "comment" not in thumbnail.info
    assert "icc_profile" not in thumbnail.info


def _pdf(content_stream: bytes) -> bytes:
    """A one-page PDF with the given (deflated) content stream and a correct cross-reference."""
    stream = zlib.compress(content_stream, 9)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def test_a_file_that_takes_too_long_is_stopped_and_the_reason_recorded(
    immediate, settings, django_capture_on_commit_callbacks
):
    settings.PAKS_PROCESSING_SECONDS = 1
    # Millions of drawing operations: tiny to upload, long to read.
    slow = _pdf(b"BT /F1 1 Tf (x) Tj ET 0 0 m 1 1 l S\n" * 1_500_000)
    document = accepted_and_processed(django_capture_on_commit_callbacks, "slow.pdf", slow)
    assert document.state == Document.State.FAILED
    assert document.error == "Reading the file took longer than 1 second and was stopped."
    assert document.extracted_text == ""
    assert not document.thumbnail


def _huge_png(width: int, height: int) -> bytes:
    """A blank greyscale PNG that is small on disk and large in memory, built row by row."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        checksum = struct.pack(">I", zlib.crc32(kind + data))
        return struct.pack(">I", len(data)) + kind + data + checksum

    compressor = zlib.compressobj(9)
    row = b"\x00" * (width + 1)
    data = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", data) + chunk(b"IEND", b"")
    )


def test_a_file_that_needs_too_much_memory_is_stopped_and_the_reason_recorded(
    immediate, settings, django_capture_on_commit_callbacks
):
    settings.PAKS_PROCESSING_MEMORY_MB = 100
    big = _huge_png(9000, 9000)  # 81 million pixels: under the bomb limit, over 100 MB to read
    document = accepted_and_processed(django_capture_on_commit_callbacks, "big.png", big)
    assert document.state == Document.State.FAILED
    assert document.error == ("Reading the file needed more than 100 MB of memory and was stopped.")


def test_a_damaged_file_fails_with_a_reason_and_the_site_goes_on(immediate):
    document = DocumentFactory(file__data=b"%PDF-1.4\nnot really a pdf\n")
    assert process(document.pk) == Document.State.FAILED
    document.refresh_from_db()
    assert document.state == Document.State.FAILED
    assert document.error == "The file could not be read; it may be damaged."


def test_a_document_deleted_before_processing_is_skipped():
    document = DocumentFactory()
    document_id = document.pk
    document.delete()
    assert process(document_id) == "gone"


# db_worker checks its connection between tasks, which would end a test's transaction:
# these tests commit for real instead.
@pytest.mark.django_db(transaction=True)
def test_processing_waits_for_the_row_to_commit_and_goes_through_the_database_queue():
    with transaction.atomic():
        document = upload("example.pdf", (SAMPLES / "example.pdf").read_bytes())
        assert not DBTaskResult.objects.exists()  # nothing queued for a row not yet committed
    task = DBTaskResult.objects.get()
    assert task.args_kwargs["args"] == [document.pk]
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    document.refresh_from_db()
    assert document.state == Document.State.READY
    assert document.page_count == 1


def test_the_rq_backend_processes_documents_through_redis(
    settings, django_capture_on_commit_callbacks
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend"}}
    settings.RQ_QUEUES = {"default": {"URL": "redis://127.0.0.1:6379/14", "DEFAULT_TIMEOUT": 60}}
    import django_rq

    queue = django_rq.get_queue("default")
    queue.empty()
    with django_capture_on_commit_callbacks(execute=True):
        document = upload("example.pdf", (SAMPLES / "example.pdf").read_bytes())
    assert queue.count == 1
    # The worker `manage.py rqworker default --job-class django_tasks_rq.Job` runs, as a
    # SimpleWorker: it runs jobs in this process, so it sees this test's transaction.
    worker = django_rq.get_worker(
        "default", job_class="django_tasks_rq.Job", worker_class="rq.worker.SimpleWorker"
    )
    assert worker.work(burst=True)
    document.refresh_from_db()
    assert document.state == Document.State.READY
    assert queue.count == 0


def test_text_arriving_later_makes_a_published_case_findable_by_it(
    immediate, client, django_capture_on_commit_callbacks
):
    case = CaseStudyFactory(published=True, title="Land records")
    search = reverse("paks:case-list")
    assert "Land records" not in client.get(search, {"q": "placeholder"}).content.decode()
    data = pptx_bytes(["Opening", "A placeholder slide about kiosks"])
    accepted_and_processed(django_capture_on_commit_callbacks, "deck.pptx", data, case=case)
    html = client.get(search, {"q": "placeholder"}).content.decode()
    assert "Land records" in html
    assert "Found on slide 2 of “deck.pptx”" in html
    api = client.get(reverse("api-v1:case-list"), {"q": "placeholder"}).json()
    assert api["results"][0]["document"]["page"] == 2
    assert api["results"][0]["document"]["unit"] == "slide"


@pytest.mark.django_db(transaction=True)
def test_editors_see_failures_in_the_admin_and_process_documents_again(
    client, settings, django_capture_on_commit_callbacks
):
    # A superuser: the Editors group (made by a migration) is gone in a flushed database.
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    document = DocumentFactory(
        file__data=(SAMPLES / "example.pdf").read_bytes(),
        state=Document.State.FAILED,
        error="Reading the file took longer than 60 seconds and was stopped.",
    )
    changelist = reverse("admin:paks_document_changelist")
    html = client.get(changelist, {"state": "failed"}).content.decode()
    assert "Reading the file took longer than 60 seconds" in html

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            changelist,
            {"action": "process_again", "_selected_action": [document.pk]},
            follow=True,
        )
    assert "1 document queued for processing." in response.content.decode()
    document.refresh_from_db()
    assert document.state == Document.State.PENDING
    assert document.error == ""
    assert DBTaskResult.objects.get().args_kwargs["args"] == [document.pk]
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    document.refresh_from_db()
    assert document.state == Document.State.READY


def test_the_failure_reason_reaches_the_owner_through_the_api_but_not_the_public(client, immediate):
    from tests.factories import FocalPointFactory

    document = DocumentFactory(
        case=CaseStudyFactory(published=True),
        state=Document.State.FAILED,
        error="The file could not be read; it may be damaged.",
    )
    url = reverse("api-v1:document-detail", args=[document.pk])
    assert client.get(url).json()["processing_error"] is None
    focal = FocalPointFactory(country=document.case.country).user
    client.force_login(focal)
    assert client.get(url).json()["processing_error"] == document.error


def test_thumbnails_follow_the_documents_visibility(
    client, immediate, django_capture_on_commit_callbacks
):
    draft = CaseStudyFactory()
    document = accepted_and_processed(
        django_capture_on_commit_callbacks,
        "example.pdf",
        (SAMPLES / "example.pdf").read_bytes(),
        case=draft,
    )
    url = reverse("paks:document-thumbnail", args=[document.pk])
    assert client.get(url).status_code == 404
    client.force_login(EditorFactory())
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"
    assert b"".join(response.streaming_content).startswith(b"\xff\xd8")
    assert client.get(url, HTTP_IF_NONE_MATCH=response["ETag"]).status_code == 304


def test_files_in_storage_without_local_paths_are_copied_for_reading(
    immediate, settings, django_capture_on_commit_callbacks, client
):
    # Object storage (S3) has no local path; Django's in-memory storage behaves the same way.
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    }
    case = CaseStudyFactory(published=True)
    document = accepted_and_processed(
        django_capture_on_commit_callbacks,
        "example.pdf",
        (SAMPLES / "example.pdf").read_bytes(),
        case=case,
    )
    assert (document.state, document.error) == (Document.State.READY, "")
    assert document.page_count == 1
    download = client.get(reverse("paks:document-download", args=[document.pk]))
    assert b"".join(download.streaming_content) == (SAMPLES / "example.pdf").read_bytes()
