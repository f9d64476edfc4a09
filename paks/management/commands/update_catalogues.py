"""manage.py update_catalogues: the interface's catalogues, refreshed from the marked strings."""

from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.core.management.commands import makemessages
from django.utils.translation import to_locale

# What holds no words for people: tests, benchmarks, tools, and what the build makes.
IGNORE = [
    "tests/*",
    "benchmarks/*",
    "loadtest/*",
    "scripts/*",
    "deploy/*",
    "docs/*",
    "build/*",
    "media/*",
    "staticfiles/*",
    "node_modules/*",
]


class MakeMessages(makemessages.Command):
    # A new string comes in empty, never with a guess from a similar one ("fuzzy"), which a
    # translator might take for a translation.
    msgmerge_options = [*makemessages.Command.msgmerge_options, "--no-fuzzy-matching"]


class Command(BaseCommand):
    help = (
        "Refresh locale/<language>/LC_MESSAGES/django.po for the six languages from the "
        "strings marked in the templates (.html, .txt) and the Python code: new strings come "
        "in untranslated, strings no longer used go. Needs GNU gettext (xgettext, msgmerge). "
        "Then translate the new entries and run `make messages`."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        call_command(
            MakeMessages(),
            locale=[to_locale(code) for code, _name in settings.LANGUAGES],
            extensions=["html", "txt", "py"],
            ignore_patterns=IGNORE,
            add_location="file",
            no_obsolete=True,
            verbosity=options["verbosity"],
        )
