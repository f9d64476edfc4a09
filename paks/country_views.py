"""Public country and organization pages. They show cases and their counts, so they belong
to the portal (this app), not to the countries app below it."""

from collections.abc import Callable
from itertools import groupby
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.views.generic import DetailView, ListView

from core.lists import SHOWN, first, window
from countries.models import Country, EGovScore, FocalPoint, Organization
from paks.counts import case_counts


def country_json_ld(country: Country, *, absolute: Callable[[str], str]) -> dict[str, Any]:
    """schema.org Country; `absolute` makes a path a full address (build_absolute_uri)."""
    return {
        "@context": "https://schema.org",
        "@type": "Country",
        "name": country.name,
        "identifier": country.iso3,
        "url": absolute(country.get_absolute_url()),
    }


def organization_json_ld(org: Organization, *, absolute: Callable[[str], str]) -> dict[str, Any]:
    """schema.org Organization: its names, its page, its own site and where it sits."""
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Organization",
        "name": org.name,
        "url": absolute(org.get_absolute_url()),
    }
    if org.acronym:
        data["alternateName"] = org.acronym
    if org.website:
        data["sameAs"] = org.website
    if org.description:
        data["description"] = org.description
    if org.country:
        data["address"] = {"@type": "PostalAddress", "addressCountry": org.country.iso2}
        data["location"] = {
            "@type": "Country",
            "name": org.country.name,
            "identifier": org.country.iso3,
            "url": absolute(org.country.get_absolute_url()),
        }
    if org.parent:
        data["parentOrganization"] = {
            "@type": "Organization",
            "name": org.parent.name,
            "url": absolute(org.parent.get_absolute_url()),
        }
    return data


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
        context["json_ld"] = country_json_ld(country, absolute=self.request.build_absolute_uri)
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
        context["json_ld"] = organization_json_ld(org, absolute=self.request.build_absolute_uri)
        return context
