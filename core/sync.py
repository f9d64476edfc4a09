"""Keeping a mirror in step: every API list also answers in the order things changed.

A member institution that mirrors the knowledge space reads a list once in full, then asks
only for what changed: `?updated_since=2026-12-01T00:00:00Z` lists the items changed at or
after that moment, oldest change first, in pages linked by an opaque `cursor` (`next`). A
page is never shifted by changes made while the client reads (as numbered pages are): a
cursor points after the last item read. Items that left a list are in the tombstone feed
(`/api/v1/deleted/`). A client should start its next read a little before the newest
`updated_at` it saw (a write can commit a moment after it is stamped) and apply items by
their key, so that reading one twice changes nothing.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import BasePagination, CursorPagination
from rest_framework.request import Request
from rest_framework.response import Response

UPDATED_SINCE = "updated_since"
CURSOR = "cursor"
PAGE_SIZE = "page_size"


def updated_since(request: Request) -> datetime.datetime | None:
    """The moment `?updated_since=` names (ISO 8601; a date means its start, UTC), or None."""
    values = request.query_params.getlist(UPDATED_SINCE)
    if not values:
        return None
    moment = None
    if len(values) == 1:
        text = values[0].strip().replace(" ", "+")  # a "+" left unencoded in a URL is a space
        try:
            moment = parse_datetime(text)
            if moment is None and (day := parse_date(text)) is not None:
                moment = datetime.datetime.combine(day, datetime.time())
        except ValueError:  # well formed but impossible, such as month 13
            moment = None
    if moment is None:
        raise ValidationError(
            {
                UPDATED_SINCE: [
                    gettext("Give one date and time in ISO 8601, e.g. 2026-12-01T09:30:00Z.")
                ]
            },
            code="invalid",
        )
    if timezone.is_naive(moment):
        return timezone.make_aware(moment, datetime.UTC)
    try:
        # In UTC: PostgreSQL takes offsets up to 15:59 only, ISO 8601 writes up to 23:59.
        return moment.astimezone(datetime.UTC)
    except OverflowError:  # past the ends of the calendar in UTC: before year 1, after 9999
        edge = datetime.datetime.max if moment.year == 9999 else datetime.datetime.min
        return edge.replace(tzinfo=datetime.UTC)


def wants_changes(request: Request) -> bool:
    """Does the request read a list in the order of change?"""
    params = request.query_params
    return UPDATED_SINCE in params or bool(params.get(CURSOR))


class ChangePagination(CursorPagination):
    """Pages in the order of change: `updated_at`, then the primary key among equals."""

    page_size = 20
    page_size_query_param = PAGE_SIZE
    max_page_size = 100
    cursor_query_param = CURSOR

    def __init__(self, field: str = "updated_at") -> None:
        self.ordering = (field, "pk")

    def get_ordering(self, request: Request, queryset: QuerySet[Any], view: Any) -> tuple[str, ...]:
        # The list's own `?ordering=` does not apply: a mirror needs the order of change.
        return tuple(self.ordering)

    def paginate_queryset(
        self, queryset: QuerySet[Any] | Sequence[Any], request: Request, view: Any = None
    ) -> list[Any] | None:
        # How many items changed since the moment: the same `count` as numbered pages give,
        # so a client (and the schema) reads both alike.
        self.count = queryset.count() if isinstance(queryset, QuerySet) else len(queryset)
        return super().paginate_queryset(queryset, request, view)

    def get_paginated_response(self, data: Any) -> Response:
        return Response(
            {
                "count": self.count,
                "next": self.get_next_link(),
                "previous": self.get_previous_link(),
                "results": data,
            }
        )

    def get_paginated_response_schema(self, schema: dict[str, Any]) -> dict[str, Any]:
        described = super().get_paginated_response_schema(schema)
        described["properties"] = {"count": {"type": "integer"}, **described["properties"]}
        described["required"] = ["count", "results"]
        return described

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"].update(minimum=1, maximum=self.max_page_size)
        return parameters

    def get_page_size(self, request: Request) -> int:
        values = request.query_params.getlist(PAGE_SIZE)
        if not values:
            return self.page_size
        if len(values) > 1 or not values[0].isdigit() or not 1 <= int(values[0]) <= 100:
            raise ValidationError(
                {PAGE_SIZE: [gettext("Give one whole number from 1 to 100.")]}, code="invalid"
            )
        return int(values[0])

    def decode_cursor(self, request: Request) -> Any:
        try:
            return super().decode_cursor(request)
        except NotFound as exc:  # DRF's "Invalid cursor": a page that is not there, as DRF
            # says, with the parameter named
            raise NotFound(
                {CURSOR: [gettext("This cursor is not one the API gave; start again without it.")]}
            ) from exc


if TYPE_CHECKING:
    from rest_framework.viewsets import GenericViewSet

    _ViewSet = GenericViewSet[Any]
else:
    _ViewSet = object  # a mixin: the view set it is mixed into comes after it


class ChangesList(_ViewSet):
    """A list that also answers `?updated_since=` and `?cursor=` in the order of change.

    Without them the list pages and orders as before.
    """

    changed_field = "updated_at"

    def in_change_order(self) -> bool:
        return self.action == "list" and wants_changes(self.request)

    @property
    def paginator(self) -> BasePagination | None:
        if self.in_change_order():
            if not isinstance(getattr(self, "_change_paginator", None), ChangePagination):
                self._change_paginator = ChangePagination(self.changed_field)
            return self._change_paginator
        return super().paginator

    def filter_queryset(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        queryset = super().filter_queryset(queryset)
        if self.action == "list":
            since = updated_since(self.request)
            if since is not None:
                queryset = queryset.filter(**{f"{self.changed_field}__gte": since})
        return queryset
