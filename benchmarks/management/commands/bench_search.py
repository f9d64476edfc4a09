"""Benchmark the public search against the substring baseline, in one run, on one database.

Run it on a database of its own: it adds thousands of generated cases, and refuses a database
that holds content no benchmark generated unless given --allow-existing-content.

    DJANGO_SETTINGS_MODULE=benchmarks.settings \\
        DATABASE_URL=postgres://postgres@127.0.0.1:5432/paks_bench \\
        python manage.py bench_search --cases 100000
    DJANGO_SETTINGS_MODULE=benchmarks.settings DATABASE_URL=sqlite:////tmp/paks-bench.sqlite3 \\
        python manage.py bench_search --cases 10000
"""

from __future__ import annotations

import datetime
import random
import statistics
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, reset_queries, transaction
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from benchmarks.guard import MARK, add_allow_flag, refuse_foreign_content
from countries.models import Country, Organization
from paks.api.throttling import AnonymousRateThrottle
from paks.models import CaseStudy, Document
from paks.search.backends import get_backend, using_backend
from paks.search.index import rebuild
from paks.search.models import CaseIndex
from paks.search.naive import NaiveBackend
from taxonomy.models import SDG, Theme

# Fixed requests of the kinds visitors make: topics, phrases, alternatives, exclusions,
# broad words that match many cases, and words with the filters, sorts and pages people
# combine them with.
QUERIES: list[dict[str, str | list[str]]] = [
    {"q": "land registration"},
    {"q": "mobile payments"},
    {"q": '"one-stop shop"'},
    {"q": "floods or cyclones"},
    {"q": "health records -telemedicine"},
    {"q": "open data portal"},
    {"q": "pensions"},
    {"q": "interoperability registries"},
    {"q": "training programme"},
    {"q": "women entrepreneurs"},
    {"q": "land registration", "country": "BGD"},
    {"q": "mobile payments", "region": "Africa"},
    {"q": "pensions", "group": "ldc", "year": "2019"},
    {"q": "training", "sdg": ["4", "8"], "sort": "newest"},
    {"q": "the", "page": "2"},
    {"q": "", "region": "Asia", "group": "sids"},
]
SLUG_PREFIX = MARK  # the generated cases and organizations are the benchmarks' own

# A corpus where, as in real collections, each case is about one sector and a couple of
# technologies: a query matches a few percent of the cases, a generic word many more.
SECTORS = {
    "land": "land registration cadastre parcels titles surveyors boundaries deeds",
    "health": "health records clinics patients vaccination hospitals telemedicine nurses",
    "education": "school enrolment teachers pupils examinations scholarships curriculum",
    "tax": "tax filing revenue taxpayers returns invoices customs duties",
    "business": "business licensing permits enterprises registration start-ups trade",
    "social": "social protection pensions benefits cash transfers households poverty",
    "justice": "court records judges cases hearings prosecutors legal aid",
    "agriculture": "agricultural extension farmers crops harvest irrigation livestock",
    "disaster": "disaster alerts floods cyclones early warning evacuation resilience",
    "identity": "civil registration birth certificates identity cards population register",
    "procurement": "public procurement tenders suppliers contracts bids auditing",
    "transport": "vehicle registration driving licences roads transport fares",
    "water": "water utilities billing sanitation meters supply tariffs",
    "migration": "passport renewal visas border migrants residence permits",
    "municipal": "municipal services waste collection building permits local councils",
    "employment": "employment services jobseekers vacancies training apprenticeships",
    "energy": "electricity connections grid solar energy tariffs meters",
    "statistics": "census surveys indicators statistics household data",
    "environment": "environmental permits pollution forests emissions monitoring",
    "tourism": "tourism visitors heritage sites hotels bookings",
}
TECHNOLOGIES = {
    "mobile": "mobile app smartphones mobile payments USSD",
    "portal": "integrated service portal single window one-stop shop",
    "opendata": "open data portal datasets transparency reuse",
    "exchange": "data exchange layer interoperability registries once-only",
    "kiosks": "kiosks community service centres assisted access",
    "cloud": "government cloud hosting data centres",
    "eid": "digital identity electronic signatures authentication",
    "sms": "SMS notifications text messages reminders",
    "broadband": "broadband backbone connectivity fibre last mile",
    "chatbot": "chatbot virtual assistant artificial intelligence",
    "gis": "geographic information systems maps satellite imagery",
    "participation": "e-participation consultations petitions citizen feedback",
    "blockchain": "blockchain ledger tamper-proof records",
    "payments": "electronic payments digital wallets online fees",
}
PEOPLE = [
    "rural citizens", "women entrepreneurs", "small businesses", "persons with disabilities",
    "older people", "young people", "migrant workers", "local governments", "civil servants",
]  # fmt: skip
OUTCOMES = [
    "cut waiting times by half", "reduced visits to offices", "improved transparency",
    "raised user satisfaction", "lowered the cost of service delivery", "reduced corruption",
    "reached remote areas", "strengthened accountability", "saved paper and travel",
]  # fmt: skip
FILLER = [
    "the",
    "ministry",
    "agency",
    "department",
    "programme",
    "project",
    "pilot",
    "phase",
    "rollout",
    "budget",
    "staff",
    "management",
    "coordination",
    "committee",
    "policy",
    "framework",
    "law",
    "regulation",
    "standard",
    "guideline",
    "capacity",
    "workshop",
    "training",
    "evaluation",
    "monitoring",
    "report",
    "review",
    "plan",
    "strategy",
    "vision",
    "partner",
    "donor",
    "cooperation",
    "support",
    "investment",
    "maintenance",
    "security",
    "privacy",
    "protection",
    "quality",
    "efficiency",
    "access",
    "inclusion",
    "users",
    "feedback",
    "design",
    "process",
    "workflow",
    "reform",
]
LESSONS = [
    "Legal reform must come before technology.", "Start with the most used services.",
    "Train civil servants early.", "Measure uptake from the first day.",
    "Partnerships with the private sector keep costs down.", "Design with the users.",
    "Interoperability standards save money later.", "Keep an assisted channel for everyone.",
]  # fmt: skip


