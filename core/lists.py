"""Bounded lists: a detail page shows the first rows of a list and links to all of them."""

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest

# A detail page lists at most this many cases or events, the latest, with a link to all of
# them in the case search or the event list (both paginated).
SHOWN = 20


def first(rows: QuerySet[Any], n: int = SHOWN) -> tuple[list[Any], bool]:
    """The first `n` rows, and whether there are more (read as one query of n + 1 rows)."""
    found = list(rows[: n + 1])
    return found[:n], len(found) > n


@dataclass(frozen=True)
class Window:
    """One page of a list shown within a detail page, read as one query of n + 1 rows."""

    rows: list[Any]
    number: int
    param: str
    has_next: bool

    @property
    def has_previous(self) -> bool:
        return self.number > 1


def window(request: HttpRequest, rows: QuerySet[Any], *, param: str, n: int = 50) -> Window:
    """The page of `rows` that the query string's `param` asks for (the first without it or
    with a number that is not one), `n` rows long."""
    value = request.GET.get(param, "1")
    number = int(value) if value.isascii() and value.isdigit() and 0 < int(value) < 10**6 else 1
    found = list(rows[(number - 1) * n : number * n + 1])
    return Window(rows=found[:n], number=number, param=param, has_next=len(found) > n)
