from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import Count, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.views import defaults
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django.views.generic import DetailView, ListView, TemplateView

from events.models import Event
from paks.models import SDG, CaseStudy, Document, Theme
from paks.search import CaseSearch, search_cases
from paks.search.base import FacetValue


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness and database reachability, for the container healthcheck and load balancers."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception:  # any database failure means "not healthy", whatever the driver raises
        return JsonResponse({"status": "unavailable", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


@require_GET
def robots_txt(request: HttpRequest) -> HttpResponse:
    """Crawlers may index the public site; the admin, workspace and API writes are not for them."""
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /workspace/",
        "Disallow: /accounts/",
        f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


# --- Public pages -------------------------------------------------------------------------------
# Every queryset here starts from .published() / .public(): drafts never reach a public page.


def _published_cases() -> QuerySet[CaseStudy]:
    return CaseStudy.objects.published().select_related("country", "organization")


class HomeView(TemplateView):
    template_name = "paks/home.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        events = Event.objects.public().select_related("country")
        context.update(
            latest_cases=_published_cases().order_by("-published_at")[:6],
            upcoming_events=events.upcoming()[:4],
            recent_events=events.past()[:4],
            regions=(
                CaseStudy.objects.published()
                .exclude(country__region_name="")
                .values("country__region_name")
                .annotate(n=Count("pk"))
                .order_by("country__region_name")
            ),
            themes=Theme.objects.all(),
            sdgs=SDG.objects.all(),
            case_count=CaseStudy.objects.published().count(),
        )
        return context


def case_list(request: HttpRequest) -> HttpResponse:
    """Search and browse published cases: words, facets, sorting and pages in the query string."""
    search = CaseSearch.from_request(request)
    results = search_cases(search)
    if search.page > results.pages:
        raise Http404("No such page of results.")
    expanded = set(request.GET.getlist("more"))
    return render(
        request,
        "paks/case_list.html",
        {
            "results": results,
            "search": search,
            "facets": [
                FacetList.of(name, title, results.facets.get(name, []), name in expanded)
                for name, title in FACET_TITLES.items()
            ],
            "facet_titles": FACET_TITLES,
            "sorts": SORTS,
            "events": Event.objects.public().filter(slug__in=search.event) if search.event else (),
        },
    )


# A facet with more values than this shows its most frequent ones (and any chosen), with a
# link to all: a page listing every country and organization would weigh 90 KB.
FACET_SHOWN = 10


@dataclass(frozen=True)
class FacetList:
    name: str
    title: str
    values: list[FacetValue]  # the ones shown
    total: int  # how many values the facet has
    expanded: bool

    @classmethod
    def of(cls, name: str, title: str, values: list[FacetValue], expanded: bool) -> FacetList:
        shown = values
        if not expanded and len(values) > FACET_SHOWN:
            frequent = sorted(values, key=lambda v: -v.count)
            kept = frequent[:FACET_SHOWN] + [v for v in frequent[FACET_SHOWN:] if v.selected]
            shown = sorted(kept, key=lambda v: (-v.count, v.label))
        return cls(name=name, title=title, values=shown, total=len(values), expanded=expanded)

    @property
    def hidden(self) -> int:
        return self.total - len(self.values)

    @property
    def collapsible(self) -> bool:
        return self.expanded and self.total > FACET_SHOWN


SORTS = [
    ("relevance", "Relevance"),
    ("newest", "Newest first"),
    ("oldest", "Oldest first"),
    ("title", "Title"),
]
FACET_TITLES = {
    "country": "Country",
    "region": "Region",
    "group": "UN grouping",
    "theme": "Theme",
    "sdg": "SDG",
    "year": "Year",
    "organization": "Organization",
}


def case_json_ld(case: CaseStudy, url: str) -> dict[str, Any]:
    """schema.org description of a case, for search engines and citation tools."""
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Article",
        "headline": case.title,
        "abstract": case.summary,
        "url": url,
        "inLanguage": case.language,
        "datePublished": case.published_at.isoformat() if case.published_at else None,
        "dateModified": case.updated_at.isoformat(),
        "spatialCoverage": {"@type": "Country", "name": case.country.name},
        "about": [theme.name for theme in case.themes.all()],
        "publisher": {"@type": "Organization", "name": "Public Administration Knowledge Space"},
    }
    if case.organization:
        data["author"] = {"@type": "Organization", "name": case.organization.name}
    return data


class CaseDetailView(DetailView):
    template_name = "paks/case_detail.html"
    context_object_name = "case"

    def get_queryset(self) -> QuerySet[CaseStudy]:
        return (
            _published_cases().select_related("event").prefetch_related("themes", "sdgs", "links")
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        case: CaseStudy = self.object
        theme_ids = [t.pk for t in case.themes.all()]
        context["documents"] = (
            Document.objects.public().filter(case=case).order_by("uploaded_at", "pk")
        )
        context["json_ld"] = case_json_ld(case, self.request.build_absolute_uri())
        context["related"] = (
            _published_cases()
            .exclude(pk=case.pk)
            .filter(Q(themes__in=theme_ids) | Q(country=case.country_id))
            .distinct()
            .order_by("-published_at")[:4]
        )
        return context


class TaxonomyListMixin:
    """Themes or SDGs, each with its number of published cases."""

    model: type[Theme] | type[SDG]

    def get_queryset(self) -> QuerySet[Any]:
        published = Q(cases__status=CaseStudy.Status.PUBLISHED)
        return self.model.objects.annotate(case_count=Count("cases", filter=published))


class TaxonomyDetailMixin:
    """A theme's or an SDG's page: its published cases and public events."""

    relation: str  # the name of the many-to-many field on cases and events

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)  # type: ignore[misc]
        where = {self.relation: self.object}  # type: ignore[attr-defined]
        context["cases"] = _published_cases().filter(**where)
        context["events"] = Event.objects.public().filter(**where).select_related("country")
        return context


class ThemeListView(TaxonomyListMixin, ListView):
    template_name = "paks/theme_list.html"
    context_object_name = "themes"
    model = Theme


class ThemeDetailView(TaxonomyDetailMixin, DetailView):
    template_name = "paks/theme_detail.html"
    context_object_name = "theme"
    model = Theme
    relation = "themes"


class SDGListView(TaxonomyListMixin, ListView):
    template_name = "paks/sdg_list.html"
    context_object_name = "sdgs"
    model = SDG


class SDGDetailView(TaxonomyDetailMixin, DetailView):
    template_name = "paks/sdg_detail.html"
    context_object_name = "sdg"
    model = SDG
    slug_field = "number"
    slug_url_kwarg = "number"
    relation = "sdgs"


class AboutView(TemplateView):
    template_name = "paks/about.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["counts"] = {
            "cases": CaseStudy.objects.published().count(),
            "events": Event.objects.public().count(),
            "countries": CaseStudy.objects.published().values("country").distinct().count(),
        }
        return context


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """JSON under /api/ (API clients parse every answer), the site's own page elsewhere."""
    if request.path.startswith("/api/"):
        return JsonResponse({"code": "not_found", "message": "Not found."}, status=404)
    return defaults.page_not_found(request, exception)
