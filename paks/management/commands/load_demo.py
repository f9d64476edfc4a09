"""manage.py load_demo: the seed events, demo country cases and demo logins."""

from typing import Any

from django.core.management.base import BaseCommand

from paks.demo import EDITOR_PASSWORD_ENV, FOCAL_PASSWORD_ENV, load_demo


class Command(BaseCommand):
    help = (
        "Load demo content: organizations and events of the seed documents, demo country "
        "cases with documents, a demo editor and a demo focal point. Safe to run again: "
        "nothing is created twice. Loads the reference tables first when they are empty."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        result = load_demo()
        if result.reference_loaded:
            self.stdout.write("Reference tables were empty and have been loaded.")
        made = ", ".join(f"{kind} {n}" for kind, n in result.created.items() if n)
        self.stdout.write(f"Demo data created: {made or 'nothing new'}.")
        self.stdout.write("")
        self.stdout.write(
            f"Demo logins (passwords from {EDITOR_PASSWORD_ENV} / {FOCAL_PASSWORD_ENV}):"
        )
        label_width = max(len(label) for label, _, _ in result.logins)
        email_width = max(len(email) for _, email, _ in result.logins)
        for label, email, password in result.logins:
            self.stdout.write(
                f"  {label.ljust(label_width)}  {email.ljust(email_width)}  password: {password}"
            )