@dataclass
class Topic:
    sector: str
    technologies: list[str]

    def terms(self) -> list[str]:
        words = SECTORS[self.sector].split()
        for tech in self.technologies:
            words += TECHNOLOGIES[tech].split()
        return words


def _sentence(rng: random.Random, topic: Topic) -> str:
    terms = topic.terms()
    words = rng.sample(terms, 3) + rng.sample(FILLER, 5)
    rng.shuffle(words)
    return f"{' '.join(words).capitalize()} for {rng.choice(PEOPLE)} {rng.choice(OUTCOMES)}."


def _paragraph(rng: random.Random, topic: Topic, n: int) -> str:
    return " ".join(_sentence(rng, topic) for _ in range(n))


@contextmanager
def _unthrottled() -> Iterator[None]:
    """The rate limits (the API's and the HTML search's) would measure the limit, not the
    search."""
    saved = AnonymousRateThrottle.THROTTLE_RATES
    AnonymousRateThrottle.THROTTLE_RATES = {**saved, "anon": None}
    try:
        with override_settings(PAKS_SEARCH_RATE=""):
            yield
    finally:
        AnonymousRateThrottle.THROTTLE_RATES = saved


def add_corpus_arguments(parser: CommandParser, *, cases: int) -> None:
    """The options of the generated corpus (see `Command.prepare`), for every benchmark."""
    parser.add_argument("--cases", type=int, default=cases, help="corpus size (N)")
    parser.add_argument("--seed", type=int, default=2024)
    add_allow_flag(parser)


