"""manage.py cleanup_uploads: remove stored files no document or import names, the files of
imports nobody confirmed within a day, and expired upload keys.

A file is stored before its row commits; if the process dies in between, the file stays
behind with no row. This finds such orphans older than --min-age-hours (default 24, so an
upload still in progress is never touched) and removes them, through the storage API, so it
works the same on local disk and on S3-compatible storage. A scheduler runs it daily.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from typing import Any

from django.core.files.storage import Storage, default_storage
from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from paks.api.idempotency import KEEP_FOR
from paks.imports.jobs import expire_jobs
from paks.imports.models import ImportJob
from paks.models import Document, IdempotencyKey

FOLDERS = ("documents", "thumbnails", "imports")


def _files(storage: Storage, folder: str) -> Iterator[str]:
    if not storage.exists(folder):
        return
    folders, files = storage.listdir(folder)
    for name in files:
        yield f"{folder}/{name}"
    for sub in folders:
        yield from _files(storage, f"{folder}/{sub}")


class Command(BaseCommand):
    help = (
        "Remove uploaded files that no document or import refers to and that are older than a "
        "day, the files of imports checked more than a day ago and never imported, and "
        "idempotency keys older than a day; report what was removed."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--min-age-hours", type=float, default=24)
        parser.add_argument(
            "--dry-run", action="store_true", help="Only report what would be removed."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        storage = default_storage
        cutoff = timezone.now() - datetime.timedelta(hours=options["min_age_hours"])
        named = set(Document.objects.exclude(file="").values_list("file", flat=True))
        named |= set(Document.objects.exclude(thumbnail="").values_list("thumbnail", flat=True))
        expired = 0 if options["dry_run"] else expire_jobs()
        for column in ("sheet", "files"):
            named |= set(ImportJob.objects.exclude(**{column: ""}).values_list(column, flat=True))
        removed = kept_young = 0
        for folder in FOLDERS:
            for name in _files(storage, folder):
                if name in named:
                    continue
                if storage.get_modified_time(name) > cutoff:
                    kept_young += 1
                    continue
                self.stdout.write(f"{'would remove' if options['dry_run'] else 'removed'} {name}")
                if not options["dry_run"]:
                    storage.delete(name)
                removed += 1
        keys = IdempotencyKey.objects.filter(created_at__lt=timezone.now() - KEEP_FOR)
        old_keys = keys.count() if options["dry_run"] else keys.delete()[0]
        verb = "Would remove" if options["dry_run"] else "Removed"
        self.stdout.write(
            f"{verb} {removed} orphaned file(s) and {old_keys} expired idempotency key(s); "
            f"{expired} import(s) expired unconfirmed; "
            f"{kept_young} unreferenced file(s) younger than "
            f"{options['min_age_hours']:g} h left in place."
        )
