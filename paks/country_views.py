"""Public country and organization pages. They show cases and their counts, so they belong
to the portal (this app), not to the countries app below it."""

from collections.abc import Callable
from itertools import groupby
from typing import Any

import django_filters
from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils.formats import number_format
from django.utils.translation import get_language, gettext_lazy, pgettext_lazy
from django.utils.translation import gettext as _
from django.views.generic import DetailView, ListView, TemplateView

from core.charts import Series, legend, line_chart
from core.lists import SHOWN, first, window
from countries.insight import METHOD_NOTE, SOURCE, SOURCE_URL, History, survey_history
from countries.models import Country, EGovScore, FocalPoint, Organization
from countries.names import sort_key
from events.models import Participation
from events.translations import show_events
from paks.counts import case_counts
from paks.models import CaseStudy, Document
from paks.translations import show_cases


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
        # Regions in M49's order, and countries in each by their name in the page's language.
        context["regions"] = [
            (
                rows[0].local_region_name if region else _("Other areas"),
                sorted(rows, key=lambda c: sort_key(c.local_name)),
            )
            for region, group in groupby(countries, key=lambda c: c.region_name)
            if (rows := list(group))
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
            Prefetch("egov_scores", queryset=EGovScore.objects.order_by("survey_year")),
            Prefetch(
                "focal_points",
                queryset=FocalPoint.objects.public().select_related("user", "organization"),
                to_attr="public_focal_points",
            ),
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        country: Country = self.object
        context["cases"] = show_cases(
            country.cases.published()
            .select_related("organization")
            .order_by("-published_at", "-pk")[:SHOWN]
        )
        context["case_total"] = case_counts().by_country.get(country.pk, 0)
        # Its presentations: slides of its published cases and of its contributions.
        context["presentations"], context["more_presentations"] = first(
            Document.objects.public()
            .filter(kind=Document.Kind.PRESENTATION)
            .filter(Q(case__country=country) | Q(contribution__country=country))
            .select_related("case", "event")
            .defer("extracted_text")
            .order_by("-uploaded_at", "-pk")
        )
        attended, context["more_events_attended"] = first(
            country.events.filter(is_public=True).order_by("-start")
        )
        hosted, context["more_events_hosted"] = first(
            country.hosted_events.filter(is_public=True).order_by("-start")
        )
        show_events([*attended, *hosted])
        context["events_attended"], context["events_hosted"] = attended, hosted
        context["organizations"] = window(
            self.request, country.organizations.order_by("name", "pk"), param="organizations"
        )
        context["json_ld"] = country_json_ld(country, absolute=self.request.build_absolute_uri)
        history = survey_history(country)
        found = peers(country, history)
        context.update(
            history=history,
            peers=found,
            # The first three, named in one link to compare them with this country.
            peer_names=", ".join(peer.country.name for peer in found[:3]),
            method_note=METHOD_NOTE,
            source=SOURCE,
            source_url=SOURCE_URL,
        )
        return context


PEERS = 5


def peers(country: Country, history: History) -> list[EGovScore]:
    """Countries of the same region or UN grouping with published cases, closest to this
    one's EGDI in the latest edition: who to learn from. Their scores, with the country and
    its number of cases (`case_count`) attached."""
    scored = history.scored
    counts = case_counts().by_country
    with_cases = [pk for pk, n in counts.items() if n and pk != country.pk]
    if not scored or not with_cases:
        return []
    latest = scored[-1].score
    assert latest is not None
    near = Q(country__region_name=country.region_name) if country.region_name else Q()
    for flag in ("ldc", "lldc", "sids"):
        if getattr(country, f"is_{flag}"):
            near |= Q(**{f"country__is_{flag}": True})
    if not near:
        return []
    found = list(
        EGovScore.objects.filter(near, survey_year=latest.survey_year, country__in=with_cases)
        .select_related("country")
        .order_by("pk")
    )
    found.sort(key=lambda s: (abs(s.egdi - latest.egdi), s.country.name))
    for score in found[:PEERS]:
        score.case_count = counts[score.country_id]  # type: ignore[attr-defined]
    return found[:PEERS]


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
        show_events(role.event for role in context["roles"])
        cases, context["more_cases"] = first(
            org.cases.published().select_related("country").order_by("-published_at", "-pk")
        )
        context["cases"] = show_cases(cases)
        context["units"] = window(self.request, org.units.order_by("name", "pk"), param="units")
        # Its people: the focal points who chose to be listed, and who spoke or chaired.
        context["focal_points"], context["more_focal_points"] = first(
            FocalPoint.objects.public()
            .filter(organization=org)
            .select_related("user", "country")
            .order_by("country__name", "pk")
        )
        context["people"], context["more_people"] = first(
            org.people.select_related("country").order_by("name", "pk")
        )
        context["json_ld"] = organization_json_ld(org, absolute=self.request.build_absolute_uri)
        return context


COMPARED = 4


class CompareView(TemplateView):
    """Up to four countries side by side: survey history on one chart, good practices by
    theme, events attended. Countries are named by ISO code or name (`?country=BTN&...`)."""

    template_name = "countries/compare.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        asked = [v.strip() for v in self.request.GET.getlist("country") if v.strip()]
        countries, unknown = _named_countries(asked[:COMPARED])
        context.update(
            asked=asked + [""] * (COMPARED - len(asked)),
            unknown=unknown,
            # Translators: a value typed in the compare form that names no country, quoted.
            unknown_names=", ".join(_("“%(value)s”") % {"value": value} for value in unknown),
            compared_names=", ".join(c.name for c in countries),
            too_many=len(asked) > COMPARED,
            countries=countries,
            choices=Country.objects.filter(egov_scores__isnull=False)
            .distinct()
            .order_by("name")
            .values_list("iso3", "name"),
            limit=COMPARED,
        )
        if countries:
            context.update(_comparison(countries))
        return context


def _named_countries(asked: list[str]) -> tuple[list[Country], list[str]]:
    """The countries these codes or names name, in the order asked, and what named none."""
    named = Q(iso3__in=[a.upper() for a in asked])
    for value in asked:
        named |= Q(name__iexact=value)
    found = Country.objects.filter(named).prefetch_related(
        Prefetch("egov_scores", queryset=EGovScore.objects.order_by("survey_year"))
    )
    by_key = {key: c for c in found for key in (c.iso3, c.name.casefold())}
    countries: list[Country] = []
    unknown = []
    for value in asked:
        country = by_key.get(value.upper()) or by_key.get(value.casefold())
        if country is None:
            unknown.append(value)
        elif country not in countries:
            countries.append(country)
    return countries, unknown


def _comparison(countries: list[Country]) -> dict[str, Any]:
    years = sorted({s.survey_year for c in countries for s in c.egov_scores.all()})
    by_year = {c.pk: {s.survey_year: s for s in c.egov_scores.all()} for c in countries}
    series = [
        Series(c.local_name, [(y, _egdi(by_year[c.pk].get(y))) for y in years]) for c in countries
    ]
    names = ", ".join(c.local_name for c in countries)
    rows = [(year, [by_year[c.pk].get(year) for c in countries]) for year in years]
    themes = (
        CaseStudy.objects.published()
        .filter(country__in=countries, themes__isnull=False)
        .values("themes__slug", "themes__name", "themes__translations", "country_id")
        .annotate(n=Count("pk"))
        .order_by("themes__name")
    )
    by_theme: dict[tuple[str, str], dict[int, int]] = {}
    language = get_language()
    for row in themes:
        local = row["themes__translations"].get(language, {}).get("name") or row["themes__name"]
        by_theme.setdefault((row["themes__slug"], local), {})[row["country_id"]] = row["n"]
    by_theme = dict(sorted(by_theme.items(), key=lambda item: sort_key(item[0][1])))
    attended = dict(
        Participation.objects.filter(country__in=countries, event__is_public=True)
        .values_list("country_id")
        .annotate(n=Count("pk"))
    )
    counts = case_counts().by_country
    return {
        "chart": line_chart(
            title=_("E-Government Development Index of %(countries)s") % {"countries": names},
            description=" ".join(survey_history_sentence(c, by_year[c.pk]) for c in countries),
            series=series,
            x_ticks=years,
            y_ticks=[0, 0.25, 0.5, 0.75, 1],
        )
        if years
        else None,
        "chart_legend": legend(series),
        "score_rows": rows,
        # Each figure with its country, for the links in each cell.
        "theme_rows": [
            (slug, name, [(per.get(c.pk, 0), c) for c in countries])
            for (slug, name), per in by_theme.items()
        ],
        "case_totals": [(counts.get(c.pk, 0), c) for c in countries],
        "events_attended": [(attended.get(c.pk, 0), c) for c in countries],
    }


def _egdi(score: EGovScore | None) -> float | None:
    return None if score is None else float(score.egdi)


def survey_history_sentence(country: Country, scores: dict[int, EGovScore]) -> str:
    """The first and last EGDI of one country, for the chart's description."""
    if not scores:
        return _("%(country)s: not assessed.") % {"country": country.local_name}
    first, last = scores[min(scores)], scores[max(scores)]
    # Translators: a country's EGDI (0 to 1) in its first and its last survey edition.
    return _("%(country)s: %(first)s in %(first_year)s, %(last)s in %(last_year)s.") % {
        "country": country.local_name,
        "first": number_format(float(first.egdi), 2),
        "first_year": first.survey_year,
        "last": number_format(float(last.egdi), 2),
        "last_year": last.survey_year,
    }


class OrganizationFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=gettext_lazy("Name or acronym"), method="filter_words", max_length=100
    )
    kind = django_filters.ChoiceFilter(
        label=pgettext_lazy("the type of an organization or event", "Kind"),
        choices=Organization.Kind.choices,
        empty_label=pgettext_lazy("the type of an organization or event", "Any kind"),
    )
    country = django_filters.ModelChoiceFilter(
        label=gettext_lazy("Country"),
        queryset=Country.objects.filter(organizations__isnull=False).distinct().order_by("name"),
        to_field_name="iso3",
        empty_label=gettext_lazy("Any country"),
    )

    class Meta:
        model = Organization
        fields = ["q", "kind", "country"]

    def filter_words(
        self, queryset: QuerySet[Organization], name: str, value: str
    ) -> QuerySet[Organization]:
        for word in value.split()[:8]:
            queryset = queryset.filter(Q(name__icontains=word) | Q(acronym__icontains=word))
        return queryset


class OrganizationListView(ListView):
    """Every organization, by name, kind and country, with its published good practices
    and public events counted."""

    template_name = "countries/organization_list.html"
    context_object_name = "organizations"
    paginate_by = 50

    def get_queryset(self) -> QuerySet[Organization]:
        organizations = (
            Organization.objects.select_related("country")
            .annotate(
                case_count=Count(
                    "cases", filter=Q(cases__status=CaseStudy.Status.PUBLISHED), distinct=True
                ),
                event_count=Count("events", filter=Q(events__is_public=True), distinct=True),
            )
            .order_by("name", "pk")
        )
        self.filterset = OrganizationFilter(self.request.GET or None, queryset=organizations)
        return self.filterset.qs if self.filterset.is_bound else organizations

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["filter"] = self.filterset
        return context
