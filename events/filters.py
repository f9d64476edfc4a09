"""Filters for the public event list, shared with the API where the same filters apply."""

import django_filters
from django.apps import apps
from django.db.models import Q, QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from countries.models import Country, Organization
from events.models import Event


def _years() -> list[tuple[int, int]]:
    years = Event.objects.public().dates("start", "year", order="DESC")
    return [(d.year, d.year) for d in years]


@extend_schema_field(OpenApiTypes.INT)
class YearFilter(django_filters.ChoiceFilter):
    """A year chosen from those that have events; an integer in the API schema."""


class EventFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=Event.Kind.choices, empty_label="Any kind")
    year = YearFilter(field_name="start__year", choices=_years, empty_label="Any year")
    country = django_filters.ModelChoiceFilter(
        label="Country (host or participant)",
        queryset=Country.objects.filter(
            Q(events__is_public=True) | Q(hosted_events__is_public=True)
        ).distinct(),
        to_field_name="iso3",
        method="filter_country",
        empty_label="Any country",
    )
    organizer = django_filters.ModelChoiceFilter(
        queryset=Organization.objects.filter(events__is_public=True).distinct(),
        field_name="organizations",
        to_field_name="slug",
        empty_label="Any organizer",
    )
    theme = django_filters.ModelChoiceFilter(
        # Themes live in the paks app, above this one: looked up by name, not imported.
        queryset=lambda request: apps.get_model("paks", "Theme").objects.all(),
        field_name="themes",
        to_field_name="slug",
        empty_label="Any theme",
    )

    class Meta:
        model = Event
        fields = ["kind", "year", "country", "organizer", "theme"]

    def filter_country(self, queryset: QuerySet[Event], name: str, value: Country) -> QuerySet:
        hosted = queryset.filter(country=value)
        took_part = queryset.filter(participations__country=value)
        return (hosted | took_part).distinct()
