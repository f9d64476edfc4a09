import time
from typing import Any

from django.core.management.base import BaseCommand

from paks.search.index import rebuild


class Command(BaseCommand):
    help = (
        "Rebuild the full-text index from the published cases. The index follows every change "
        "by itself; this is for restoring a database or changing the index's configuration."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        count = rebuild()
        took = time.perf_counter() - started
        self.stdout.write(self.style.SUCCESS(f"Indexed {count} published cases in {took:.1f} s."))
