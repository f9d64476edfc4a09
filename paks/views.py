from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db.models import Case, F, Prefetch, Q, QuerySet, Value, When
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString
from django.utils.text import capfirst
from django.utils.translation import (
    get_language,
    get_language_info,
    gettext,
    gettext_lazy,
    override,
    pgettext_lazy,
)
from django.views import defaults
from django.views.decorators.http import require_GET
from django.views.generic import DetailView, ListView, TemplateView

from core.lists import SHOWN, first
from events.models import Event
from events.translations import Shown, page_language, show_events
from paks.counts import case_counts, headline, sdg_counts, theme_counts
from paks.feeds import describe, search_query
from paks.map_views import world_map
from paks.models import CaseStudy, CaseTranslation, Document
from paks.ratelimit import limited
from paks.search import CaseSearch, search_cases
from paks.search.base import FacetValue, Hit
from paks.translations import published_titles, show_cases, shown_case
from taxonomy.models import SDG, Theme

if TYPE_CHECKING:
    from django.utils.functional import _StrPromise


@require_GET
def robots_txt(request: HttpRequest) -> HttpResponse:
    """Crawlers may index the public site; the admin, workspace and API writes are not for them."""
    lines = ["User-agent: *", "Disallow: /admin/"]
    for code, _name in settings.LANGUAGES:  # the workspace and accounts in every language
        prefix = "" if code == settings.LANGUAGE_CODE else f"/{code}"
        lines += [f"Disallow: {prefix}/workspace/", f"Disallow: {prefix}/account/"]
    lines.append(f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}")
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


# --- Public pages -------------------------------------------------------------------------------
# Every queryset here starts from .published() / .public(): drafts never reach a public page.


def _published_cases() -> QuerySet[CaseStudy]:
    return CaseStudy.objects.published().select_related("country", "organization")


def _next_event() -> Event | None:
    """The public event under way or starting soonest, else the latest past one: one query."""
    ahead = Q(end__gte=timezone.now())  # as EventQuerySet.upcoming() has it
    return (
        Event.objects.public()
        .select_related("country")
        .order_by(
            Case(When(ahead, then=Value(0)), default=Value(1)),
            Case(When(ahead, then=F("start"))).asc(nulls_last=True),
            F("start").desc(),
        )
        .first()
    )


class HomeView(TemplateView):
    template_name = "paks/home.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        counts = case_counts()
        event = _next_event()
        context.update(
            headline=headline(counts),
            worldmap=world_map(counts),
            latest_cases=show_cases(_published_cases().order_by("-published_at")[:6]),
            next_event=show_events([event])[0] if event else None,
            next_event_ahead=event is not None and event.end >= timezone.now(),
            regions=counts.by_region,
            themes=Theme.objects.all(),
            sdgs=SDG.objects.all(),
            case_count=counts.total,
        )
        return context


@limited("search", "PAKS_SEARCH_RATE")
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
            "hits": shown_hits(results.hits),
            "search": search,
            "facets": [
                FacetList.of(name, title, results.facets.get(name, []), name in expanded)
                for name, title in FACET_TITLES.items()
            ],
            "facet_titles": FACET_TITLES,
            "sorts": SORTS,
            "events": Event.objects.public().filter(slug__in=search.event) if search.event else (),
            # The same words and filters, to download or to follow.
            "search_query": search_query(search),
            "search_described": describe(search),
        },
    )


@dataclass(frozen=True)
class ShownHit:
    """A search result as the page shows it: the case's title and summary in the page's
    language when a translation into it is published; the snippet stays the original's where
    it marks the words found there."""

    hit: Hit
    shown: Shown
    snippet: SafeString | None  # None: show the beginning of the shown summary
    snippet_language: str


def shown_hits(hits: list[Hit]) -> list[ShownHit]:
    """The hits with their cases' published translations into the page's language: one
    query at most (`published_titles`), after the search, which matched and counted the
    cases."""
    found = published_titles([hit.case for hit in hits], page_language())
    rows = []
    for hit in hits:
        shown = shown_case(hit.case, found)
        if shown.translated and "<mark>" not in hit.snippet:
            # The snippet is the start of the original's summary: the translation's instead.
            rows.append(ShownHit(hit, shown, None, shown.language))
        else:
            rows.append(ShownHit(hit, shown, hit.snippet, hit.case.language))
    return rows


