"""Imports the admin starts, run by the task worker: a sheet of any length is checked and
imported without holding a web request open.

`start` stores the sheet (and its ZIP) and queues the dry run; `confirm` queues the import
of a sheet whose dry run refused nothing; `check_again` runs the dry run again with values
mapped. `run_job` does either, through the same resources and in the same transaction as
`manage.py import_data`, and keeps a report the job's page shows. The files are removed once
the job has ended, or a day after a dry run nobody confirmed (`expire_jobs`).
"""

from __future__ import annotations

import dataclasses
import logging
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_tasks import task

from accounts.models import User
from paks import roles
from paks.imports.columns import ColumnMapping, MappingError, parse_mapping
from paks.imports.files import Bundle, FilesRefused, zip_bundle
from paks.imports.models import KEPT_FOR, ImportJob
from paks.imports.report import (
    UnreadableFile,
    base_errors,
    counts,
    read_sheet,
    row_reports,
    run_import,
    summary,
    unknown_values,
)
from paks.imports.resources import RESOURCES, ServiceResource, column_name
from paks.imports.values import ValueMapping, parse_values

logger = logging.getLogger(__name__)

Status = ImportJob.Status
# The reports are kept as text, written by the task worker in its (the site's) language.
STOPPED = gettext_lazy(
    "The import stopped with an error and saved nothing. The error is in the server's log; "
    "try again, and tell the site's operators if it recurs."
)
OUTCOMES = ("created", "updated", "skipped", "refused")


class JobRefused(Exception):
    """The job cannot do what was asked; the message says why, for the editor."""


def kind_of(resource_class: type[ServiceResource]) -> str:
    return next(kind for kind, cls in RESOURCES.items() if cls is resource_class)


def start(
    *,
    kind: str,
    sheet: UploadedFile,
    sheet_format: str,
    rows: int,
    user: User,
    column_mapping: ColumnMapping | None = None,
    publish: bool = False,
    files: UploadedFile | None = None,
) -> ImportJob:
    """Keep the sheet (and its ZIP) and queue its dry run."""
    if not roles.is_editor(user):
        raise JobRefused(_("Only editors import."))
    takes_files = RESOURCES[kind].takes_files
    job = ImportJob(
        kind=kind,
        sheet_format=sheet_format,
        file_name=sheet.name or "sheet",
        rows=rows,
        column_mapping=column_mapping.text() if column_mapping else "",
        publish=publish and kind == "cases",
        requested_by=user,
    )
    try:
        job.sheet.save(job.file_name, sheet, save=False)
        if files is not None and takes_files:
            job.files_name = files.name or "files.zip"
            job.files.save(job.files_name, files, save=False)
        with transaction.atomic():
            job.save()
            _queue(job, dry_run=True)
    except BaseException:
        for stored in (job.sheet, job.files):  # no file without its row
            if stored:
                stored.delete(save=False)
        raise
    return job


def check_again(job: ImportJob, *, value_mapping: str, user: User) -> ImportJob:
    """Run the dry run of a checked sheet again, with unknown values mapped to known ones."""
    if not roles.is_editor(user):
        raise JobRefused(_("Only editors import."))
    try:
        mapping = parse_values(value_mapping)
    except MappingError as exc:
        raise JobRefused(str(exc)) from None
    with transaction.atomic():
        claimed = ImportJob.objects.filter(pk=job.pk, status=Status.CHECKED).update(
            status=Status.QUEUED, value_mapping=mapping.text(), started_at=None
        )
        if not claimed:
            raise JobRefused(_not_checked(job))
        job.refresh_from_db()
        _queue(job, dry_run=True)
    return job


def confirm(job: ImportJob, *, user: User) -> ImportJob:
    """Queue the import of a checked sheet that refused nothing; once, however often asked."""
    if not roles.is_editor(user):
        raise JobRefused(_("Only editors import."))
    if job.status == Status.CHECKED and job.refused:
        raise JobRefused(
            _(
                "Its dry run refused rows: correct the sheet and upload it again, or map the "
                "unknown values and check it again."
            )
        )
    with transaction.atomic():
        claimed = ImportJob.objects.filter(
            pk=job.pk, status=Status.CHECKED, report__totals__refused=0
        ).update(status=Status.IMPORT_QUEUED, confirmed_by=user)
        if not claimed:
            raise JobRefused(_not_checked(job))
        job.refresh_from_db()
        _queue(job, dry_run=False)
    return job


def _not_checked(job: ImportJob) -> str:
    job.refresh_from_db(fields=["status"])
    # Translators: the status is one of the imports' statuses, e.g. "importing".
    return _("This import is %(status)s; it cannot be started again.") % {
        "status": job.get_status_display().lower()
    }


def _queue(job: ImportJob, *, dry_run: bool) -> None:
    job_id = job.pk
    transaction.on_commit(lambda: run_job.enqueue(job_id, dry_run))


