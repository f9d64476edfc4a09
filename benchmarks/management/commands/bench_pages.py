"""Benchmark the public pages that show counts of cases (home, themes, SDGs, countries and
their detail pages) on a generated corpus, as bench_search makes it.

Cold: the first request after a change to the published cases (the cache holds nothing for
the new index version, so the counts are computed once). Warm: every request after that.

    DJANGO_SETTINGS_MODULE=benchmarks.settings DATABASE_URL=postgres://... \\
        python manage.py bench_pages --cases 100000
"""

from __future__ import annotations

import statistics
import time
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection
from django.test import Client

from benchmarks.management.commands.bench_search import Command as SearchBenchmark
from benchmarks.management.commands.bench_search import add_corpus_arguments
from paks.models import CaseStudy
from taxonomy.models import SDG, Theme

TARGET_MS = 100


class Command(BaseCommand):
    help = "Cold and warm times of the pages that count cases, and whether they meet 100 ms."

    def add_arguments(self, parser: CommandParser) -> None:
        add_corpus_arguments(parser, cases=100_000)
        parser.add_argument("--runs", type=int, default=5, help="cold runs per page")

    def handle(self, *args: Any, **options: Any) -> None:
        corpus = SearchBenchmark()
        corpus.stdout, corpus.stderr = self.stdout, self.stderr  # its lines among this one's
        corpus.prepare(options)
        settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
        country = CaseStudy.objects.published().values_list("country__iso3", flat=True)[0]
        theme, sdg = Theme.objects.order_by("pk")[0], SDG.objects.order_by("number")[0]
        pages = {
            "home": "/",
            "theme list": "/themes/",
            "SDG list": "/sdgs/",
            "country list": "/countries/",
            "theme": theme.get_absolute_url(),
            "SDG": sdg.get_absolute_url(),
            "country": f"/countries/{country}/",
        }
        client = Client()
        n = CaseStudy.objects.published().count()
        self.stdout.write(f"\n{connection.vendor}, {n} published cases")
        self.stdout.write(f"{'':16}{'cold median':>14}{'warm median':>14}{'warm max':>12}")
        for name, url in pages.items():
            cold, warm = [], []
            for _ in range(options["runs"]):
                cache.clear()
                cold.append(self._time(client, url))
                warm += [self._time(client, url) for _ in range(3)]
            flag = "" if statistics.median(warm) * 1000 <= TARGET_MS else "  over 100 ms"
            self.stdout.write(
                f"{name:16}{statistics.median(cold) * 1000:>11.1f} ms"
                f"{statistics.median(warm) * 1000:>11.1f} ms{max(warm) * 1000:>9.1f} ms{flag}"
            )

    @staticmethod
    def _time(client: Client, url: str) -> float:
        started = time.perf_counter()
        response = client.get(url)
        elapsed = time.perf_counter() - started
        if response.status_code != 200:
            raise CommandError(f"{url} answered {response.status_code}")
        return elapsed
