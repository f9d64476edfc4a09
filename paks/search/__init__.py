"""Search over published cases: `search_cases(CaseSearch.from_params(request.GET))`.

This package is also the `search` Django app (its index models and migrations), so the
names below are imported lazily: an app package must not import models while Django loads.
"""

from typing import Any

__all__ = [
    "CaseSearch",
    "DocumentMatch",
    "FacetValue",
    "Hit",
    "SearchResults",
    "get_backend",
    "search_cases",
]


def __getattr__(name: str) -> Any:
    if name in {"CaseSearch", "DocumentMatch", "FacetValue", "Hit", "SearchResults"}:
        from paks.search import base

        return getattr(base, name)
    if name in {"get_backend", "search_cases"}:
        from paks.search import backends

        return getattr(backends, name)
    raise AttributeError(f"module 'paks.search' has no attribute {name!r}")
