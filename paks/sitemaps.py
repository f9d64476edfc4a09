"""The sitemap: every public page in every language, and nothing that is not public.

`/sitemap.xml` is an index of one sitemap per section and language (`sitemap-cases.xml` for
English, `sitemap-cases-fr.xml` …), each in pages of at most `limit` addresses
(`?p=2`), as Django's sitemap framework serves them. Every address lists the same page in
the other languages (`xhtml:link` hreflang alternates, English as x-default). Each page reads
one count and one page of rows (only the columns its addresses need); the index reads a count
and a latest change per section. Both are cached (`paks.public_cache`).

Django's own `i18n` sitemaps would read every row of a section to pair it with each
language; here a language is a sitemap of its own, so a page still reads one page of rows.
"""

from typing import Any

from django.conf import settings
from django.contrib.sitemaps import Sitemap, views
from django.core.paginator import Paginator
from django.db.models import Max, Model, QuerySet
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import translation

from countries.models import Country, Organization
from events.models import Event
from paks.models import CaseStudy
from paks.public_cache import cached_public_page
from taxonomy.models import SDG, Theme

# Addresses per sitemap page: well under the protocol's 50,000, so that a page renders fast.
LIMIT = 5000


class LanguageSitemap(Sitemap):
    """A section's addresses in one language, each with its versions in every language.

    The sitemaps of one section in its six languages may share a `memo`, where the first
    keeps its count of rows and latest change for the others: the index names 42 sitemaps
    but reads each section's figures once."""

    def __init__(self, language: str = settings.LANGUAGE_CODE, memo: dict[Any, Any] | None = None):
        self.language = language
        self.memo = {} if memo is None else memo

    def address(self, item: Any) -> str:
        return str(item.get_absolute_url())

    def location(self, item: Any) -> str:
        with translation.override(self.language):
            return self.address(item)

    def get_urls(self, page: int | str = 1, site: Any = None, protocol: str | None = None) -> Any:
        urls = super().get_urls(page, site, protocol)
        origin = f"{self.get_protocol(protocol)}://{self.get_domain(site)}"
        for url in urls:
            versions = {}
            for code, _name in settings.LANGUAGES:
                with translation.override(code):
                    versions[code] = origin + self.address(url["item"])
            url["alternates"] = [
                {"location": location, "lang_code": code} for code, location in versions.items()
            ]
            url["alternates"].append(
                {"location": versions[settings.LANGUAGE_CODE], "lang_code": "x-default"}
            )
        return urls

    @property
    def paginator(self) -> Paginator[Any]:
        # items(): a queryset or a list, which the stubs do not see as one type.
        pages: Paginator[Any] = Paginator(self.items(), self.limit)  # type: ignore[arg-type]
        key = (type(self), "count")
        if key in self.memo:
            pages.count = self.memo[key]  # a cached_property, set
        else:
            self.memo[key] = pages.count
        return pages

    def latest_change(self) -> Any:
        return None

    def get_latest_lastmod(self) -> Any:
        key = (type(self), "latest")
        if key not in self.memo:
            self.memo[key] = self.latest_change()
        return self.memo[key]


class RowSitemap(LanguageSitemap):
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

    def latest_change(self) -> Any:
        # Django's default reads every row for this; none here has a date of change.
        return None


class ChangedRowSitemap(RowSitemap):
    """Rows with an `updated_at`, given as each address's last change."""

    def lastmod(self, item: Any) -> Any:
        return item.updated_at

    def latest_change(self) -> Any:
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


class StaticSitemap(LanguageSitemap):
    changefreq = "daily"

    def items(self) -> list[str]:
        return ["paks:home", "paks:case-list", "events:list", "countries:list", "paks:about"]

    def address(self, item: str) -> str:
        return reverse(item)


SECTIONS: dict[str, type[LanguageSitemap]] = {
    "static": StaticSitemap,
    "cases": CaseSitemap,
    "events": EventSitemap,
    "countries": CountrySitemap,
    "organizations": OrganizationSitemap,
    "themes": ThemeSitemap,
    "sdgs": SDGSitemap,
}


def sitemaps() -> dict[str, type[Sitemap[Any]] | Sitemap[Any]]:
    """Every section in every language: English first, with the sections' plain names
    (`cases`), then the other languages with their code (`cases-fr`)."""
    memo: dict[Any, Any] = {}
    others = [code for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]
    named: dict[str, type[Sitemap[Any]] | Sitemap[Any]] = {
        name: kind(settings.LANGUAGE_CODE, memo) for name, kind in SECTIONS.items()
    }
    for code in others:
        named.update({f"{name}-{code}": kind(code, memo) for name, kind in SECTIONS.items()})
    return named


@cached_public_page
def index(request: HttpRequest) -> HttpResponse:
    """/sitemap.xml: the sections' sitemaps and their pages."""
    return views.index(request, sitemaps(), sitemap_url_name="sitemap-section")


@cached_public_page
def section(request: HttpRequest, section: str) -> HttpResponse:
    """/sitemap-<section>.xml?p=<page>: one page of a section's addresses."""
    return views.sitemap(request, sitemaps(), section=section)
