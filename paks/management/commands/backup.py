"""manage.py backup: the whole portal (database rows and stored files) in one archive."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from paks.backup import BackupError, backup


class Command(BaseCommand):
    help = (
        "Write one archive (.tar.gz) with every database row (portable XML), every stored "
        "file, their checksums and the schema version. `manage.py restore` reads it."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "archive",
            nargs="?",
            help="the file to write (default: paks-backup-<date and time>.tar.gz here)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
        target = Path(options["archive"] or f"paks-backup-{stamp}.tar.gz")
        try:
            summary = backup(target)
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(
            f"Wrote {target}: {summary.rows} rows, {summary.files} files ({summary.bytes} bytes)."
        )
