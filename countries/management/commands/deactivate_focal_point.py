"""manage.py deactivate_focal_point: end a person's focal point appointments."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from countries.management.commands._lookup import country_by_iso3, user_by_email
from countries.services import FocalPointError, end_focal_point


class Command(BaseCommand):
    help = (
        "End a focal point's open appointments today (for one country with --country). "
        "The account is deactivated when no other appointment remains and it is not staff."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--email", required=True)
        parser.add_argument("--country", help="Only this country (ISO 3166 alpha-3 code)")

    def handle(self, *args: Any, **options: Any) -> None:
        country = country_by_iso3(options["country"]) if options["country"] else None
        user = user_by_email(options["email"])
        if user is None:
            raise CommandError(f"No user with the e-mail {options['email']!r}.")
        try:
            result = end_focal_point(user=user, country=country)
        except FocalPointError as exc:
            raise CommandError(str(exc)) from None
        for appointment in result.ended:
            self.stdout.write(
                f"Ended the appointment of {user.email} for {appointment.country.name} "
                f"({appointment.organization.display_name}) on {appointment.until:%Y-%m-%d}."
            )
        if result.user_deactivated:
            self.stdout.write(
                f"Deactivated the account of {user.email}: no other appointment remains."
            )
