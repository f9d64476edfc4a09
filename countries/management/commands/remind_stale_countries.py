"""manage.py remind_stale_countries: e-mail focal points whose country's information is stale.

Meant for a scheduler (cron, a systemd timer, a Kubernetes CronJob), e.g. daily. A country is
stale when none of its focal points confirmed its information for PAKS_STALE_AFTER_DAYS; each
of its focal points is reminded at most once per PAKS_STALE_REMINDER_DAYS.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.db.models import Max
from django.utils import timezone

from countries import notifications
from countries.models import Country, FocalPoint


class Command(BaseCommand):
    help = (
        "E-mail the focal points of countries whose information was not confirmed current "
        "for PAKS_STALE_AFTER_DAYS days (once per PAKS_STALE_REMINDER_DAYS)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--days",
            type=int,
            default=settings.PAKS_STALE_AFTER_DAYS,
            help="days without confirmation after which a country is stale (default: %(default)s)",
        )
        parser.add_argument("--dry-run", action="store_true", help="list, send nothing")

    def handle(self, *args: Any, **options: Any) -> None:
        now = timezone.now()
        stale_before = now - datetime.timedelta(days=options["days"])
        remind_before = now - datetime.timedelta(days=settings.PAKS_STALE_REMINDER_DAYS)
        active = FocalPoint.objects.active()
        countries = (
            Country.objects.filter(pk__in=active.values("country"))
            .annotate(last_confirmed=Max("focal_points__last_confirmed_at"))
            .order_by("name")
        )
        reminded = 0
        for country in countries:
            if country.last_confirmed and country.last_confirmed >= stale_before:
                continue
            for focal_point in active.filter(country=country).select_related("user", "country"):
                if focal_point.last_reminded_at and focal_point.last_reminded_at > remind_before:
                    continue
                when = (
                    f"last confirmed {country.last_confirmed:%Y-%m-%d}"
                    if country.last_confirmed
                    else "never confirmed"
                )
                self.stdout.write(f"{country.name} ({when}): {focal_point.user.email}")
                if options["dry_run"]:
                    continue
                notifications.stale_country(focal_point, country.last_confirmed)
                # Not an edit of the appointment: kept out of its history.
                FocalPoint.objects.filter(pk=focal_point.pk).update(last_reminded_at=now)
                reminded += 1
        if options["dry_run"]:
            self.stdout.write("Dry run: nothing sent.")
        else:
            self.stdout.write(f"Reminded {reminded} focal point(s).")
