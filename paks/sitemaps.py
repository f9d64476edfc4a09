"""The sitemap: every public page, and nothing that is not public.

`/sitemap.xml` is an index of one sitemap per section, each in pages of at most `limit`
addresses (`/sitemap-<section>.xml?p=2`), as Django's sitemap framework serves them. Each
page reads one count and one page of rows (only the columns its addresses need); the index
reads a count and a latest change per section. Both are cached (`paks.public_cache`).
"""

from typing import Any

from django.contrib.sitemaps import Sitemap, views
from django.db.models import Max, Model, QuerySet
from django.http import HttpRequest, HttpResponse
from django.urls import reverse

from countries.models import Country, Organization
from events.models import Event
from paks.models import CaseStudy
from paks.public_cache import cached_public_page
from taxonomy.models import SDG, Theme

# Addresses per sitemap page: well under the protocol's 50,000, so that a page renders fast.
LIMIT = 5000


class RowSitemap(Sitemap):
    """Rows of one model, by primary key, with only the columns their addresses need."""

    limit = LIMIT
    changefreq = "weekly"
    model: type[Model]
    columns: tuple[str, ...]

    def rows(self) -> QuerySet[Any]:
        """The public rows (every row, unless a section says otherwise)."""
        return self.model._default_manager.all()

    def items(self) -> QuerySet[Any]:
        return self.rows().only(*self.columns).order_by("pk")

    def get_latest_lastmod(self) -> Any:
        # Django's default reads every row for this; none here has a date of change.
        return None


class ChangedRowSitemap(RowSitemap):
    """Rows with an `updated_at`, given as each address's last change."""

    def lastmod(self, item: Any) -> Any:
        return item.updated_at

    def get_latest_lastmod(self) -> Any:
        return self.rows().aggregate(latest=Max("updated_at"))["latest"]


class CaseSitemap(ChangedRowSitemap):
    changefreq = "monthly"
    priority = 0.8
    columns = ("slug", "updated_at")

    def rows(self) -> QuerySet[CaseStudy]:
        return CaseStudy.objects.published()


class EventSitemap(ChangedRowSitemap):
    changefreq = "monthly"
    columns = ("slug", "updated_at")

    def rows(self) -> QuerySet[Event]:
        return Event.objects.public()


class CountrySitemap(RowSitemap):
    model, columns = Country, ("iso3",)


class OrganizationSitemap(RowSitemap):
    model, columns = Organization, ("slug",)


class ThemeSitemap(RowSitemap):
    model, columns = Theme, ("slug",)


class SDGSitemap(RowSitemap):
    model, columns = SDG, ("number",)


class StaticSitemap(Sitemap):
    changefreq = "daily"

    def items(self) -> list[str]:
        return ["paks:home", "paks:case-list", "events:list", "countries:list", "paks:about"]

    def location(self, item: str) -> str:
        return reverse(item)


SITEMAPS: dict[str, type[Sitemap] | Sitemap] = {
    "static": StaticSitemap,
    "cases": CaseSitemap,
    "events": EventSitemap,
    "countries": CountrySitemap,
    "organizations": OrganizationSitemap,
    "themes": ThemeSitemap,
    "sdgs": SDGSitemap,
}


@cached_public_page
def index(request: HttpRequest) -> HttpResponse:
    """/sitemap.xml: the sections' sitemaps and their pages."""
    return views.index(request, SITEMAPS, sitemap_url_name="sitemap-section")


@cached_public_page
def section(request: HttpRequest, section: str) -> HttpResponse:
    """/sitemap-<section>.xml?p=<page>: one page of a section's addresses."""
    return views.sitemap(request, SITEMAPS, section=section)