class Command(BaseCommand):
    help = "Measure the search page with facets against the icontains baseline."

    def add_arguments(self, parser: CommandParser) -> None:
        add_corpus_arguments(parser, cases=10_000)
        parser.add_argument("--runs", type=int, default=10, help="timed runs per query, ours")
        parser.add_argument(
            "--baseline-runs", type=int, default=3, help="timed runs per query, baseline"
        )
        parser.add_argument(
            "--endpoints",
            nargs="+",
            choices=["page", "api"],
            default=["page", "api"],
            help="which to measure (the baseline takes 40 s a request at 1,000,000 cases)",
        )

    def prepare(self, options: dict[str, Any]) -> None:
        """What every benchmark starts from: a database of its own (or leave to write into
        another), the reference tables, and the generated corpus of `--cases` cases."""
        refuse_foreign_content(allow=options["allow_existing_content"])
        if not Country.objects.exists():
            call_command("load_reference", verbosity=0)
        self.ensure_corpus(options["cases"], options["seed"])

    def handle(self, *args: Any, **options: Any) -> None:
        self.prepare(options)
        settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
        client = Client()
        backend = type(get_backend()).__name__
        rows = []
        endpoints = {"page": reverse("paks:case-list"), "API": reverse("api-v1:case-list")}
        for label, url in endpoints.items():
            if label.lower() not in options["endpoints"]:
                continue
            with _unthrottled():
                computed = self._measure(client, url, options["runs"], fresh=True)
                repeated = self._measure(client, url, options["runs"], fresh=False)
                baseline = None  # --baseline-runs 0: ours alone, no ratios
                if options["baseline_runs"]:
                    with using_backend(NaiveBackend()):
                        baseline = self._measure(
                            client, url, options["baseline_runs"], fresh=True, warm=False
                        )
            if options["verbosity"] >= 2:
                self._by_query(label, computed[0], options["runs"])
            rows.append((f"{label}, {backend}", computed, baseline))
            rows.append((f"{label}, repeated", repeated, baseline))
            if baseline:
                rows.append((f"{label}, icontains baseline", baseline, None))
        n = CaseStudy.objects.published().count()
        self.stdout.write(f"\n{connection.vendor}, {n} published cases, 20 results + facets")
        self.stdout.write(f"{'':32}{'median':>10}{'p95':>10}{'queries':>9}{'ratio':>8}")
        for name, (times, queries), baseline in rows:
            ratio = (
                f"{statistics.median(baseline[0]) / statistics.median(times):.1f}x"
                if baseline
                else ""
            )
            self.stdout.write(
                f"{name:32}{_ms(statistics.median(times)):>10}{_ms(_p95(times)):>10}"
                f"{queries:>9}{ratio:>8}"
            )
        self.stdout.write(
            "ratio: the baseline's median / ours, for the same request. Computed: every "
            "request asks for a fresh answer (Cache-Control: no-cache). Repeated: the same "
            "request again, answered from the counts and ranking kept for this index version."
        )

    def _by_query(self, label: str, times: list[float], runs: int) -> None:
        """Each query's median computed time (-v 2): where the slow requests come from."""
        self.stdout.write(f"\n{label}, computed, by query (median of {runs}):")
        for i, params in enumerate(QUERIES):
            own = times[i * runs : (i + 1) * runs]
            self.stdout.write(f"  {_ms(statistics.median(own)):>10}  {params}")

    def _measure(
        self, client: Client, url: str, runs: int, *, fresh: bool, warm: bool = True
    ) -> tuple[list[float], int]:
        times: list[float] = []
        queries = set()
        # no-cache: every request is computed, as for a query nobody asked before.
        headers = {"Cache-Control": "no-cache"} if fresh else {}
        for params in QUERIES:
            if warm:  # as a busy site would have them (the baseline keeps nothing)
                client.get(url, params)
            for _ in range(runs):
                reset_queries()
                with CaptureQueriesContext(connection) as ctx:
                    started = time.perf_counter()
                    response = client.get(url, params, headers=headers)
                    times.append(time.perf_counter() - started)
                if response.status_code != 200:
                    raise CommandError(f"{params!r} answered {response.status_code}")
                queries.add(len(ctx))
        return times, max(queries)

    def ensure_corpus(self, wanted: int, seed: int) -> None:
        """Generate published cases with their documents until there are `wanted` of them."""
        existing = CaseStudy.objects.filter(slug__startswith=SLUG_PREFIX).count()
        if existing >= wanted:
            if CaseIndex.objects.count() != CaseStudy.objects.published().count():
                self.index()  # an earlier run stopped while indexing
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
                topics = [
                    Topic(rng.choice(list(SECTORS)), rng.sample(list(TECHNOLOGIES), 2))
                    for _ in range(size)
                ]
                cases = CaseStudy.objects.bulk_create(
                    [
                        self._case(rng, start + i, topic, countries, orgs, now)
                        for i, topic in enumerate(topics)
                    ]
                )
                Document.objects.bulk_create(
                    [
                        Document(
                            case=case,
                            title=f"Presentation {case.slug}.pdf",
                            external_url=f"https://example.org/{case.slug}.pdf",
                            media_type="application/pdf",
                            page_count=4,
                            extracted_text="\f".join(_paragraph(rng, topic, 4) for _ in range(4)),
                            state="done",
                        )
                        for case, topic in zip(cases, topics, strict=True)
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
        self.index()

    def index(self) -> None:
        started = time.perf_counter()
        rebuild(batch_size=1000)
        # Fresh planner statistics and visibility maps, as autovacuum keeps them on a live
        # database (VACUUM cannot run inside a transaction, as in a test).
        vacuum = connection.vendor == "postgresql" and not connection.in_atomic_block
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE" if vacuum else "ANALYZE")
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
        self,
        rng: random.Random,
        i: int,
        topic: Topic,
        countries: list[int],
        orgs: list[int],
        now: Any,
    ) -> CaseStudy:
        published = now - datetime.timedelta(days=rng.randint(1, 7000))
        tech = " ".join(TECHNOLOGIES[topic.technologies[0]].split()[:3])
        sector = " ".join(SECTORS[topic.sector].split()[:2])
        return CaseStudy(
            title=f"{tech.capitalize()} for {sector}",
            slug=f"{SLUG_PREFIX}{i}",
            country_id=rng.choice(countries),
            organization_id=rng.choice(orgs),
            year=published.year,
            summary=_paragraph(rng, topic, 2),
            challenge=_paragraph(rng, topic, 3),
            solution=_paragraph(rng, topic, 3),
            results=_paragraph(rng, topic, 2),
            lessons_learned=" ".join(rng.sample(LESSONS, 2)),
            status=CaseStudy.Status.PUBLISHED,
            published_at=published,
        )


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def _p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1] if len(values) > 1 else values[0]
