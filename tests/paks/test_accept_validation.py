"""Uploads are judged by content: mismatched names, encrypted files, bombs and DTDs refused."""

import io
import zipfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from pypdf import PdfWriter

from paks.documents.accept import DocumentRejected, accept_document
from paks.models import Document
from tests.factories import CaseStudyFactory, EditorFactory

pytestmark = pytest.mark.django_db
SAMPLES = Path(__file__).resolve().parents[2] / "paks" / "demo_files"


def refused(upload, code):
    case = CaseStudyFactory()
    with pytest.raises(DocumentRejected) as error:
        accept_document(upload=upload, case=case, uploaded_by=EditorFactory())
    assert error.value.code == code
    assert error.value.message
    assert not Document.objects.exists()
    return error.value.message


def package(parts):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        for name, data in parts.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def test_a_pdf_named_like_a_word_file_is_refused():
    pdf = (SAMPLES / "example.pdf").read_bytes()
    message = refused(SimpleUploadedFile("report.docx", pdf), "name_mismatch")
    assert ".docx" in message and "PDF" in message


def test_an_encrypted_pdf_is_refused_with_a_message_that_says_so():
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    writer.encrypt("secret")
    buffer = io.BytesIO()
    writer.write(buffer)
    message = refused(SimpleUploadedFile("locked.pdf", buffer.getvalue()), "encrypted")
    assert "password" in message


@pytest.mark.parametrize(
    "name",
    [
        "encrypted-rc4.pdf",
        "encrypted-aes128.pdf",
        "encrypted-aes256-r6.pdf",
        "encrypted-aes256-attachment.pdf",
        "encrypted-aes256-password.pdf",
    ],
)
def test_pdfs_encrypted_every_way_are_refused_as_encrypted(name):
    data = (Path(__file__).parent / "files" / name).read_bytes()
    assert "password" in refused(SimpleUploadedFile(name, data), "encrypted")


def test_a_pdf_that_breaks_the_reader_is_refused_as_damaged():
    broken = b"%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 2 0 R >>\ntrailer << /Root 1 0 R"
    refused(SimpleUploadedFile("broken.pdf", broken + b" /Size 99999999999 >>"), "damaged")


def test_an_office_package_that_unpacks_to_far_more_than_its_size_is_refused():
    bomb = package({"word/document.xml": b"<w/>" + b" " * 20_000_000})
    assert len(bomb) < 100_000
    refused(SimpleUploadedFile("bomb.docx", bomb), "package_limits")


def test_an_office_part_with_a_dtd_is_refused():
    xml = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>'
    refused(SimpleUploadedFile("entities.docx", package({"word/document.xml": xml})), "package_dtd")


def test_password_protected_and_old_office_files_are_refused():
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512
    message = refused(SimpleUploadedFile("protected.docx", ole), "unsupported_type")
    assert "Password-protected" in message


def test_an_image_with_too_many_pixels_is_refused(monkeypatch):
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 100)
    buffer = io.BytesIO()
    Image.new("RGB", (50, 50)).save(buffer, "PNG")
    refused(SimpleUploadedFile("big.png", buffer.getvalue()), "too_many_pixels")


def test_a_damaged_image_is_refused():
    refused(SimpleUploadedFile("broken.png", b"\x89PNG\r\n\x1a\n" + b"junk" * 10), "damaged")


def test_real_documents_are_accepted():
    case = CaseStudyFactory()
    for name in ("example.pdf", "hopper.png", "sld-slides.pptx"):
        upload = SimpleUploadedFile(name, (SAMPLES / name).read_bytes())
        assert accept_document(upload=upload, case=case, uploaded_by=EditorFactory()).pk
    assert Document.objects.count() == 3
