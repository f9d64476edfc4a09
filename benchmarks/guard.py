"""The benchmarks write generated rows into the database they are given: they refuse one that
holds anything else, unless told otherwise.

Every row a benchmark generates carries the same mark, so that the benchmarks recognise
their own rows and each other's: its slug (cases, organizations) or its username (accounts)
starts with "bench-". No benchmark generates events. Reference tables (countries, scores,
SDGs, themes) are not content and may be there.
"""

from __future__ import annotations

from django.core.management.base import CommandError, CommandParser
from django.db import connection

from accounts.models import User
from countries.models import Organization
from events.models import Event
from paks.models import CaseStudy

MARK = "bench-"
ALLOW_FLAG = "--allow-existing-content"


def add_allow_flag(parser: CommandParser) -> None:
    parser.add_argument(
        ALLOW_FLAG,
        action="store_true",
        help="write into a database that holds content no benchmark generated",
    )


def foreign_content() -> dict[str, int]:
    """How many rows of each kind no benchmark generated; the kinds with none are left out."""
    counts = {
        "cases": CaseStudy.objects.exclude(slug__startswith=MARK).count(),
        "events": Event.objects.count(),
        "organizations": Organization.objects.exclude(slug__startswith=MARK).count(),
        "accounts": User.objects.exclude(username__startswith=MARK).count(),
    }
    return {kind: n for kind, n in counts.items() if n}


def database_name() -> str:
    return f"{connection.display_name} database {connection.settings_dict['NAME']}"


def refuse_foreign_content(*, allow: bool) -> None:
    """Raise CommandError, before anything is written, when the database holds content that
    no benchmark generated and `allow` (the command's --allow-existing-content) is not set."""
    if allow or not (found := foreign_content()):
        return
    listed = ", ".join(f"{n} {kind}" for kind, n in found.items())
    raise CommandError(
        f"The {database_name()} holds content the benchmarks did not generate ({listed}). "
        f"Run the benchmarks on a database of their own, or pass {ALLOW_FLAG} to add "
        "their generated rows to it anyway."
    )
