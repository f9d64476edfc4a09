"""The one search interface over published cases, used by the public pages and the API alike.

Callers build a `CaseSearch` (from a request's query string or by hand) and call
`paks.search.search_cases`; each database has its own backend behind that call.
"""

from __future__ import annotations

import dataclasses
import datetime
import functools
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, NamedTuple, Protocol

from django.db.models import QuerySet
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.safestring import SafeString
from django.utils.translation import get_language, gettext

from paks.models import CaseStudy
from paks.search.query import CONTROL, MAX_QUERY_LENGTH, clean

SORTS = ("relevance", "newest", "oldest", "title")
GROUPS = ("ldc", "lldc", "sids")
MAX_PER_PAGE = 100
YEARS = range(1900, 2101)

# Facet names, in the order the public page shows them, with the query parameter each filters.
FACETS = ("country", "region", "group", "theme", "sdg", "year", "organization")

Problems = tuple[tuple[str, str], ...]  # (parameter, what is wrong), in words for people


def _values(data: Mapping[str, Any], key: str) -> list[str]:
    """Every value of a parameter, from a QueryDict (repeated keys) or a plain dict."""
    values = data.getlist(key) if hasattr(data, "getlist") else data.get(key, ())
    if isinstance(values, str | int):
        values = [values]
    return [str(v) for v in values]


def _shown(value: str) -> str:
    """A value quoted back in a message, cut short."""
    return value if len(value) <= 40 else value[:40] + "…"


class _Reader:
    """Reads a query string leniently, noting each problem instead of raising."""

    def __init__(self, data: Mapping[str, Any]) -> None:
        self.data = data
        self.problems: list[tuple[str, str]] = []

    def note(self, key: str, message: str) -> None:
        self.problems.append((key, message))

    def one(self, key: str) -> str:
        values = [v.strip() for v in _values(self.data, key)]
        if len(values) > 1:
            # Translators: %(name)s is a query string parameter, as given (q, sort, page).
            once = gettext("Give “%(name)s” once; the first value was used.")
            self.note(key, once % {"name": key})
        if values and not values[0] and key != "q":
            self.note(key, gettext("Give “%(name)s” a value, or leave it out.") % {"name": key})
        return values[0] if values else ""

    def many(self, key: str) -> tuple[str, ...]:
        values = [v.strip() for v in _values(self.data, key)]
        if not all(values):
            self.note(key, gettext("Give “%(name)s” a value, or leave it out.") % {"name": key})
        return tuple(dict.fromkeys(v for v in values if v))

    def numbers(self, key: str, allowed: range, wrong: str) -> tuple[int, ...]:
        """`wrong`: the problem a value not allowed is noted as, with %(value)s."""
        found = []
        for value in self.many(key):
            if value.isascii() and value.isdigit() and int(value) in allowed:
                found.append(int(value))
            else:
                self.note(key, wrong % {"value": _shown(value)})
        return tuple(dict.fromkeys(found))

    def number(self, key: str, allowed: range, default: int, wrong: str) -> int:
        """`wrong`: the problem a value not allowed is noted as, with %(value)s."""
        value = self.one(key)
        if not value:
            return default
        if value.isascii() and value.isdigit() and int(value) in allowed:
            return int(value)
        self.note(key, wrong % {"value": _shown(value)})
        return default

    def per_page(self, default: int) -> int:
        """More than a page shows is the most it shows, said as a problem."""
        wrong = gettext("“%(value)s” is not a number of results.")
        size = self.number("per_page", range(1, 10**6), default, wrong)
        if size > MAX_PER_PAGE:
            self.note(
                "per_page",
                gettext("A page shows at most %(number)s results.") % {"number": MAX_PER_PAGE},
            )
        return min(size, MAX_PER_PAGE)

    def choice(self, key: str, choices: tuple[str, ...], default: str) -> str:
        value = self.one(key)
        if value and value not in choices:
            # Translators: %(choices)s are the values allowed, as given: relevance, newest, ...
            wrong = gettext("“%(value)s” is not one of %(choices)s.")
            self.note(key, wrong % {"value": _shown(value), "choices": ", ".join(choices)})
            return default
        return value or default

    def query(self) -> str:
        q = self.one("q")
        if CONTROL.search(q):
            self.note("q", gettext("The words had control characters; they were read as spaces."))
        if len(" ".join(CONTROL.sub(" ", q).split())) > MAX_QUERY_LENGTH:
            self.note(
                "q",
                gettext("Only the first %(number)s characters were searched.")
                % {"number": MAX_QUERY_LENGTH},
            )
        return clean(q)

    def codes(self) -> tuple[str, ...]:
        found = []
        for value in self.many("country"):
            if len(value) == 3 and value.isascii() and value.isalpha():
                found.append(value.upper())
            else:
                wrong = gettext("“%(value)s” is not a three-letter country code.")
                self.note("country", wrong % {"value": _shown(value)})
        return tuple(dict.fromkeys(found))

    def groups(self) -> tuple[str, ...]:
        found = []
        for value in self.many("group"):
            if value.lower() in GROUPS:
                found.append(value.lower())
            else:
                # Translators: ldc, lldc and sids are values of the query string, as given.
                wrong = gettext("“%(value)s” is not one of ldc, lldc, sids.")
                self.note("group", wrong % {"value": _shown(value)})
        return tuple(dict.fromkeys(found))

    def flag(self, key: str) -> bool:
        value = self.one(key).lower()
        if value in ("", "true", "1", "yes", "on"):
            return True
        if value not in ("false", "0", "no", "off"):
            wrong = gettext("“%(value)s” is neither true nor false.")
            self.note(key, wrong % {"value": _shown(value)})
            return True
        return False


