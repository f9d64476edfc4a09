"""Filters for the public event list, shared with the API where the same filters apply."""

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from core.filters import StrictFilterSet
from countries.models import Country, Organization
from events.models import Event, Participation
from taxonomy.models import SDG, Theme


def _years() -> list[tuple[int, int]]:
    years = Event.objects.public().dates("start", "year", order="DESC")
    return [(d.year, d.year) for d in years]


@extend_schema_field(OpenApiTypes.INT)
class YearFilter(django_filters.ChoiceFilter):
    """A year chosen from those that have events; an integer in the API schema."""


@extend_schema_field({"type": "integer", "minimum": 1900, "maximum": 2100})
class IntegerFilter(django_filters.NumberFilter):
    field_class = forms.IntegerField


@extend_schema_field({"type": "integer", "minimum": 1, "maximum": 17})
class SDGNumberFilter(django_filters.NumberFilter):
    field_class = forms.IntegerField


class EventFilter(django_filters.FilterSet):
    # Every filter names its label: the one django-filter derives from a lookup such as
    # start__year is "[invalid name]", and from a many-to-many field its plural.
    kind = django_filters.ChoiceFilter(
        label=pgettext_lazy("the type of an organization or event", "Kind"),
        choices=Event.Kind.choices,
        empty_label=pgettext_lazy("the type of an organization or event", "Any kind"),
    )
    year = YearFilter(
        label=_("Year"), field_name="start__year", choices=_years, empty_label=_("Any year")
    )
    country = django_filters.ModelChoiceFilter(
        label=_("Country (host or participant)"),
        queryset=Country.objects.filter(
            Q(events__is_public=True) | Q(hosted_events__is_public=True)
        ).distinct(),
        to_field_name="iso3",
        method="filter_country",
        empty_label=_("Any country"),
    )
    organizer = django_filters.ModelChoiceFilter(
        label=_("Organizer"),
        queryset=Organization.objects.filter(events__is_public=True).distinct(),
        field_name="organizations",
        to_field_name="slug",
        empty_label=_("Any organizer"),
    )
    theme = django_filters.ModelChoiceFilter(
        label=_("Theme"),
        queryset=Theme.objects.all(),
        field_name="themes",
        to_field_name="slug",
        empty_label=_("Any theme"),
    )
    sdg = django_filters.ModelChoiceFilter(
        # Translators: Sustainable Development Goal.
        label=_("SDG"),
        queryset=SDG.objects.all(),
        field_name="sdgs",
        to_field_name="number",
        empty_label=_("Any goal"),
    )

    class Meta:
        model = Event
        fields = ["kind", "year", "country", "organizer", "theme", "sdg"]

    def filter_country(self, queryset: QuerySet[Event], name: str, value: Country) -> QuerySet:
        hosted = queryset.filter(country=value)
        took_part = queryset.filter(participations__country=value)
        return (hosted | took_part).distinct()


class EventApiFilter(StrictFilterSet, EventFilter):
    """The API's filters take any value: one that matches nothing finds no events."""

    year = IntegerFilter(label=_("Year"), field_name="start__year", min_value=1900, max_value=2100)
    country = django_filters.CharFilter(
        method="filter_country_code",
        help_text="ISO 3166 alpha-3 code of the host or of a participating country.",
    )
    organizer = django_filters.CharFilter(
        field_name="organizations__slug", distinct=True, help_text="An organizer's slug."
    )
    theme = django_filters.CharFilter(
        field_name="themes__slug", distinct=True, help_text="A theme's slug."
    )
    sdg = SDGNumberFilter(
        field_name="sdgs__number",
        distinct=True,
        min_value=1,
        max_value=17,
        help_text="An SDG's number.",
    )

    class Meta(EventFilter.Meta):
        pass

    def filter_country_code(self, queryset: QuerySet[Event], name: str, value: str) -> QuerySet:
        code = value.strip().upper()
        took_part = Participation.objects.filter(country__iso3=code).values("event")
        return queryset.filter(Q(country__iso3=code) | Q(pk__in=took_part))
