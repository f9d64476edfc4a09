"""Processing an accepted document in the background: text by page, page count, thumbnail.

`accept_document` queues `process_document` once the document's row commits; the task runs
in the task worker (`manage.py db_worker` in the embedded setup, the RQ worker in
production). The reading itself happens in a child process (`paks/documents/extract.py`)
under a CPU-time, wall-clock and memory limit, so a hostile file fails its own processing,
with a reason its owner and the editors can read, and nothing else.
"""

from __future__ import annotations

import json
import logging
import os
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django_guid import clear_guid, get_guid, set_guid
from django_tasks import task

from paks.documents import extract
from paks.models import Document
from paks.public_cache import public_content_changed
from paks.search.index import reindex_later
from paks.webhooks import DOCUMENT_PROCESSED, emit

logger = logging.getLogger(__name__)

PROCESSED_TYPES = {extract.PDF, extract.PPTX, extract.DOCX, extract.XLSX, *extract.IMAGES}


class ProcessingFailed(Exception):
    """The file could not be processed; the message is for its owner and the editors."""


def time_limit() -> int:
    return int(getattr(settings, "PAKS_PROCESSING_SECONDS", 60))


def memory_limit_mb() -> int:
    return int(getattr(settings, "PAKS_PROCESSING_MEMORY_MB", 768))


def queue_processing(document: Document) -> None:
    """Process the document once the surrounding transaction commits (its row exists then)."""
    if document.file and document.media_type in PROCESSED_TYPES:
        document_id, request_id = document.pk, get_guid()
        transaction.on_commit(lambda: process_document.enqueue(document_id, request_id=request_id))


def _limits(seconds: int, memory_mb: int) -> Callable[[], None]:
    def set_limits() -> None:  # runs in the child, between fork and exec
        memory = memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
        resource.setrlimit(resource.RLIMIT_CPU, (seconds, seconds + 1))
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))

    return set_limits


def read_in_child(path: Path, media_type: str, thumbnail_path: Path) -> dict[str, Any]:
    """Run the extraction in a limited child process and return what it found."""
    seconds, memory_mb = time_limit(), memory_limit_mb()
    unit = "second" if seconds == 1 else "seconds"
    too_slow = f"Reading the file took longer than {seconds} {unit} and was stopped."
    too_big = f"Reading the file needed more than {memory_mb} MB of memory and was stopped."
    command = [sys.executable, "-I", extract.__file__, media_type, str(path), str(thumbnail_path)]
    try:
        finished = subprocess.run(  # our own interpreter and script, no shell
            command,
            capture_output=True,
            timeout=seconds,
            preexec_fn=_limits(seconds, memory_mb),  # the limits apply to the child only
            env={"PATH": os.environ.get("PATH", ""), "LANG": "C.UTF-8"},
            check=False,
        )
    except subprocess.TimeoutExpired as exc:
        raise ProcessingFailed(too_slow) from exc
    if finished.returncode in (-signal.SIGKILL, -signal.SIGXCPU):
        raise ProcessingFailed(too_slow)
    try:
        result: dict[str, Any] = json.loads(finished.stdout)
    except ValueError:
        if b"MemoryError" in finished.stderr:
            raise ProcessingFailed(too_big) from None
        logger.warning("Extraction of %s failed: %s", path, finished.stderr[-2000:])
        raise ProcessingFailed("The file could not be read; it may be damaged.") from None
    if result["ok"]:
        return result
    raise ProcessingFailed(too_big if result["reason"] == "memory" else result["reason"])


@transaction.atomic
def process_again(documents: QuerySet[Document]) -> int:
    """Queue documents for another processing (after a failure, or a newer reader)."""
    ids = list(
        documents.exclude(file="")
        .filter(media_type__in=PROCESSED_TYPES)
        .values_list("pk", flat=True)
    )
    Document.objects.filter(pk__in=ids).update(state=Document.State.PENDING, error="")
    request_id = get_guid()
    for document_id in ids:
        transaction.on_commit(partial(process_document.enqueue, document_id, request_id=request_id))
    return len(ids)


