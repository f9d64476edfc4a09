"""The map of published good practices per country: the whole world, or one M49 region."""

from __future__ import annotations

from typing import Any

from django.http import Http404
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from countries.models import Country
from paks.counts import CaseCounts, case_counts
from paks.worldmap import WorldMap, choropleth

FIELDS = ("pk", "name", "iso2", "iso3", "m49")  # what a link and a row of the table need


def world_map(counts: CaseCounts) -> WorldMap:
    """The world map: the countries with a published good practice are named and linked."""
    countries = Country.objects.filter(pk__in=counts.by_country).only(*FIELDS)
    return choropleth(counts.by_country, countries)


def region_map(counts: CaseCounts, region: str) -> WorldMap | None:
    """The map zoomed to an M49 region's countries, or None if no country is in `region`."""
    countries = list(Country.objects.in_region(region).only(*FIELDS))
    if not countries:
        return None
    return choropleth(
        counts.by_country,
        countries,
        focus=countries,
        title=_("Good practices in %(region)s, by country") % {"region": region},
    )


class MapView(TemplateView):
    template_name = "paks/map.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        counts = case_counts()
        region = self.request.GET.get("region", "").strip()
        if region:
            worldmap = region_map(counts, region)
            if worldmap is None:
                raise Http404("No such region.")
        else:
            worldmap = world_map(counts)
        context.update(
            worldmap=worldmap,
            region=region,
            regions=counts.by_region,
            case_total=counts.total,
            total=counts.by_region.get(region, 0) if region else counts.total,
        )
        return context