@task()
def run_job(job_id: int, dry_run: bool) -> None:
    """Check or import a job's sheet, and keep the report."""
    waiting, working = (
        (Status.QUEUED, Status.CHECKING) if dry_run else (Status.IMPORT_QUEUED, Status.IMPORTING)
    )
    claimed = ImportJob.objects.filter(pk=job_id, status=waiting).update(
        status=working, started_at=timezone.now()
    )
    if not claimed:
        return  # another worker has it, or it was expired
    job = ImportJob.objects.select_related("requested_by", "confirmed_by").get(pk=job_id)
    try:
        report = execute(job, dry_run=dry_run)
    except (JobRefused, UnreadableFile, MappingError, FilesRefused) as exc:
        summary = _("Nothing was imported: %(reason)s.") % {"reason": exc}
        report, status = {"summary": summary}, Status.FAILED
    except Exception:
        logger.exception("import %s stopped", job_id)
        report, status = {"summary": str(STOPPED)}, Status.FAILED
    else:
        refused = report["totals"]["refused"]
        status = Status.CHECKED if dry_run else Status.NOT_IMPORTED if refused else Status.IMPORTED
    now = timezone.now()
    job.report, job.status = report, status
    job.finished_at = now if status in ImportJob.ENDED else None
    if dry_run:
        job.checked_at = now
    job.save(update_fields=["report", "status", "finished_at", "checked_at"])
    if status in ImportJob.ENDED:
        remove_files(job)


def execute(job: ImportJob, *, dry_run: bool) -> dict[str, Any]:
    """Run the job's sheet through its resource; what happened, as the job's page shows it."""
    user = job.requested_by if dry_run else job.confirmed_by
    if user is None or not roles.is_editor(user):
        # Translators: follows "Nothing was imported: ".
        raise JobRefused(_("the editor who asked for it is no longer an editor"))
    resource_class = RESOURCES[job.kind]
    if not job.sheet:
        # Translators: follows "Nothing was imported: ".
        raise JobRefused(_("its sheet is no longer kept; upload it again"))
    with job.sheet.open("rb") as stored:
        dataset = read_sheet(stored.read(), job.sheet_format, name=job.file_name)
    columns = parse_mapping(
        job.column_mapping, fields=resource_class().known_fields(), column_name=column_name
    )
    values = parse_values(job.value_mapping)
    bundle: Bundle | None = None
    if job.files:
        with job.files.open("rb") as stored:
            bundle = zip_bundle(stored.read(), label=job.files_name)
    extra = {"files": bundle} if bundle is not None else {}
    resource = resource_class(
        publish=job.publish, column_mapping=columns, value_mapping=values, **extra
    )
    result = run_import(
        resource, dataset, files=bundle, dry_run=dry_run, user=user, file_name=job.file_name
    )
    return report_of(result, dry_run=dry_run, values=values)


def report_of(result: Any, *, dry_run: bool, values: ValueMapping) -> dict[str, Any]:
    found = counts(result)
    columns = result.columns
    return {
        "dry_run": dry_run,
        "summary": summary(result, dry_run=dry_run),
        "totals": {outcome: found[outcome] for outcome in OUTCOMES},
        "errors": base_errors(result),
        "rows": [
            {"line": row.number + 1, "outcome": row.outcome, "text": row.text}
            for row in row_reports(result)
        ],
        "unused_columns": list(columns.unused),
        "fields": [[name, required] for name, required in columns.fields],
        "column_mapping": columns.mapping.describe() if columns.mapping else "",
        "value_mapping": values.describe() if values else "",
        "unknown": [dataclasses.asdict(value) for value in unknown_values(result)],
    }


def remove_files(job: ImportJob) -> None:
    """Remove an ended job's sheet and ZIP; the report stays."""
    for stored in (job.sheet, job.files):
        if stored:
            stored.delete(save=False)
    ImportJob.objects.filter(pk=job.pk).update(sheet="", files="")


def expire_jobs() -> int:
    """End the dry runs nobody imported within a day, and the jobs a worker took and never
    finished (it was stopped) a day on; remove their files. How many ended."""
    cutoff = timezone.now() - KEPT_FOR
    stale = ImportJob.objects.filter(
        Q(status=Status.CHECKED, checked_at__lt=cutoff)
        | Q(status__in=ImportJob.RUNNING, created_at__lt=cutoff)
    )
    ended = 0
    for job in stale:
        waited = job.status
        expired = waited == Status.CHECKED
        report = job.report if expired else {"summary": str(STOPPED)}
        if ImportJob.objects.filter(pk=job.pk, status=waited).update(
            status=Status.EXPIRED if expired else Status.FAILED,
            finished_at=timezone.now(),
            report=report,
        ):
            remove_files(job)
            ended += 1
    return ended
