"""Choosing the backend for the default database."""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.db import connection
from django.db.models import QuerySet

from paks.models import CaseStudy
from paks.search.base import CaseSearch, SearchBackend, SearchResults

# Set only by the benchmark, to serve the same pages with the substring baseline.
_override: ContextVar[SearchBackend | None] = ContextVar("search_backend", default=None)


@contextmanager
def using_backend(backend: SearchBackend) -> Iterator[None]:
    token = _override.set(backend)
    try:
        yield
    finally:
        _override.reset(token)


def get_backend() -> SearchBackend:
    """PostgreSQL full-text search, SQLite FTS5, or the substring baseline elsewhere."""
    override = _override.get()
    if override is not None:
        return override
    if connection.vendor == "postgresql":
        from paks.search.postgres import PostgresBackend

        return PostgresBackend()
    if connection.vendor == "sqlite":
        from paks.search.sqlite import SqliteBackend

        return SqliteBackend()
    from paks.search.naive import NaiveBackend

    return NaiveBackend()


def search_cases(search: CaseSearch) -> SearchResults:
    return get_backend().search(search)


def all_matching_cases(search: CaseSearch) -> QuerySet[CaseStudy]:
    return get_backend().all_matches(search)


def check_values(search: CaseSearch) -> CaseSearch:
    """The search without filter values that name nothing, with a problem noted for each."""
    from paks.search.engine import known_values
    from paks.search.filters import Labels
    from paks.search.index import version

    return known_values(search, Labels.current(version()))[0]
