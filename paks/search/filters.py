"""Facet filters and facet counts, shared by every search backend."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from countries.models import Country, Organization
from paks.models import SDG, CaseStudy, Theme
from paks.search.base import FACETS, CaseSearch, FacetValue

GROUP_LABELS = {"ldc": "LDC", "lldc": "LLDC", "sids": "SIDS"}


def facet_condition(search: CaseSearch, facet: str) -> Q:
    """The filter one facet adds: OR among its selected values."""
    values = getattr(search, facet)
    if not values:
        return Q()
    match facet:
        case "country":
            return Q(country__iso3__in=values)
        case "region":
            return Q(country__region_name__in=values)
        case "group":
            condition = Q()
            for group in values:
                condition |= Q(**{f"country__is_{group}": True})
            return condition
        case "theme":
            return Q(
                pk__in=CaseStudy.themes.through.objects.filter(theme__slug__in=values).values(
                    "casestudy_id"
                )
            )
        case "sdg":
            return Q(
                pk__in=CaseStudy.sdgs.through.objects.filter(sdg__number__in=values).values(
                    "casestudy_id"
                )
            )
        case "year":
            return Q(year__in=values)
        case "organization":
            return Q(organization__slug__in=values)
        case "event":
            return Q(event__slug__in=values)
    raise ValueError(f"unknown facet {facet}")


def apply_filters(
    cases: QuerySet[CaseStudy], search: CaseSearch, *, skip: str = ""
) -> QuerySet[CaseStudy]:
    """AND across facets; `skip` leaves one facet out so its own counts show the alternatives."""
    condition = Q()
    for facet in (*FACETS, "event"):
        if facet != skip:
            condition &= facet_condition(search, facet)
    return cases.filter(condition)


def compute_facets(matched: QuerySet[CaseStudy], search: CaseSearch) -> dict[str, list[FacetValue]]:
    """Counts per facet value for the cases matching the words and every other facet's filter.

    One query per facet, whatever the number of cases.
    """
    facets: dict[str, list[FacetValue]] = {}
    for facet in FACETS:
        ids = apply_filters(matched, search, skip=facet).order_by().values("pk")
        selected = {str(v) for v in getattr(search, facet)}
        facets[facet] = [
            FacetValue(value=str(value), label=label, count=count, selected=str(value) in selected)
            for value, label, count in _counts(facet, ids)
        ]
    return facets


def _counts(facet: str, ids: QuerySet) -> list[tuple[object, str, int]]:
    in_ids = Q(cases__in=ids)
    match facet:
        case "country":
            rows = (
                Country.objects.annotate(n=Count("cases", filter=in_ids))
                .filter(n__gt=0)
                .order_by("name")
                .values_list("iso3", "name", "n")
            )
            return list(rows)
        case "region":
            rows = (
                CaseStudy.objects.filter(pk__in=ids)
                .values("country__region_name")
                .annotate(n=Count("pk"))
                .order_by("country__region_name")
                .values_list("country__region_name", "n")
            )
            return [(name, name, n) for name, n in rows if name]
        case "group":
            totals = CaseStudy.objects.filter(pk__in=ids).aggregate(
                ldc=Count("pk", filter=Q(country__is_ldc=True)),
                lldc=Count("pk", filter=Q(country__is_lldc=True)),
                sids=Count("pk", filter=Q(country__is_sids=True)),
            )
            return [(g, GROUP_LABELS[g], totals[g]) for g in GROUP_LABELS if totals[g]]
        case "theme":
            rows = (
                Theme.objects.annotate(n=Count("cases", filter=in_ids))
                .filter(n__gt=0)
                .order_by("name")
                .values_list("slug", "name", "n")
            )
            return list(rows)
        case "sdg":
            rows = (
                SDG.objects.annotate(n=Count("cases", filter=in_ids))
                .filter(n__gt=0)
                .order_by("number")
                .values_list("number", "short_title", "n")
            )
            return [(num, f"SDG {num}: {title}", n) for num, title, n in rows]
        case "year":
            rows = (
                CaseStudy.objects.filter(pk__in=ids)
                .values("year")
                .annotate(n=Count("pk"))
                .order_by("-year")
                .values_list("year", "n")
            )
            return [(year, str(year), n) for year, n in rows]
        case "organization":
            rows = (
                Organization.objects.annotate(n=Count("cases", filter=in_ids))
                .filter(n__gt=0)
                .order_by("name")
                .values_list("slug", "name", "n")
            )
            return list(rows)
    raise ValueError(f"unknown facet {facet}")
