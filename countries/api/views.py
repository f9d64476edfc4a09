import django_filters
from django import forms
from django.db.models import Prefetch, QuerySet
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import filters, viewsets

from countries.api.serializers import (
    CountryDetailSerializer,
    CountrySerializer,
    OrganizationSerializer,
)
from countries.models import Country, EGovScore, Organization


class StrictBooleanField(forms.NullBooleanField):
    """`true` or `false` (or 1/0); anything else is an error, not silently "any"."""

    widget = forms.TextInput  # the select widget would turn unknown values into "any"

    # None is "any", as in Django's NullBooleanField, whose stub is just as much at odds with
    # BooleanField's.
    def to_python(self, value: object) -> bool | None:  # type: ignore[override]
        if value in (None, ""):
            return None
        if value in (True, "true", "True", "1"):
            return True
        if value in (False, "false", "False", "0"):
            return False
        raise forms.ValidationError("Use true or false.", code="invalid")

    def validate(self, value: object) -> None:
        pass


class StrictBooleanFilter(django_filters.BooleanFilter):
    field_class = StrictBooleanField


class CountryFilter(django_filters.FilterSet):
    is_ldc = StrictBooleanFilter(help_text="Least developed countries.")
    is_lldc = StrictBooleanFilter(help_text="Landlocked developing countries.")
    is_sids = StrictBooleanFilter(help_text="Small island developing states.")

    class Meta:
        model = Country
        fields = ["region_name", "is_ldc", "is_lldc", "is_sids"]


class CountryViewSet(viewsets.ReadOnlyModelViewSet):
    """UN M49 countries and areas with their groupings and E-Government Survey scores."""

    lookup_field = "iso3"
    lookup_value_regex = "[A-Za-z]{3}"
    filter_backends = [DjangoFilterBackend, filters.SearchFilter, filters.OrderingFilter]
    search_fields = ["name", "iso3"]
    ordering_fields = ["name", "iso3", "region_name"]
    ordering = ["name"]
    filterset_class = CountryFilter

    def get_queryset(self) -> QuerySet[Country]:
        countries = Country.objects.all()
        if self.action == "retrieve":
            scores = EGovScore.objects.order_by("-survey_year")
            countries = countries.prefetch_related(Prefetch("egov_scores", queryset=scores))
        return countries

    def get_object(self) -> Country:
        self.kwargs["iso3"] = self.kwargs["iso3"].upper()
        return super().get_object()

    def get_serializer_class(self) -> type:
        return CountryDetailSerializer if self.action == "retrieve" else CountrySerializer


class OrganizationViewSet(viewsets.ReadOnlyModelViewSet):
    """Bodies that organize events or whose people keep countries' cases current."""

    lookup_field = "slug"
    serializer_class = OrganizationSerializer
    queryset = Organization.objects.select_related("country", "parent")
    filter_backends = [filters.SearchFilter, filters.OrderingFilter]
    search_fields = ["name", "acronym"]
    ordering_fields = ["name"]
    ordering = ["name"]
