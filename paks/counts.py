"""Published cases counted per country, region, theme and SDG, for the public pages.

Each count is one grouped query over the published cases, kept in the cache under the search
index's version token (`paks.search.index.version`). The token changes, in the database and
so for every process, with every change to what the public sees of a case: published,
archived, deleted, moved to another country, given other themes or SDGs, or a country's region
renamed. A page reads the token (one query by primary key) and the cache entry, never the
cases; no entry is ever dropped, since a change makes a new key and old entries expire.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from django.core.cache import cache
from django.db.models import Count

from events.models import Event
from paks.models import CaseStudy, Document
from paks.search import index

# Part of every key: a release that stores the counts differently never reads old entries.
FORMAT = "counts-1"
# An entry outlives its version by at most this; it is never read after the version moves on.
SECONDS = 24 * 3600

T = TypeVar("T")


@dataclass(frozen=True)
class CaseCounts:
    """Published cases: per country id, per M49 region name (not "") and in all."""

    by_country: dict[int, int]
    by_region: dict[str, int]
    total: int

    @property
    def countries(self) -> int:
        """How many countries have a published case."""
        return len(self.by_country)


def _kept(kind: str, compute: Callable[[], T]) -> T:
    version = index.version()
    if not version:  # nothing was ever indexed: no token to keep the counts under
        return compute()
    key = f"paks:{FORMAT}:{kind}:{version}"
    counts = cache.get(key)
    if counts is None:
        counts = compute()
        cache.set(key, counts, timeout=SECONDS)
    return counts


def _by_country() -> CaseCounts:
    rows = (
        CaseStudy.objects.published()
        .values_list("country_id", "country__region_name")
        .annotate(n=Count("pk"))
        .order_by()
    )
    by_country: dict[int, int] = {}
    by_region: dict[str, int] = {}
    for country_id, region, n in rows:
        by_country[country_id] = n
        if region:
            by_region[region] = by_region.get(region, 0) + n
    return CaseCounts(
        by_country=by_country,
        by_region=dict(sorted(by_region.items())),
        total=sum(by_country.values()),
    )


def _by_relation(relation: str) -> dict[int, int]:
    rows = (
        CaseStudy.objects.published()
        .filter(**{f"{relation}__isnull": False})
        .values_list(relation)
        .annotate(n=Count("pk"))
        .order_by()
    )
    return dict(rows)


def case_counts() -> CaseCounts:
    """Published cases per country and region, and their total."""
    return _kept("country", _by_country)


def theme_counts() -> dict[int, int]:
    """Published cases per theme id (themes without any are left out)."""
    return _kept("theme", lambda: _by_relation("themes"))


def sdg_counts() -> dict[int, int]:
    """Published cases per SDG id (goals without any are left out)."""
    return _kept("sdg", lambda: _by_relation("sdgs"))


def _by_year() -> dict[int, int]:
    rows = CaseStudy.objects.published().values_list("year").annotate(n=Count("pk")).order_by()
    return dict(rows)


def year_counts() -> dict[int, int]:
    """Published cases per year of the initiative."""
    return _kept("year", _by_year)


@dataclass(frozen=True)
class AllCounts:
    cases: CaseCounts
    themes: dict[int, int]
    sdgs: dict[int, int]
    years: dict[int, int]


def all_counts() -> AllCounts:
    """Every count at once, kept under one key: for a page that shows them all."""
    return _kept(
        "all",
        lambda: AllCounts(_by_country(), _by_relation("themes"), _by_relation("sdgs"), _by_year()),
    )


@dataclass(frozen=True)
class Headline:
    """What the knowledge space holds, in four figures (the home and statistics pages)."""

    cases: int  # published good practices
    countries: int  # countries with one
    events: int  # public events
    presentations: int  # public documents of kind presentation


def headline(counts: CaseCounts) -> Headline:
    """The four figures: the cases from the kept counts, events and presentations counted
    (two queries)."""
    return Headline(
        cases=counts.total,
        countries=counts.countries,
        events=Event.objects.public().count(),
        presentations=Document.objects.public().filter(kind=Document.Kind.PRESENTATION).count(),
    )
