"""Bounded lists: a detail page shows the first rows of a list and links to all of them."""

from typing import Any

from django.db.models import QuerySet

# A detail page lists at most this many cases or events, the latest, with a link to all of
# them in the case search or the event list (both paginated).
SHOWN = 20


def first(rows: QuerySet[Any], n: int = SHOWN) -> tuple[list[Any], bool]:
    """The first `n` rows, and whether there are more (read as one query of n + 1 rows)."""
    found = list(rows[: n + 1])
    return found[:n], len(found) > n
