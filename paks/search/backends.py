"""Choosing the backend for the default database."""

from django.db import connection

from paks.search.base import CaseSearch, SearchBackend, SearchResults


def get_backend() -> SearchBackend:
    """PostgreSQL full-text search, SQLite FTS5, or the substring baseline elsewhere."""
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
