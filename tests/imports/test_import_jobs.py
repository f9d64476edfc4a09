"""The admin's imports run in the task worker: through the real database queue, once each,
and end in a state the editor can read, whatever happens to them; their files do not
outlive them."""

import datetime
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from paks.imports import jobs
from paks.imports.models import ImportJob
from paks.models import CaseStudy
from tests.factories import UserFactory
from tests.imports.sheets import CASE_HEADERS, case_rows, sheet

Status = ImportJob.Status


def start(editor, organizations, rows: int = 3, **kwargs) -> ImportJob:
    content = sheet(CASE_HEADERS, case_rows(rows, organizations), "csv")
    return jobs.start(
        kind="cases",
        sheet=SimpleUploadedFile("cases.csv", content),
        sheet_format="csv",
        rows=rows,
        user=editor,
        **kwargs,
    )


def kept(settings) -> list[Path]:
    root = Path(settings.MEDIA_ROOT) / "imports"
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


# db_worker checks its connection between tasks, which would end a test's transaction:
# this test commits for real instead.
@pytest.mark.django_db(transaction=True)
def test_the_database_worker_checks_then_imports_a_sheet(settings, editor, organizations):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

    job = start(editor, organizations)
    assert job.status == Status.QUEUED
    assert DBTaskResult.objects.get().args_kwargs["args"] == [job.pk, True]
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    job.refresh_from_db()
    assert job.status == Status.CHECKED and job.confirmable
    assert job.report["totals"] == {"created": 3, "updated": 0, "skipped": 0, "refused": 0}
    assert not CaseStudy.objects.exists()

    jobs.confirm(job, user=editor)
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    job.refresh_from_db()
    assert job.status == Status.IMPORTED
    assert CaseStudy.objects.count() == 3
    assert kept(settings) == []


def test_a_job_is_run_once_however_often_it_is_queued(
    editor, organizations, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        job = start(editor, organizations)
    with django_capture_on_commit_callbacks(execute=True):
        jobs.confirm(job, user=editor)
    jobs.run_job.call(job.pk, False)  # a second delivery of the same task

    assert CaseStudy.objects.count() == 3
    with pytest.raises(jobs.JobRefused, match="imported; it cannot be started again"):
        jobs.confirm(job, user=editor)


def test_an_error_in_the_worker_ends_the_job_and_removes_its_files(
    editor, organizations, settings, monkeypatch, django_capture_on_commit_callbacks, caplog
):
    def broken(*args, **kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(jobs, "execute", broken)
    with django_capture_on_commit_callbacks(execute=True):
        job = start(editor, organizations)

    job.refresh_from_db()
    assert job.status == Status.FAILED
    assert job.report["summary"].startswith("The import stopped with an error and saved nothing")
    assert "disk on fire" in caplog.text  # in the log, not on the page
    assert "disk on fire" not in job.report["summary"]
    assert kept(settings) == [] and not job.sheet


def test_an_editor_who_is_no_editor_any_more_imports_nothing(
    editor, organizations, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        job = start(editor, organizations)
    other = UserFactory(is_staff=True)
    with pytest.raises(jobs.JobRefused, match="Only editors import"):
        jobs.confirm(job, user=other)

    editor.groups.clear()
    editor.is_superuser = False
    editor.save()
    second = UserFactory(is_staff=True, is_superuser=True)
    with django_capture_on_commit_callbacks(execute=True):
        jobs.confirm(job, user=second)
    job.refresh_from_db()
    assert job.status == Status.IMPORTED  # confirmed by an editor, as that editor
    assert CaseStudy.objects.count() == 3

    with django_capture_on_commit_callbacks(execute=True):
        late = start(second, organizations)
    second.is_superuser = False
    second.save()
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(jobs.JobRefused):
        jobs.confirm(late, user=second)


def test_jobs_nobody_finished_end_a_day_on_and_their_files_go(
    editor, organizations, settings, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        checked = start(editor, organizations)
    stuck = start(editor, organizations)  # queued, and its worker never came
    fresh = start(editor, organizations)
    assert len(kept(settings)) == 3
    day_ago = timezone.now() - datetime.timedelta(days=1, minutes=1)
    ImportJob.objects.filter(pk=checked.pk).update(checked_at=day_ago)
    ImportJob.objects.filter(pk=stuck.pk).update(created_at=day_ago)

    assert jobs.expire_jobs() == 2

    statuses = dict(ImportJob.objects.values_list("pk", "status"))
    assert statuses == {checked.pk: Status.EXPIRED, stuck.pk: Status.FAILED, fresh.pk: "queued"}
    assert [p.name for p in kept(settings)] == [Path(fresh.sheet.name).name]
    with pytest.raises(jobs.JobRefused, match="expired before it was imported"):
        jobs.confirm(ImportJob.objects.get(pk=checked.pk), user=editor)


def test_every_kind_the_command_imports_is_a_kind_of_job():
    from paks.imports.resources import RESOURCES

    assert list(RESOURCES) == list(ImportJob.Kind.values)
