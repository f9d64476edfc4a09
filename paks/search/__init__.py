"""Search over published cases: `search_cases(CaseSearch.from_params(request.GET))`."""

from paks.search.base import CaseSearch, DocumentMatch, FacetValue, Hit, SearchResults
from paks.search.naive import NaiveBackend


def get_backend() -> NaiveBackend:
    """The backend for the default database."""
    return NaiveBackend()


def search_cases(search: CaseSearch) -> SearchResults:
    return get_backend().search(search)


__all__ = ["CaseSearch", "DocumentMatch", "FacetValue", "Hit", "SearchResults", "search_cases"]
