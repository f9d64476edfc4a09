"""manage.py load_demo: the seed events, demo country cases and demo logins."""

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from paks.demo import load_demo


class Command(BaseCommand):
    help = (
        "Load demo content: organizations, events and their programmes (sessions, speakers, "
        "contributions) of the seed documents, demo country cases with documents, a demo "
        "editor and a demo focal point. Safe to run again: "
        "nothing is created twice. Loads the reference tables first when they are empty. "
        "Refused with PAKS_ENV=production."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        # Demo accounts and demo summaries have no place in a production database.
        if settings.PRODUCTION:
            raise CommandError(
                "load_demo does not run with PAKS_ENV=production: demo accounts and demo "
                "cases must not reach a production database. Nothing was written."
            )
        result = load_demo()
        if result.reference_loaded:
            self.stdout.write("Reference tables were empty and have been loaded.")
        made = ", ".join(f"{kind} {n}" for kind, n in result.created.items() if n)
        self.stdout.write(f"Demo data created: {made or 'nothing new'}.")
        self.stdout.write("")
        self.stdout.write("Demo logins (a password is shown once, when it is set):")
        label_width = max(len(login.label) for login in result.logins)
        email_width = max(len(login.email) for login in result.logins)
        for login in result.logins:
            said = f"password: {login.password}" if login.password else "password unchanged"
            self.stdout.write(
                f"  {login.label.ljust(label_width)}  {login.email.ljust(email_width)}  {said}"
            )
        variables = " / ".join(login.password_env for login in result.logins)
        self.stdout.write(
            f"New accounts get random passwords unless {variables} give them; set a variable "
            "and run load_demo again to change that password."
        )
