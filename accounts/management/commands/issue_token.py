"""manage.py issue_token: give a person a personal API token and print its key once."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from accounts.models import User
from accounts.services import issue_token


class Command(BaseCommand):
    help = (
        "Create a personal API token for the person with this e-mail and print its key. "
        "The key is stored only as a digest: copy it now, it cannot be shown again."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--email", required=True)
        parser.add_argument("--name", default="command line", help="What the token is for.")
        parser.add_argument(
            "--days",
            type=int,
            default=365,
            help="Days until the token expires (default 365; 0 for no expiry).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(email__iexact=options["email"].strip()).first()
        if user is None:
            raise CommandError(f"No user with the e-mail {options['email']!r}.")
        if options["days"] < 0:
            raise CommandError("--days must be 0 (no expiry) or more.")
        valid_for = datetime.timedelta(days=options["days"]) if options["days"] else None
        try:
            token, key = issue_token(user=user, name=options["name"], valid_for=valid_for)
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        expiry = f"expires {token.expires_at:%Y-%m-%d}" if token.expires_at else "never expires"
        self.stderr.write(f"Token '{token.name}' for {user.email} ({expiry}). Copy the key now:")
        self.stdout.write(key)
