"""Benchmark the public search against the substring baseline, in one run, on one database.

Run it on a database of its own: it adds thousands of generated cases.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/paks_bench \\
        python manage.py bench_search --cases 100000
    DATABASE_URL=sqlite:////tmp/paks-bench.sqlite3 python manage.py bench_search --cases 10000
"""

from __future__ import annotations

import random
import statistics
import time
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, reset_queries, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from countries.models import Country, Organization
from paks.models import SDG, CaseStudy, Document, Theme
from paks.search.backends import get_backend, using_backend
from paks.search.index import rebuild
from paks.search.naive import NaiveBackend

QUERIES = [
    "digital services",
    "one-stop shop",
    '"service delivery"',
    "broadband or connectivity",
    "health records -paper",
    "e-government strategy",
    "land registration",
    "open data portal",
    "mobile payments",
    "citizen participation",
]
SLUG_PREFIX = "bench-"

SERVICES = [
    "land registration", "birth registration", "business licensing", "tax filing",
    "health records", "school enrolment", "social protection payments", "procurement",
    "customs clearance", "passport renewal", "pension payments", "agricultural extension",
    "disaster alerts", "court records", "utility billing", "vehicle registration",
]  # fmt: skip
MEANS = [
    "a one-stop shop", "a mobile app", "an open data portal", "community service centres",
    "a shared data exchange layer", "digital identity", "SMS notifications", "mobile payments",
    "a national broadband backbone", "cloud hosting", "an integrated service portal",
    "e-participation platforms", "chatbots", "kiosks in post offices",
]  # fmt: skip
PEOPLE = [
    "rural citizens", "women entrepreneurs", "small businesses", "persons with disabilities",
    "older people", "farmers", "students", "migrant workers", "local governments",
]  # fmt: skip
OUTCOMES = [
    "cut waiting times by half", "reduced visits to offices", "improved transparency",
    "raised user satisfaction", "lowered the cost of service delivery", "reduced corruption",
    "increased connectivity in remote areas", "strengthened citizen participation",
]  # fmt: skip
LESSONS = [
    "Legal reform must come before technology.", "Start with the most used services.",
    "Train civil servants early.", "Measure uptake from the first day.",
    "Partnerships with the private sector keep costs down.", "Design with the users.",
    "Interoperability standards save money later.", "Keep an assisted channel for everyone.",
]  # fmt: skip


def _sentence(rng: random.Random) -> str:
    return (
        f"{rng.choice(MEANS).capitalize()} for {rng.choice(SERVICES)} serving "
        f"{rng.choice(PEOPLE)} {rng.choice(OUTCOMES)}."
    )


def _paragraph(rng: random.Random, n: int) -> str:
    return " ".join(_sentence(rng) for _ in range(n))


