"""The API's JSON parser: a body nested too deep or with too long an array is refused with
the API's 400 before any field is read (a 1,000-deep body once ran out of stack)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import ngettext
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

MAX_DEPTH = 20  # the deepest the API's bodies go is 3 (a case's links)
MAX_ITEMS = 1000  # in any one array or object


def _too_deep() -> str:
    return ngettext(
        "The JSON body is nested deeper than %(depth)d level.",
        "The JSON body is nested deeper than %(depth)d levels.",
        MAX_DEPTH,
    ) % {"depth": MAX_DEPTH}


def check_shape(data: Any) -> None:
    """Raise ParseError when `data` is deeper than MAX_DEPTH or has a container with more
    than MAX_ITEMS entries; iterative, so depth costs no stack."""
    stack = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, dict | list):
            if depth > MAX_DEPTH:
                raise ParseError(_too_deep())
            if len(value) > MAX_ITEMS:
                raise ParseError(
                    ngettext(
                        "A JSON array or object in the body has over %(count)d item.",
                        "A JSON array or object in the body has over %(count)d items.",
                        MAX_ITEMS,
                    )
                    % {"count": MAX_ITEMS}
                )
            children = value.values() if isinstance(value, dict) else value
            stack.extend((child, depth + 1) for child in children)


class LimitedJSONParser(JSONParser):
    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> Any:
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError(_too_deep()) from None
        check_shape(data)
        return data
