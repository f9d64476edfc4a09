"""manage.py list_focal_points: a table of focal point appointments."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db.models import Q
from django.utils import timezone

from countries.management.commands._lookup import country_by_iso3
from countries.models import FocalPoint

COLUMNS = ("email", "country", "organization", "since", "until", "active")


class Command(BaseCommand):
    help = "List focal points: current appointments, or all with --all."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--country", help="Only this country (ISO 3166 alpha-3 code)")
        parser.add_argument(
            "--all", action="store_true", help="Include appointments that have ended"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        appointments = FocalPoint.objects.select_related("user", "country", "organization")
        if options["country"]:
            appointments = appointments.filter(country=country_by_iso3(options["country"]))
        if not options["all"]:
            appointments = appointments.filter(
                Q(until__isnull=True) | Q(until__gte=timezone.localdate())
            )
        rows = [
            (
                fp.user.email,
                fp.country.iso3,
                fp.organization.display_name,
                f"{fp.since:%Y-%m-%d}",
                f"{fp.until:%Y-%m-%d}" if fp.until else "",
                "yes" if fp.is_active else "no",
            )
            for fp in appointments
        ]
        if not rows:
            self.stdout.write("No focal points.")
            return
        widths = [max(len(str(v)) for v in column) for column in zip(COLUMNS, *rows, strict=False)]
        for row in [COLUMNS, *rows]:
            self.stdout.write(
                "  ".join(v.ljust(w) for v, w in zip(row, widths, strict=True)).rstrip()
            )
