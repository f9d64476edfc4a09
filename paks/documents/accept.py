"""Accept an uploaded file: validate it by content, store it under a server-made name, record it."""

from __future__ import annotations

import hashlib
import warnings
import zipfile

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from PIL import Image
from pypdf import PdfReader
from pypdf.errors import DependencyError

from accounts.models import User
from events.models import Event
from paks import roles
from paks.documents.processing import queue_processing
from paks.models import CaseStudy, Contribution, Document

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
# Translators: the file types an upload may have.
ALLOWED_NAMES = gettext_lazy("PDF, PPTX, DOCX, XLSX, PNG, JPEG, WebP or GIF")
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


def detect_media_type(upload: File[bytes]) -> str | None:
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


# What an Office package may hold before it is opened: more suggests a zip bomb.
MAX_PACKAGE_ENTRIES = 5000
MAX_PACKAGE_UNCOMPRESSED = 500 * 1024 * 1024
MAX_COMPRESSION_RATIO = 200
# The names people give each type; a file whose name says another type is refused.
EXTENSIONS = {
    "application/pdf": {"pdf"},
    PPTX: {"pptx"},
    DOCX: {"docx"},
    XLSX: {"xlsx"},
    "image/png": {"png"},
    "image/jpeg": {"jpg", "jpeg"},
    "image/webp": {"webp"},
    "image/gif": {"gif"},
}
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def check_name(name: str, media_type: str) -> None:
    suffix = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if suffix and suffix not in EXTENSIONS[media_type]:
        label = Document.TYPE_LABELS.get(media_type, media_type)
        raise DocumentRejected(
            # Translators: %(suffix)s is the file name's extension, %(type)s a file type such
            # as "PDF" or "PNG image".
            _(
                "The file's name ends in .%(suffix)s, but its content is a %(type)s file. "
                "Rename it or upload the file you meant."
            )
            % {"suffix": suffix[:10], "type": label},
            code="name_mismatch",
        )


def check_package(upload: File[bytes]) -> None:
    """Limits checked on the zip directory before any part is read; no DTDs in XML parts."""
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as package:
            entries = package.infolist()
            if len(entries) > MAX_PACKAGE_ENTRIES:
                raise DocumentRejected(
                    _("The Office file has too many parts to be a document."), code="package_limits"
                )
            total = sum(entry.file_size for entry in entries)
            packed = sum(entry.compress_size for entry in entries) or 1
            if total > MAX_PACKAGE_UNCOMPRESSED or total / packed > MAX_COMPRESSION_RATIO:
                raise DocumentRejected(
                    _("The Office file unpacks to far more than its size; it is not accepted."),
                    code="package_limits",
                )
            for entry in entries:
                if entry.filename.endswith((".xml", ".rels")):
                    with package.open(entry) as part:
                        head = part.read(4096)
                    if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
                        raise DocumentRejected(
                            _(
                                "The Office file declares XML entities or a DTD, which "
                                "documents do not need; it is not accepted."
                            ),
                            code="package_dtd",
                        )
    except zipfile.BadZipFile:
        raise DocumentRejected(_("The Office file is damaged."), code="damaged") from None
    finally:
        upload.seek(0)


def check_pdf(upload: File[bytes]) -> None:
    upload.seek(0)
    try:
        reader = PdfReader(upload)
        encrypted = reader.is_encrypted
    except DependencyError:
        # pypdf reads AES encryption only with a library the portal does not need: only
        # encrypted files ask for it.
        encrypted = True
    except Exception:  # hostile input raises many kinds of error; none may become a 500
        raise DocumentRejected(_("The PDF file is damaged."), code="damaged") from None
    finally:
        upload.seek(0)
    if encrypted:
        raise DocumentRejected(
            _(
                "The PDF is encrypted or password-protected. Save it without a password and "
                "upload it again."
            ),
            code="encrypted",
        )


