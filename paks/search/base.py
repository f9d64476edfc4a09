"""The one search interface over published cases, used by the public pages and the API alike.

Callers build a `CaseSearch` (from a request's query string or by hand) and call
`paks.search.search_cases`; each database has its own backend behind that call.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from django.db.models import QuerySet
from django.utils.safestring import SafeString

from paks.models import CaseStudy

SORTS = ("relevance", "newest", "oldest", "title")
GROUPS = ("ldc", "lldc", "sids")
MAX_QUERY_LENGTH = 500
MAX_PER_PAGE = 100

# Facet names, in the order the public page shows them, with the query parameter each filters.
FACETS = ("country", "region", "group", "theme", "sdg", "year", "organization")


def _many(data: Mapping[str, Any], key: str) -> tuple[str, ...]:
    """All non-blank values of a parameter, from a QueryDict (repeated keys) or a plain dict."""
    values = data.getlist(key) if hasattr(data, "getlist") else data.get(key, ())
    if isinstance(values, str | int):
        values = [values]
    return tuple(dict.fromkeys(str(v).strip() for v in values if str(v).strip()))


def _ints(values: tuple[str, ...]) -> tuple[int, ...]:
    return tuple(int(v) for v in values if v.isdigit() and len(v) <= 4)


@dataclass(frozen=True)
class CaseSearch:
    """What a visitor asked for: words, filters (AND across facets, OR within one), order, page."""

    q: str = ""
    country: tuple[str, ...] = ()  # ISO alpha-3 codes
    region: tuple[str, ...] = ()  # M49 region names
    group: tuple[str, ...] = ()  # ldc, lldc, sids
    theme: tuple[str, ...] = ()  # theme slugs
    sdg: tuple[int, ...] = ()  # SDG numbers
    year: tuple[int, ...] = ()
    organization: tuple[str, ...] = ()  # organization slugs
    event: tuple[str, ...] = ()  # event slugs
    sort: str = "relevance"
    page: int = 1
    per_page: int = 20

    @classmethod
    def from_params(cls, data: Mapping[str, Any], *, per_page: int = 20) -> CaseSearch:
        """Read a query string leniently: unknown or malformed values are dropped, never raised."""
        page_values = _ints(_many(data, "page"))
        size_values = _ints(_many(data, "per_page"))
        sort = (_many(data, "sort") or ("",))[0]
        return cls(
            q=" ".join((_many(data, "q") or ("",))[0].split())[:MAX_QUERY_LENGTH],
            country=tuple(dict.fromkeys(c.upper() for c in _many(data, "country") if len(c) == 3)),
            region=_many(data, "region"),
            group=tuple(g for g in (v.lower() for v in _many(data, "group")) if g in GROUPS),
            theme=_many(data, "theme"),
            sdg=tuple(n for n in _ints(_many(data, "sdg")) if 1 <= n <= 17),
            year=_ints(_many(data, "year")),
            organization=_many(data, "organization"),
            event=_many(data, "event"),
            sort=sort if sort in SORTS else "relevance",
            page=max(1, page_values[0]) if page_values else 1,
            per_page=min(MAX_PER_PAGE, max(1, size_values[0])) if size_values else per_page,
        )

    @property
    def has_filters(self) -> bool:
        return any(getattr(self, name) for name in (*FACETS, "event"))

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.per_page


@dataclass(frozen=True)
class DocumentMatch:
    """Where the words were found inside one of the case's documents."""

    document_id: int
    title: str
    page: int | None  # page, slide or sheet number; None when the format has no pages
    snippet: SafeString
    unit: str = "page"  # what a page is called in this format: "page", "slide" or "sheet"


@dataclass(frozen=True)
class Hit:
    case: CaseStudy
    score: float
    snippet: SafeString  # escaped text with <mark> around matched words
    document_match: DocumentMatch | None = None


@dataclass(frozen=True)
class FacetValue:
    value: str  # what goes in the query string
    label: str
    count: int
    selected: bool


@dataclass
class SearchResults:
    search: CaseSearch
    hits: list[Hit]
    total: int
    facets: dict[str, list[FacetValue]] = field(default_factory=dict)
    suggestion: str | None = None  # "did you mean", when nothing was found
    message: str | None = None  # why the query was changed or not run

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.search.per_page))

    @property
    def has_next(self) -> bool:
        return self.search.page < self.pages

    @property
    def has_previous(self) -> bool:
        return self.search.page > 1


class SearchBackend(Protocol):
    def search(self, search: CaseSearch) -> SearchResults: ...

    def all_matches(self, search: CaseSearch) -> QuerySet[CaseStudy]:
        """Every published case the query and filters match, in the search's order
        (newest first for relevance): for exports, which are not paged."""
        ...
