"""manage.py import_data: the admin's import, from a file, for operators."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from accounts.models import User
from paks.imports.columns import MappingError, parse_mapping
from paks.imports.files import Bundle, FilesRefused, open_bundle
from paks.imports.report import (
    FORMATS,
    UnreadableFile,
    base_errors,
    counts,
    read_dataset,
    row_reports,
    run_import,
    summary,
    unknown_lines,
)
from paks.imports.resources import RESOURCES, column_name
from paks.imports.values import parse_values


class Command(BaseCommand):
    help = (
        "Import cases, organizations, events, participations or focal point invitations from "
        "a CSV, XLSX or JSON file, through the same services as the admin. Prints what each "
        "row did (created, updated, skipped, refused and why); one refused row saves nothing "
        "and makes the exit status non-zero."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kind", choices=sorted(RESOURCES))
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--dry-run", action="store_true", help="say what would happen; save nothing"
        )
        parser.add_argument(
            "--publish", action="store_true", help="publish imported cases (default: drafts)"
        )
        parser.add_argument("--format", choices=sorted(FORMATS), help="default: the extension")
        parser.add_argument(
            "--files",
            type=Path,
            metavar="ZIP_OR_FOLDER",
            help="the files a cases sheet's documents column names, in a ZIP or a folder",
        )
        parser.add_argument(
            "--map",
            action="append",
            default=[],
            metavar="HEADER=FIELD",
            help=('read the sheet\'s column HEADER as FIELD ("Nom du pays=country"); repeatable'),
        )
        parser.add_argument(
            "--map-value",
            action="append",
            default=[],
            metavar="KIND:VALUE=EXISTING",
            help=(
                "read a VALUE the sheet names as an EXISTING one, KIND being country, "
                'organization, theme, sdg or event ("organization:Min. of ICT=Ministry of '
                'ICT of Kenya"); repeatable'
            ),
        )
        parser.add_argument(
            "--as",
            dest="as_email",
            metavar="EMAIL",
            help="the editor the rows are written as (needed for cases and invitations)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"No file at {path}.")
        user = None
        if options["as_email"]:
            user = User.objects.filter(email__iexact=options["as_email"], is_active=True).first()
            if user is None:
                raise CommandError(f"No active account has the address {options['as_email']}.")
        try:
            dataset = read_dataset(path, options["format"])
        except UnreadableFile as exc:
            raise CommandError(str(exc)) from None

        resource_class = RESOURCES[options["kind"]]
        try:
            mapping = parse_mapping(
                options["map"], fields=resource_class().known_fields(), column_name=column_name
            )
            mapping.check_headers(dataset.headers or [], column_name)
        except MappingError as exc:
            # The lines of a mapping are the command's --map options, in their order.
            raise CommandError(str(exc).replace("Line ", "--map option ", 1)) from None
        try:
            values = parse_values(options["map_value"])
        except MappingError as exc:
            raise CommandError(str(exc).replace("Line ", "--map-value option ", 1)) from None

        files: Bundle | None = None
        if options["files"] is not None:
            if not resource_class.takes_files:
                raise CommandError(f"{options['kind'].capitalize()} take no files.")
            try:
                files = open_bundle(options["files"])
            except FilesRefused as exc:
                raise CommandError(str(exc)) from None

        dry_run = options["dry_run"]
        extra = {"files": files} if files is not None else {}
        resource = resource_class(
            publish=options["publish"], column_mapping=mapping, value_mapping=values, **extra
        )
        result = run_import(
            resource, dataset, files=files, dry_run=dry_run, user=user, file_name=path.name
        )

        for message in base_errors(result):
            self.stdout.write(f"refused: {message}")
        for report in row_reports(result):
            outcome = report.outcome
            if dry_run and outcome in ("created", "updated"):
                outcome = f"would be {outcome}"
            # Line numbers as a spreadsheet shows them: the header is line 1.
            self.stdout.write(f"line {report.number + 1}: {outcome}: {report.text}")
        for line in unknown_lines(result):
            self.stdout.write(line)
        not_imported = resource.columns.not_imported()
        if not_imported:
            self.stdout.write(not_imported)
        self.stdout.write(summary(result, dry_run=dry_run))
        if counts(result)["refused"]:
            raise CommandError("Some rows were refused (see above); nothing was saved.")
