"""manage.py prune_webhook_deliveries: the delivery log is kept for PAKS_WEBHOOKS_KEEP_DAYS."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from paks.webhooks.delivery import prune


class Command(BaseCommand):
    help = "Remove webhook deliveries older than PAKS_WEBHOOKS_KEEP_DAYS (30) days."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--days", type=int, default=settings.PAKS_WEBHOOKS_KEEP_DAYS)

    def handle(self, *args: Any, **options: Any) -> None:
        removed = prune(days=options["days"])
        self.stdout.write(
            f"Removed {removed} webhook deliveries older than {options['days']} days."
        )