class Command(BaseCommand):
    help = "Measure the search page with facets against the icontains baseline."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--cases", type=int, default=10_000, help="corpus size (N)")
        parser.add_argument("--runs", type=int, default=10, help="timed runs per query, ours")
        parser.add_argument(
            "--baseline-runs", type=int, default=3, help="timed runs per query, baseline"
        )
        parser.add_argument("--seed", type=int, default=2024)

    def handle(self, *args: Any, **options: Any) -> None:
        if not Country.objects.exists():
            call_command("load_reference", verbosity=0)
        self._corpus(options["cases"], options["seed"])
        settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
        client = Client()
        url = reverse("paks:case-list")
        backend = type(get_backend()).__name__
        ours = self._measure(client, url, options["runs"])
        with using_backend(NaiveBackend()):
            baseline = self._measure(client, url, options["baseline_runs"])
        n = CaseStudy.objects.published().count()
        self.stdout.write(f"\n{connection.vendor}, {n} published cases, 20 results + facets")
        self.stdout.write(f"{'':22}{'median':>10}{'p95':>10}{'queries':>9}")
        for name, (times, queries) in ((backend, ours), ("icontains baseline", baseline)):
            self.stdout.write(
                f"{name:22}{_ms(statistics.median(times)):>10}{_ms(_p95(times)):>10}{queries:>9}"
            )
        ratio = statistics.median(baseline[0]) / statistics.median(ours[0])
        self.stdout.write(f"baseline / ours (median): {ratio:.1f}x")

    def _measure(self, client: Client, url: str, runs: int) -> tuple[list[float], int]:
        times: list[float] = []
        queries = set()
        for q in QUERIES:
            client.get(url, {"q": q})  # warm caches, as a busy site would have them
            for _ in range(runs):
                reset_queries()
                with CaptureQueriesContext(connection) as ctx:
                    started = time.perf_counter()
                    response = client.get(url, {"q": q})
                    times.append(time.perf_counter() - started)
                if response.status_code != 200:
                    raise CommandError(f"{q!r} answered {response.status_code}")
                queries.add(len(ctx))
        return times, max(queries)

    def _corpus(self, wanted: int, seed: int) -> None:
        existing = CaseStudy.objects.filter(slug__startswith=SLUG_PREFIX).count()
        if existing >= wanted:
            return
        rng = random.Random(seed + existing)
        started = time.perf_counter()
        countries = list(Country.objects.values_list("pk", flat=True))
        orgs = self._organizations(rng, countries)
        themes = list(Theme.objects.values_list("pk", flat=True))
        sdgs = list(SDG.objects.values_list("pk", flat=True))
        now = timezone.now()
        batch = 2000
        for start in range(existing, wanted, batch):
            size = min(batch, wanted - start)
            with transaction.atomic():
                cases = CaseStudy.objects.bulk_create(
                    [self._case(rng, start + i, countries, orgs, now) for i in range(size)]
                )
                Document.objects.bulk_create(
                    [
                        Document(
                            case=case,
                            title=f"Presentation {case.slug}.pdf",
                            external_url=f"https://example.org/{case.slug}.pdf",
                            media_type="application/pdf",
                            page_count=4,
                            extracted_text="\f".join(_paragraph(rng, 4) for _ in range(4)),
                            state="done",
                        )
                        for case in cases
                    ]
                )
                through = CaseStudy.themes.through
                through.objects.bulk_create(
                    [
                        through(casestudy_id=case.pk, theme_id=theme)
                        for case in cases
                        for theme in rng.sample(themes, 2)
                    ]
                )
                sdg_through = CaseStudy.sdgs.through
                sdg_through.objects.bulk_create(
                    [sdg_through(casestudy_id=case.pk, sdg_id=rng.choice(sdgs)) for case in cases]
                )
            self.stdout.write(f"  generated {start + size} cases", ending="\r")
        self.stdout.write(f"\nGenerated in {time.perf_counter() - started:.0f} s; indexing …")
        started = time.perf_counter()
        rebuild(batch_size=1000)
        self.stdout.write(f"Indexed in {time.perf_counter() - started:.0f} s.")

    def _organizations(self, rng: random.Random, countries: list[int]) -> list[int]:
        wanted = 300
        have = list(
            Organization.objects.filter(slug__startswith=SLUG_PREFIX).values_list("pk", flat=True)
        )
        if len(have) < wanted:
            Organization.objects.bulk_create(
                [
                    Organization(
                        name=f"Digital Government Agency {i}",
                        slug=f"{SLUG_PREFIX}agency-{i}",
                        acronym=f"DGA{i}",
                        kind=Organization.Kind.GOVERNMENT,
                        country_id=rng.choice(countries),
                    )
                    for i in range(len(have), wanted)
                ]
            )
        return list(
            Organization.objects.filter(slug__startswith=SLUG_PREFIX).values_list("pk", flat=True)
        )

    def _case(
        self, rng: random.Random, i: int, countries: list[int], orgs: list[int], now: Any
    ) -> CaseStudy:
        service, means = rng.choice(SERVICES), rng.choice(MEANS)
        published = now - timezone.timedelta(days=rng.randint(1, 7000))
        return CaseStudy(
            title=f"{means.capitalize()} for {service}",
            slug=f"{SLUG_PREFIX}{i}",
            country_id=rng.choice(countries),
            organization_id=rng.choice(orgs),
            year=published.year,
            summary=_paragraph(rng, 2),
            challenge=_paragraph(rng, 3),
            solution=_paragraph(rng, 3),
            results=_paragraph(rng, 2),
            lessons_learned=" ".join(rng.sample(LESSONS, 2)),
            status=CaseStudy.Status.PUBLISHED,
            published_at=published,
        )


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def _p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1] if len(values) > 1 else values[0]
