"""Filter sets for the API's lists."""

from typing import Any, ClassVar

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext
from rest_framework.exceptions import ValidationError


class StrictFilterSet(django_filters.FilterSet):
    """A choice, a yes/no or a code given blank is the client's mistake (400), not "any":
    django-filter on its own skips it as if the parameter were not there. Free text may be
    blank; `not_blank` names text filters that may not (codes with a pattern)."""

    not_blank: ClassVar[tuple[str, ...]] = ()

    def filter_queryset(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        getlist = getattr(self.data, "getlist", None)
        for name, declared in self.filters.items():
            text = isinstance(declared, django_filters.CharFilter) and name not in self.not_blank
            values = getlist(name) if getlist and not text else []
            if any(not str(value).strip() for value in values):
                raise ValidationError(
                    {name: [gettext("Give a value, or leave the parameter out.")]}, code="invalid"
                )
        return super().filter_queryset(queryset)