def check_image(upload: File[bytes]) -> None:
    upload.seek(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(upload) as image:
                image.verify()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise DocumentRejected(
            _("The image has too many pixels to be shown safely."), code="too_many_pixels"
        ) from None
    except (OSError, SyntaxError, ValueError):
        raise DocumentRejected(_("The image file is damaged."), code="damaged") from None
    finally:
        upload.seek(0)


def check_content(upload: File[bytes], media_type: str) -> None:
    if media_type == "application/pdf":
        check_pdf(upload)
    elif media_type in OFFICE_MAIN_PARTS.values():
        check_package(upload)
    else:
        check_image(upload)


def sha256_of(upload: File[bytes]) -> str:
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()


def _check_open(case: CaseStudy, user: User) -> None:
    """The case, locked, may take documents from this user."""
    locked = CaseStudy.objects.select_for_update().get(pk=case.pk)
    if roles.may_edit(user, locked):
        return
    if roles.works_on(user, locked):
        raise DocumentRejected(
            # Translators: %(status)s is the case's status in lower case, e.g. "published".
            _("Documents cannot be added to a case that is %(status)s.")
            % {"status": locked.get_status_display().lower()},
            code="invalid_status",
            field="case",
        )
    raise DocumentRejected(
        _("Only the country's focal points and editors may add documents to this case."),
        code="forbidden",
        field="case",
    )


def _check_contribution_open(contribution: Contribution, user: User) -> None:
    """The contribution, locked, may take documents from this user."""
    locked = Contribution.objects.select_for_update().get(pk=contribution.pk)
    if roles.may_edit_contribution(user, locked):
        return
    if roles.works_on_contribution(user, locked):
        raise DocumentRejected(
            # Translators: %(status)s is the contribution's status in lower case.
            _("Documents cannot be added to a contribution that is %(status)s.")
            % {"status": locked.get_status_display().lower()},
            code="invalid_status",
            field="contribution",
        )
    raise DocumentRejected(
        _("Only the country's focal points and editors may add documents to this contribution."),
        code="forbidden",
        field="contribution",
    )


def check_upload(upload: File[bytes]) -> str:
    """Everything checked of a file itself (size, type by content, name against content,
    the type's own checks); its media type. A dry run calls this alone and stores nothing."""
    if upload.size == 0:
        raise DocumentRejected(_("The file is empty."), code="empty")
    if upload.size > max_upload_bytes():
        limit_mb = max_upload_bytes() // (1024 * 1024)
        raise DocumentRejected(
            _("The file is larger than %(limit)s MB.") % {"limit": limit_mb}, code="too_large"
        )
    media_type = detect_media_type(upload)
    if media_type is None:
        upload.seek(0)
        if upload.read(8) == OLE_MAGIC:
            raise DocumentRejected(
                # Translators: %(types)s lists the file types accepted.
                _(
                    "Password-protected Office files and old Office formats (.doc, .ppt, .xls) "
                    "are not accepted. Upload a %(types)s file."
                )
                % {"types": ALLOWED_NAMES},
                code="unsupported_type",
            )
        raise DocumentRejected(
            _("This file type is not accepted. Upload a %(types)s file.")
            % {"types": ALLOWED_NAMES},
            code="unsupported_type",
        )
    check_name((upload.name or "upload").rsplit("/", 1)[-1], media_type)
    check_content(upload, media_type)
    return media_type


def accept_document(
    *,
    upload: File[bytes],
    title: str = "",
    kind: str = Document.Kind.PRESENTATION,
    case: CaseStudy | None = None,
    event: Event | None = None,
    contribution: Contribution | None = None,
    uploaded_by: User,
) -> Document:
    """Validate and store an upload; raise DocumentRejected and store nothing when it is refused.

    Every surface uploads through here: whether the uploader may add to the case is checked
    here, with the case locked until the document is stored, so that no submit slips in.
    """
    if contribution is not None:  # its slides or paper: of its event, of no case
        case, event = None, contribution.event
    if case is None and event is None:
        raise DocumentRejected(
            _("A document belongs to a case or an event."), code="no_owner", field="case"
        )
    name = upload.name or "upload"
    media_type = check_upload(upload)
    digest = sha256_of(upload)
    if case is not None and case.documents.filter(sha256=digest).exists():
        raise DocumentRejected(_("This file is already attached to the case."), code="duplicate")
    if contribution is not None and contribution.documents.filter(sha256=digest).exists():
        raise DocumentRejected(
            _("This file is already attached to the contribution."), code="duplicate"
        )

    document = Document(
        case=case,
        event=event,
        contribution=contribution,
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
            if case is not None:
                _check_open(case, uploaded_by)
            if contribution is not None:
                _check_contribution_open(contribution, uploaded_by)
            document.file.save(f"upload.{ALLOWED[media_type]}", upload, save=False)
            document.save()
    except BaseException as exc:
        # The row did not commit (a duplicate, a busy database ...): its file must not stay.
        if document.file.name:
            document.file.storage.delete(document.file.name)
        if isinstance(exc, IntegrityError):
            raise DocumentRejected(
                _("This file is already attached to the case."), code="duplicate"
            ) from exc
        raise
    queue_processing(document)
    return document


# Addresses a link may have; anything else (javascript:, file:) is refused.
LINK_SCHEMES = ["http", "https"]


@transaction.atomic
def accept_link(
    *,
    url: str,
    case: CaseStudy,
    uploaded_by: User,
    title: str = "",
    kind: str = Document.Kind.OTHER,
) -> Document:
    """Record a document hosted elsewhere (a report on another site, a video): there is no
    file to check or process, only its address. The same rule as for files says who may add
    it to the case."""
    url = url.strip()
    try:
        URLValidator(schemes=LINK_SCHEMES)(url)
    except ValidationError:
        raise DocumentRejected(
            _("%(url)s is not a web address (http:// or https://).") % {"url": repr(url)},
            code="invalid_url",
            field="external_url",
        ) from None
    _check_open(case, uploaded_by)
    if case.documents.filter(external_url=url).exists():
        raise DocumentRejected(
            _("%(url)s is already attached to the case.") % {"url": url}, code="duplicate"
        )
    document = Document(
        case=case,
        title=title.strip() or url[:300],
        kind=kind,
        external_url=url,
        state=Document.State.READY,
        processed_at=timezone.now(),
        uploaded_by=uploaded_by,
    )
    document.full_clean(exclude=["file", "thumbnail"])
    document.save()
    return document
