"""Helpers for the API's write serializers."""

from collections.abc import Iterable, Mapping
from typing import Any

from django.utils.translation import gettext
from rest_framework.exceptions import ValidationError


def refuse_non_text(data: Mapping[str, Any], names: Iterable[str]) -> None:
    """A 400 for a number or a list where text is expected: DRF would store 12 as "12",
    and a client's mistake would pass unnoticed. null stays for the fields to judge."""
    wrong = {
        name: [gettext("Give this as a string.")]
        for name in names
        if name in data and data[name] is not None and not isinstance(data[name], str)
    }
    if wrong:
        raise ValidationError(wrong, code="invalid")
