from django.db.models import Prefetch, QuerySet
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import filters, viewsets

from countries.api.serializers import (
    CountryDetailSerializer,
    CountrySerializer,
    OrganizationSerializer,
)
from countries.models import Country, EGovScore, Organization


class CountryViewSet(viewsets.ReadOnlyModelViewSet):
    """UN M49 countries and areas with their groupings and E-Government Survey scores."""

    lookup_field = "iso3"
    lookup_value_regex = "[A-Za-z]{3}"
    filter_backends = [DjangoFilterBackend, filters.SearchFilter, filters.OrderingFilter]
    search_fields = ["name", "iso3"]
    ordering_fields = ["name", "iso3", "region_name"]
    ordering = ["name"]
    filterset_fields = ["region_name", "is_ldc", "is_lldc", "is_sids"]

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
