"""manage.py restore: bring a backup into an empty, migrated database and empty storage."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from paks.backup import BackupError, restore


class Command(BaseCommand):
    help = (
        "Restore an archive written by `manage.py backup` into this database (migrated to the "
        "same schema version, holding no content) and this media storage (empty). Every "
        "checksum is verified; nothing is written if the archive is damaged."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive", help="the .tar.gz written by manage.py backup")

    def handle(self, *args: Any, **options: Any) -> None:
        source = Path(options["archive"])
        if not source.is_file():
            raise CommandError(f"{source} is not a file.")
        try:
            summary = restore(source)
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(
            f"Restored {source}: {summary.rows} rows, {summary.files} files "
            f"({summary.bytes} bytes); the search index is rebuilt."
        )