# A facet with more values than this shows its most frequent ones (and any chosen), with a
# link to all: a page listing every country and organization would weigh 90 KB.
FACET_SHOWN = 10


@dataclass(frozen=True)
class FacetList:
    name: str
    title: str | _StrPromise
    values: list[FacetValue]  # the ones shown
    total: int  # how many values the facet has
    expanded: bool

    @classmethod
    def of(
        cls, name: str, title: str | _StrPromise, values: list[FacetValue], expanded: bool
    ) -> FacetList:
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
    ("relevance", gettext_lazy("Relevance")),
    ("newest", gettext_lazy("Newest first")),
    ("oldest", gettext_lazy("Oldest first")),
    ("title", pgettext_lazy("sort order", "Title")),
]
FACET_TITLES = {
    "country": gettext_lazy("Country"),
    "region": gettext_lazy("Region"),
    # Translators: the filter by LDC, LLDC or SIDS membership of a case's country.
    "group": gettext_lazy("UN grouping"),
    "theme": gettext_lazy("Theme"),
    # Translators: Sustainable Development Goal.
    "sdg": gettext_lazy("SDG"),
    "year": gettext_lazy("Year"),
    "organization": gettext_lazy("Organization"),
}


def case_json_ld(
    case: CaseStudy,
    *,
    absolute: Callable[[str], str],
    translation: CaseTranslation | None = None,
) -> dict[str, Any]:
    """schema.org Article describing a case, for search engines and citation tools: the text
    the page shows, the published `translation` when it shows one (a translation of the
    original, at its own address).

    `absolute` makes a path a full address (the request's build_absolute_uri). No
    dateModified: the row's updated_at moves on every save (a status change, a reload of the
    demo), not only when the text changes."""
    shown = translation or case
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Article",
        "headline": shown.title,
        "name": shown.title,
        "abstract": shown.summary,
        "url": absolute(case.get_absolute_url()),
        "inLanguage": translation.language if translation else case.language,
        "spatialCoverage": {
            "@type": "Country",
            "name": case.country.local_name,
            "identifier": case.country.iso3,
            "url": absolute(case.country.get_absolute_url()),
        },
        "about": [
            {"@type": "Thing", "name": theme.name, "url": absolute(theme.get_absolute_url())}
            for theme in case.themes.all()
        ],
        "publisher": {
            "@type": "Organization",
            "name": "Public Administration Knowledge Space",
            "url": absolute(reverse("paks:home")),
        },
    }
    if case.published_at:
        data["datePublished"] = case.published_at.isoformat()
    if case.organization:
        data["author"] = {
            "@type": "Organization",
            "name": case.organization.name,
            "url": absolute(case.organization.get_absolute_url()),
        }
    if translation is not None:
        with override(case.language):  # the original's page: the case in its own language
            original_url = absolute(case.get_absolute_url())
        data["translationOfWork"] = {
            "@type": "Article",
            "headline": case.title,
            "name": case.title,
            "inLanguage": case.language,
            "url": original_url,
        }
        translator = translation.translated_by
        if translator is not None and translator.get_full_name():
            data["translator"] = {"@type": "Person", "name": translator.get_full_name()}
        if translation.published_at:
            data["datePublished"] = translation.published_at.isoformat()
    return data


def translation_context(
    row: CaseStudy | Event, original: str, request: HttpRequest
) -> dict[str, Any]:
    """Which text of a case or an event the page shows: its published translation into the
    page's language, unless the reader asked for the original (`?original`), which is in
    `original`; and, for a page showing the original, the languages it is translated into.
    `row.translations` holds the published translations (prefetched)."""
    language = get_language()
    translations = {t.language: t for t in row.translations.all()}
    available = translations.get(language) if language != original else None
    shown = None if "original" in request.GET else available
    also_in = []
    if available is None:
        for code in translations:
            with override(code):  # the address with the language's prefix
                url = row.get_absolute_url()
            also_in.append(
                {"code": code, "name": capfirst(get_language_info(code)["name_local"]), "url": url}
            )
    return {
        "translation": shown,
        "translation_available": available,
        "original_language": original,
        "original_language_name": dict(settings.LANGUAGES).get(original, original),
        "content_language": shown.language if shown else original,
        "also_in": also_in,
    }