def _local_copy(document: Document, folder: Path) -> Path:
    """A path to the file on this machine: the stored file itself, or a copy from remote storage."""
    storage, name = document.file.storage, document.file.name
    assert name, "`_start` hands over only documents with a file"
    try:
        local = Path(storage.path(name))
    except NotImplementedError:  # object storage: no path on this machine
        local = None
    if local is not None and local.is_file():
        return local
    target = folder / "source"
    with storage.open(name, "rb") as source, target.open("wb") as copy:
        shutil.copyfileobj(source, copy, 1024 * 1024)
    return target


def _start(document_id: int) -> Document | None:
    with transaction.atomic():
        # No ordering: the default one joins the (nullable) case, which cannot be locked.
        document = Document.objects.select_for_update().filter(pk=document_id).order_by().first()
        if document is None or not document.file:
            return None
        document.state = Document.State.PROCESSING
        document.error = ""
        document.save(update_fields=["state", "error"])
    return document


def _finish(document: Document, result: dict[str, Any], thumbnail_path: Path) -> None:
    old_thumbnail = document.thumbnail.name
    document.extracted_text = "\f".join(result["pages"])
    document.page_count = result["page_count"]
    document.state = Document.State.READY
    document.error = ""
    document.processed_at = timezone.now()
    if result["thumbnail"]:
        content = ContentFile(thumbnail_path.read_bytes())
        document.thumbnail.save("thumbnail.jpg", content, save=False)
    try:
        with transaction.atomic():
            # The document may have been deleted meanwhile: then nothing is updated.
            updated = Document.objects.filter(pk=document.pk).update(
                extracted_text=document.extracted_text,
                page_count=document.page_count,
                thumbnail=document.thumbnail.name,
                state=document.state,
                error="",
                processed_at=document.processed_at,
            )
            if not updated:
                raise Document.DoesNotExist
            public_content_changed()
            if document.case_id:
                # The text can now be found; update() sends no signal, so say so here.
                reindex_later([document.case_id])
            emit(DOCUMENT_PROCESSED, document)
    except Exception:
        new_thumbnail = document.thumbnail.name
        if new_thumbnail and new_thumbnail != old_thumbnail:
            document.thumbnail.storage.delete(new_thumbnail)
        raise
    if old_thumbnail and old_thumbnail != document.thumbnail.name:
        document.thumbnail.storage.delete(old_thumbnail)


def _fail(document: Document, reason: str) -> None:
    Document.objects.filter(pk=document.pk).update(
        state=Document.State.FAILED, error=reason, processed_at=timezone.now()
    )
    public_content_changed()


def process(document_id: int) -> str:
    """Process one document now; returns its new state."""
    document = _start(document_id)
    if document is None:
        return "gone"
    with tempfile.TemporaryDirectory(prefix="paks-processing-") as folder:
        thumbnail_path = Path(folder) / "thumbnail.jpg"
        try:
            source = _local_copy(document, Path(folder))
            result = read_in_child(source, document.media_type, thumbnail_path)
        except ProcessingFailed as exc:
            _fail(document, str(exc))
            return Document.State.FAILED
        except OSError as exc:
            logger.exception("The file of document %s could not be read", document.pk)
            _fail(document, f"The stored file could not be read ({exc.strerror or exc}).")
            return Document.State.FAILED
        try:
            _finish(document, result, thumbnail_path)
        except Document.DoesNotExist:
            return "gone"
    return Document.State.READY


@task()
def process_document(document_id: int, request_id: str | None = None) -> str:
    """The worker's side; its log lines carry the id of the request that queued it."""
    if request_id is None:
        clear_guid()  # queued outside a request: no id to carry
    else:
        set_guid(request_id)
    try:
        logger.info("Processing document %s", document_id)
        outcome = process(document_id)
        logger.info("Processed document %s: %s", document_id, outcome)
        return outcome
    finally:
        clear_guid()
