"""Public country and organization pages. They show cases and their counts, so they belong
to the portal (this app), not to the countries app below it."""

from itertools import groupby
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.views.generic import DetailView, ListView

from core.lists import SHOWN, first, window
from countries.models import Country, EGovScore, FocalPoint, Organization
from paks.counts import case_counts


class CountryListView(ListView):
    template_name = "countries/country_list.html"
    context_object_name = "countries"

    def get_queryset(self) -> QuerySet[Country]:
        countries = Country.objects.order_by("region_name", "subregion_name", "name")
        group = self.request.GET.get("group", "")
        if group in {"ldc", "lldc", "sids"}:
            countries = countries.filter(**{f"is_{group}": True})
        return countries

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        counts = case_counts().by_country
        countries = list(context["countries"])
        for country in countries:
            country.case_count = counts.get(country.pk, 0)
        context["regions"] = [
            (region or "Other areas", list(rows))
            for region, rows in groupby(countries, key=lambda c: c.region_name)
        ]
        context["group"] = self.request.GET.get("group", "")
        return context


class CountryDetailView(DetailView):
    template_name = "countries/country_detail.html"
    context_object_name = "country"
    slug_field = "iso3"
    slug_url_kwarg = "iso3"

    def get_object(self, queryset: QuerySet[Country] | None = None) -> Country:
        self.kwargs["iso3"] = self.kwargs["iso3"].upper()
        return super().get_object(queryset)

    def get_queryset(self) -> QuerySet[Country]:
        return Country.objects.prefetch_related(
            Prefetch("egov_scores", queryset=EGovScore.objects.order_by("-survey_year")),
            Prefetch(
                "focal_points",
                queryset=FocalPoint.objects.public().select_related("user", "organization"),
                to_attr="public_focal_points",
            ),
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        country: Country = self.object
        context["cases"] = (
            country.cases.published()
            .select_related("organization")
            .order_by("-published_at", "-pk")[:SHOWN]
        )
        context["case_total"] = case_counts().by_country.get(country.pk, 0)
        context["events_attended"], context["more_events_attended"] = first(
            country.events.filter(is_public=True).order_by("-start")
        )
        context["events_hosted"], context["more_events_hosted"] = first(
            country.hosted_events.filter(is_public=True).order_by("-start")
        )
        context["organizations"] = window(
            self.request, country.organizations.order_by("name", "pk"), param="organizations"
        )
        context["json_ld"] = {
            "@context": "https://schema.org",
            "@type": "Country",
            "name": country.name,
            "identifier": country.iso3,
            "url": self.request.build_absolute_uri(),
        }
        return context


class OrganizationDetailView(DetailView):
    template_name = "countries/organization_detail.html"
    context_object_name = "organization"
    queryset = Organization.objects.select_related("country", "parent")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        org: Organization = self.object
        context["roles"], context["more_roles"] = first(
            org.event_roles.filter(event__is_public=True)
            .select_related("event")
            .order_by("-event__start", "pk")
        )
        context["cases"], context["more_cases"] = first(
            org.cases.published().select_related("country").order_by("-published_at", "-pk")
        )
        context["units"] = window(self.request, org.units.order_by("name", "pk"), param="units")
        return context