class CaseDetailView(DetailView):
    template_name = "paks/case_detail.html"
    context_object_name = "case"

    def get_queryset(self) -> QuerySet[CaseStudy]:
        translations = Prefetch(
            "translations",
            queryset=CaseTranslation.objects.published()
            .select_related("translated_by")
            .order_by("language"),
        )
        return (
            _published_cases()
            .select_related("event")
            .prefetch_related("themes", "sdgs", "links", translations)
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        case: CaseStudy = self.object
        context.update(translation_context(case, case.language, self.request))
        theme_ids = [t.pk for t in case.themes.all()]
        context["documents"] = (
            Document.objects.public().filter(case=case).order_by("uploaded_at", "pk")
        )
        context["json_ld"] = case_json_ld(
            case, absolute=self.request.build_absolute_uri, translation=context["translation"]
        )
        context["related"] = show_cases(
            _published_cases()
            .exclude(pk=case.pk)
            .filter(Q(themes__in=theme_ids) | Q(country=case.country_id))
            .distinct()
            .order_by("-published_at")[:4]
        )
        return context


if TYPE_CHECKING:
    _ListView = ListView[Theme | SDG]
    _DetailView = DetailView[Theme | SDG]
else:  # mixins: the view each is mixed into comes after it
    _ListView = _DetailView = object


class TaxonomyListMixin(_ListView):
    """Themes or SDGs, each with its number of published cases (kept, see paks.counts)."""

    model: type[Theme] | type[SDG]
    context_object_name: str  # the rows' name in the template, as well as object_list
    case_counts: Callable[[], dict[int, int]]

    def get_queryset(self) -> QuerySet[Any]:
        return self.model.objects.all()

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        counts = self.case_counts()
        rows = list(context["object_list"])
        for row in rows:
            row.case_count = counts.get(row.pk, 0)
        context["object_list"] = context[self.context_object_name] = rows
        return context


class TaxonomyDetailMixin(_DetailView):
    """A theme's or an SDG's page: its latest published cases (and how many there are in
    all) and public events, with links to all of them."""

    relation: str  # the name of the many-to-many field on cases and events
    case_counts: Callable[[], dict[int, int]]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        where = {self.relation: self.object}
        context["cases"] = show_cases(
            _published_cases().filter(**where).order_by("-published_at", "-pk")[:SHOWN]
        )
        context["case_total"] = self.case_counts().get(self.object.pk, 0)
        events, context["more_events"] = first(
            Event.objects.public().filter(**where).select_related("country").order_by("-start")
        )
        context["events"] = show_events(events)
        return context


class ThemeListView(TaxonomyListMixin, ListView):
    template_name = "paks/theme_list.html"
    context_object_name = "themes"
    model = Theme
    case_counts = staticmethod(theme_counts)


class ThemeDetailView(TaxonomyDetailMixin, DetailView):
    template_name = "paks/theme_detail.html"
    context_object_name = "theme"
    model = Theme
    relation = "themes"
    case_counts = staticmethod(theme_counts)


class SDGListView(TaxonomyListMixin, ListView):
    template_name = "paks/sdg_list.html"
    context_object_name = "sdgs"
    model = SDG
    case_counts = staticmethod(sdg_counts)


class SDGDetailView(TaxonomyDetailMixin, DetailView):
    template_name = "paks/sdg_detail.html"
    context_object_name = "sdg"
    model = SDG
    slug_field = "number"
    slug_url_kwarg = "number"
    relation = "sdgs"
    case_counts = staticmethod(sdg_counts)


class AboutView(TemplateView):
    template_name = "paks/about.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        cases = case_counts()
        context["counts"] = {
            "cases": cases.total,
            "events": Event.objects.public().count(),  # hundreds of rows, not a case scan
            "countries": cases.countries,
        }
        return context


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """JSON under /api/ (API clients parse every answer), the site's own page elsewhere."""
    if request.path.startswith("/api/"):
        return JsonResponse({"code": "not_found", "message": gettext("Not found.")}, status=404)
    return defaults.page_not_found(request, exception)
