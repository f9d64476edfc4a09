"""manage.py create_focal_point: appoint a user (created if missing) as a country's focal point."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.core.validators import validate_email
from django.db import transaction

from countries.management.commands._lookup import (
    country_by_iso3,
    organization_by_slug_or_name,
    user_by_email,
)
from countries.services import FocalPointError, appoint_focal_point


class Command(BaseCommand):
    help = (
        "Appoint a person as focal point for a country on behalf of an organization. "
        "Creates the user account (without a usable password) when the e-mail is new."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--email", required=True)
        parser.add_argument("--country", required=True, help="ISO 3166 alpha-3 code, e.g. BGD")
        parser.add_argument(
            "--organization", required=True, help="Slug or full name of the appointing body"
        )
        parser.add_argument("--position", default="")
        parser.add_argument("--first-name", default="")
        parser.add_argument("--last-name", default="")
        parser.add_argument(
            "--public", action="store_true", help="Show the contact on the public country page"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        email = options["email"].strip()
        try:
            validate_email(email)
        except ValidationError:
            raise CommandError(f"{email!r} is not a valid e-mail address.") from None
        country = country_by_iso3(options["country"])
        organization = organization_by_slug_or_name(options["organization"])

        # The new account and the appointment stand or fall together.
        with transaction.atomic():
            user = user_by_email(email)
            created = user is None
            if user is None:
                user = get_user_model()(
                    username=email,
                    email=email,
                    first_name=options["first_name"],
                    last_name=options["last_name"],
                )
                user.set_unusable_password()
                user.save()
            was_active = user.is_active
            try:
                appointment = appoint_focal_point(
                    user=user,
                    country=country,
                    organization=organization,
                    position=options["position"],
                    is_contact_public=options["public"],
                )
            except FocalPointError as exc:
                raise CommandError(str(exc)) from None

        self.stdout.write(
            f"Appointed {user.email} as focal point for {country.name} ({country.iso3}) "
            f"on behalf of {organization.display_name}, since {appointment.since:%Y-%m-%d}; "
            f"contact {'public' if appointment.is_contact_public else 'not public'}."
        )
        if created:
            self.stdout.write(
                f"Created user {user.email} without a usable password. Set one with:\n"
                f"  python manage.py changepassword {user.get_username()}"
            )
        elif not was_active:
            self.stdout.write(f"Reactivated the account of {user.email}.")