@dataclass(frozen=True)
class CaseSearch:
    """What a visitor asked for: words, filters (AND across facets, OR within one), order,
    page, and whether to count facets."""

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
    facets: bool = True
    # Computed afresh, not from counts and rankings kept for this index version.
    fresh: bool = False
    # What was wrong with the query string: the page shows it, the API refuses it (400).
    problems: Problems = ()

    @classmethod
    def from_request(cls, request: Any, data: Mapping[str, Any] | None = None) -> CaseSearch:
        """The search a request's query string asks for; `Cache-Control: no-cache` asks for
        everything computed afresh."""
        search = cls.from_params(request.GET if data is None else data)
        fresh = "no-cache" in request.headers.get("Cache-Control", "")
        return dataclasses.replace(search, fresh=fresh)

    @classmethod
    def from_params(cls, data: Mapping[str, Any], *, per_page: int = 20) -> CaseSearch:
        """Read a query string leniently: malformed values are left out and noted in
        `problems`, never raised. (Values that name nothing are checked by the search.)"""
        read = _Reader(data)
        search = cls(
            q=read.query(),
            country=read.codes(),
            region=read.many("region"),
            group=read.groups(),
            theme=read.many("theme"),
            sdg=read.numbers(
                "sdg",
                range(1, 18),
                gettext("“%(value)s” is not an SDG number (1 to 17); it was left out."),
            ),
            year=read.numbers(
                "year", YEARS, gettext("“%(value)s” is not a year; it was left out.")
            ),
            organization=read.many("organization"),
            event=read.many("event"),
            sort=read.choice("sort", SORTS, "relevance"),
            page=read.number(
                "page", range(1, 10**6), 1, gettext("“%(value)s” is not a page number.")
            ),
            per_page=read.per_page(per_page),
            facets=read.flag("facets"),
        )
        return dataclasses.replace(search, problems=tuple(read.problems))

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


class CountryRef(NamedTuple):
    iso3: str
    name: str  # M49's, in English
    local_name: str  # in the language of the request

    def __str__(self) -> str:
        return self.name


class OrganizationRef(NamedTuple):
    slug: str
    name: str
    acronym: str
    short_name: str

    @property
    def display_name(self) -> str:
        return self.short_name or self.acronym or self.name

    def __str__(self) -> str:
        return f"{self.name} ({self.acronym})" if self.acronym else self.name


@dataclass(frozen=True, slots=True)
class CaseRow:
    """What a result shows of a case, read as plain values: a page of results needs a few
    columns of twenty cases, and model instances with their country and organization cost
    more than the whole search statement."""

    pk: int
    slug: str
    title: str
    year: int
    summary: str
    language: str
    published_at: datetime.datetime | None
    updated_at: datetime.datetime
    country: CountryRef
    organization: OrganizationRef | None
    # The sections a snippet may come from (empty when the query has no words).
    sections: tuple[str, ...] = ()

    def get_absolute_url(self) -> str:
        prefix, suffix = _case_address(get_urlconf(), get_script_prefix(), get_language())
        return f"{prefix}{self.slug}{suffix}"


SLUG_PLACEHOLDER = "slug-placeholder-0"


@functools.lru_cache(maxsize=64)
def _case_address(urlconf: str | None, script_prefix: str, language: str | None) -> tuple[str, str]:
    """A case page's path around its slug, reversed once for each prefix and language a
    page of twenty results is written in (slugs need no quoting)."""
    path = reverse("paks:case-detail", urlconf=urlconf, kwargs={"slug": SLUG_PLACEHOLDER})
    prefix, suffix = path.split(SLUG_PLACEHOLDER)
    return prefix, suffix


@dataclass(frozen=True)
class Hit:
    case: CaseStudy | CaseRow
    score: float
    snippet: SafeString  # escaped text with <mark> around matched words
    document_match: DocumentMatch | None = None


@dataclass(slots=True)
class FacetValue:
    """Not frozen: a facet may have thousands of values, and frozen ones are slower to make."""

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
    problems: Problems = ()  # what was wrong with the query string (parameter, reason)

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
