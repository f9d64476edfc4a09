"""manage.py load_reference: load countries, survey scores, SDGs and themes from the data files."""

from typing import Any

from django.core.management.base import BaseCommand

from paks.reference import load_all


class Command(BaseCommand):
    help = (
        "Load the reference tables (UN M49 countries, E-Government Survey scores, SDGs, themes) "
        "from the files in countries/data/ and paks/data/. Safe to run again: unchanged rows "
        "are left alone."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        for result in load_all():
            self.stdout.write(str(result))
