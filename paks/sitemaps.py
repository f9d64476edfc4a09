"""sitemap.xml: every public page, and nothing that is not public."""

from typing import Any

from django.contrib.sitemaps import Sitemap
from django.db.models import QuerySet
from django.urls import reverse

from countries.models import Country, Organization
from events.models import Event
from paks.models import SDG, CaseStudy, Theme


class CaseSitemap(Sitemap):
    changefreq = "monthly"
    priority = 0.8

    def items(self) -> QuerySet[CaseStudy]:
        return CaseStudy.objects.published().order_by("pk")

    def lastmod(self, item: CaseStudy) -> Any:
        return item.updated_at


class EventSitemap(Sitemap):
    changefreq = "monthly"

    def items(self) -> QuerySet[Event]:
        return Event.objects.public().order_by("pk")

    def lastmod(self, item: Event) -> Any:
        return item.updated_at


class TaxonomySitemap(Sitemap):
    changefreq = "weekly"

    def items(self) -> list[Any]:
        return [
            *Country.objects.order_by("pk"),
            *Organization.objects.order_by("pk"),
            *Theme.objects.order_by("pk"),
            *SDG.objects.order_by("pk"),
        ]


class StaticSitemap(Sitemap):
    changefreq = "daily"

    def items(self) -> list[str]:
        return ["paks:home", "paks:case-list", "events:list", "countries:list", "paks:about"]

    def location(self, item: str) -> str:
        return reverse(item)


SITEMAPS = {
    "static": StaticSitemap,
    "cases": CaseSitemap,
    "events": EventSitemap,
    "taxonomy": TaxonomySitemap,
}
