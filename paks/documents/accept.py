"""Accept an uploaded file: validate it by content, store it under a server-made name, record it."""

from __future__ import annotations

import hashlib
import zipfile

from django.conf import settings
from django.core.files import File
from django.db import IntegrityError, transaction

from accounts.models import User
from events.models import Event
from paks.models import CaseStudy, Document

PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ALLOWED = {
    "application/pdf": "pdf",
    PPTX: "pptx",
    DOCX: "docx",
    XLSX: "xlsx",
    "image/png": "png",
    "image/jpeg": "jpg",
    "image/webp": "webp",
    "image/gif": "gif",
}
ALLOWED_NAMES = "PDF, PPTX, DOCX, XLSX, PNG, JPEG, WebP or GIF"
OFFICE_MAIN_PARTS = {
    "ppt/presentation.xml": PPTX,
    "word/document.xml": DOCX,
    "xl/workbook.xml": XLSX,
}


class DocumentRejected(Exception):
    """An upload that is not accepted; `message` is for the uploader, `code` for machines."""

    def __init__(self, message: str, *, code: str = "invalid", field: str = "file") -> None:
        super().__init__(message)
        self.message, self.code, self.field = message, code, field


def max_upload_bytes() -> int:
    return int(getattr(settings, "PAKS_MAX_UPLOAD_BYTES", 50 * 1024 * 1024))


def detect_media_type(upload: File) -> str | None:
    """The media type the content shows, from its first bytes and, for Office files, its parts."""
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return "image/gif"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(upload) as package:
                names = set(package.namelist())
        except zipfile.BadZipFile:
            return None
        finally:
            upload.seek(0)
        if "[Content_Types].xml" in names:
            for part, media_type in OFFICE_MAIN_PARTS.items():
                if part in names:
                    return media_type
    return None


def sha256_of(upload: File) -> str:
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()


def accept_document(
    *,
    upload: File,
    title: str = "",
    kind: str = Document.Kind.PRESENTATION,
    case: CaseStudy | None = None,
    event: Event | None = None,
    uploaded_by: User | None = None,
) -> Document:
    """Validate and store an upload; raise DocumentRejected and store nothing when it is refused."""
    if case is None and event is None:
        raise DocumentRejected(
            "A document belongs to a case or an event.", code="no_owner", field="case"
        )
    name = upload.name or "upload"
    if upload.size == 0:
        raise DocumentRejected("The file is empty.", code="empty")
    if upload.size > max_upload_bytes():
        limit_mb = max_upload_bytes() // (1024 * 1024)
        raise DocumentRejected(f"The file is larger than {limit_mb} MB.", code="too_large")
    media_type = detect_media_type(upload)
    if media_type is None:
        raise DocumentRejected(
            f"This file type is not accepted. Upload a {ALLOWED_NAMES} file.",
            code="unsupported_type",
        )
    digest = sha256_of(upload)
    if case is not None and case.documents.filter(sha256=digest).exists():
        raise DocumentRejected("This file is already attached to the case.", code="duplicate")

    document = Document(
        case=case,
        event=event,
        title=title.strip() or name.rsplit("/", 1)[-1][:300],
        kind=kind,
        original_filename=name.rsplit("/", 1)[-1][:255],
        media_type=media_type,
        size=upload.size,
        sha256=digest,
        uploaded_by=uploaded_by,
    )
    try:
        with transaction.atomic():
            document.file.save(f"upload.{ALLOWED[media_type]}", upload, save=False)
            document.save()
    except IntegrityError as exc:
        # The row did not commit, so its file must not stay behind.
        if document.file.name:
            document.file.storage.delete(document.file.name)
        raise DocumentRejected(
            "This file is already attached to the case.", code="duplicate"
        ) from exc
    return document
