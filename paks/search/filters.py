"""Facet filters and facet counts, shared by every search backend."""

from __future__ import annotations

import functools
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import Q, QuerySet

from countries.models import Country, Organization
from paks.models import SDG, CaseStudy, Theme
from paks.search.base import FACETS, CaseSearch, FacetValue
from paks.search.models import THEME_BITS

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


@dataclass
class Counted:
    """What the facet query found: counts per facet value, the number of results, and, when
    asked for, the ids of the newest matches (the candidates the ranking orders)."""

    facets: dict[str, list[FacetValue]]
    total: int
    newest: list[int] = field(default_factory=list)


def facets_and_total(
    match_sql: str, match_params: list[object], search: CaseSearch, *, newest: int = 0
) -> Counted:
    """Counts per facet value, the number of results and the `newest` matches, in one query.

    `match_sql` is a condition on the index rows (alias `si`) saying which cases match the
    words. They are collected once (a materialized CTE) with their facet keys and a flag per
    chosen facet; each facet then counts, in one pass, the cases that pass every other
    facet's filter, so a visitor sees the alternatives to the values already chosen (OR
    within a facet, AND across facets).
    """
    labels = Labels.load()
    sql, params = FacetSQL(search, labels).build(match_sql, newest=newest)
    with connection.cursor() as cursor:
        cursor.execute(sql, [*match_params, *params])
        rows = cursor.fetchall()
    total, ids = 0, []
    counts: dict[str, dict[object, int]] = {facet: defaultdict(int) for facet in FACETS}
    for kind, ref, other, a, b, c in rows:
        if kind == "country" and ref in labels.countries:
            country = labels.countries[ref]
            counts["country"][ref] += a
            if country.region_name:
                counts["region"][country.region_name] += b
            for group in GROUP_LABELS:
                if getattr(country, f"is_{group}"):
                    counts["group"][group] += c
        elif kind in ("organization", "year", "theme"):  # "theme": past the bit set
            counts[kind][ref] += a
        elif kind == "newest":
            ids.append(ref)
        elif kind == "bits":  # cases with this pair of theme and SDG bit sets
            for pk in _numbers(ref):
                counts["theme"][pk] += a
            for number in _numbers(other):
                counts["sdg"][number] += b
            total += c
    organizations = {
        pk: (slug, name)
        for pk, slug, name in Organization.objects.filter(
            pk__in=[pk for pk, n in counts["organization"].items() if n]
        ).values_list("pk", "slug", "name")
    }
    facets = {}
    for facet in FACETS:
        selected = {str(v) for v in getattr(search, facet)}
        # Keys of rows deleted since the index was written have no label and are left out.
        values = [
            (*labelled, n)
            for key, n in counts[facet].items()
            if n and (labelled := _value_and_label(facet, key, labels, organizations))
        ]
        values.sort(key=_SORT_KEYS[facet])
        facets[facet] = [
            FacetValue(value=value, label=label, count=count, selected=value in selected)
            for value, label, count in values
        ]
    return Counted(facets=facets, total=total, newest=ids)


def _value_and_label(
    facet: str, key: Any, labels: Labels, organizations: dict[int, tuple[str, str]]
) -> tuple[str, str] | None:
    """What goes in the query string for a counted key, and what the visitor reads."""
    match facet:
        case "country":
            country = labels.countries[key]
            return country.iso3, country.name
        case "group":
            return key, GROUP_LABELS[key]
        case "theme":
            return labels.themes.get(key)
        case "sdg":
            return (str(key), f"SDG {key}: {labels.sdgs[key]}") if key in labels.sdgs else None
        case "organization":
            return organizations.get(key)
    return str(key), str(key)  # region, year


def matching_cases_condition(matched: QuerySet[CaseStudy]) -> tuple[str, list[object]]:
    """A condition on index rows for cases matched some other way (the substring baseline)."""
    try:
        sql, params = matched.order_by().values("pk").query.sql_with_params()
    except EmptyResultSet:  # .none()
        return "1 = 0", []
    return f"si.case_id IN ({sql})", list(params)


def _label(facet: str, value: str, label: str) -> str:
    if facet == "sdg":
        return f"SDG {value}: {label}"
    if facet == "group":
        return GROUP_LABELS[value]
    return label


_SORT_KEYS = {
    "country": lambda row: row[1],
    "region": lambda row: row[1],
    "group": lambda row: list(GROUP_LABELS).index(row[0]),
    "theme": lambda row: row[1],
    "sdg": lambda row: int(row[0]),
    "year": lambda row: -int(row[0]),
    "organization": lambda row: row[1],
}


class CountryLabel(NamedTuple):
    iso3: str
    name: str
    region_name: str
    is_ldc: bool
    is_lldc: bool
    is_sids: bool


@dataclass
class Labels:
    """The reference rows the facet counts are keyed by: every country (regions and groups
    are counted through them), theme and SDG."""

    countries: dict[int, CountryLabel]
    themes: dict[int, tuple[str, str]]  # id: slug, name
    sdgs: dict[int, str]  # SDG number: short title

    @classmethod
    def load(cls) -> Labels:
        # Tuples, not model instances: there are some 250 countries to read on every search.
        countries = Country.objects.order_by().values_list("pk", *CountryLabel._fields)
        return cls(
            countries={pk: CountryLabel(*row) for pk, *row in countries},
            themes={
                pk: (slug, name)
                for pk, slug, name in Theme.objects.values_list("pk", "slug", "name")
            },
            sdgs=dict(SDG.objects.order_by().values_list("number", "short_title")),
        )

    @property
    def has_more_themes(self) -> bool:
        return any(pk > THEME_BITS for pk in self.themes)


def _bit(n: int) -> int:
    return 1 << (n - 1)


@functools.lru_cache(maxsize=4096)
def _numbers(bits: int) -> tuple[int, ...]:
    """The numbers whose bits are set: the inverse of `_bit`."""
    return tuple(n for n in range(1, bits.bit_length() + 1) if bits & _bit(n))


class FacetSQL:
    """The single facet query, in SQL that PostgreSQL and SQLite both run."""

    def __init__(self, search: CaseSearch, labels: Labels) -> None:
        self.search = search
        self.labels = labels
        self.country = Country._meta.db_table
        self.organization = Organization._meta.db_table
        self.event = CaseStudy._meta.get_field("event").related_model._meta.db_table
        self.case_themes = CaseStudy.themes.through._meta.db_table
        # The facets with chosen values: each gets a flag column in the matches.
        self.chosen = [facet for facet in FACETS if getattr(search, facet)]

    @staticmethod
    def _in(column: str, values: tuple[object, ...]) -> tuple[str, list[object]]:
        return f"{column} IN ({', '.join(['%s'] * len(values))})", list(values)

    def _ref_in(
        self, ref: str, table: str, column: str, values: tuple[object, ...]
    ) -> tuple[str, list[object]]:
        inner, params = self._in(column, values)
        return f"si.{ref} IN (SELECT id FROM {table} WHERE {inner})", params

    def condition(self, facet: str) -> tuple[str, list[object]]:
        """The chosen values of one facet, as a condition on an index row (alias `si`)."""
        values = getattr(self.search, facet)
        match facet:
            case "country":
                return self._ref_in("country_ref", self.country, "iso3", values)
            case "region":
                return self._ref_in("country_ref", self.country, "region_name", values)
            case "group":
                flags = " OR ".join(f"is_{g} = %s" for g in values)
                sql = f"si.country_ref IN (SELECT id FROM {self.country} WHERE {flags})"
                return sql, [True] * len(values)
            case "theme":
                return self._themes(values)
            case "sdg":
                return f"(si.sdg_bits & {sum(_bit(n) for n in values)}) <> 0", []
            case "year":
                return self._in("si.year", values)
            case "organization":
                return self._ref_in("organization_ref", self.organization, "slug", values)
            case "event":
                return self._ref_in("event_ref", self.event, "slug", values)
        raise ValueError(f"unknown facet {facet}")

    def _themes(self, slugs: tuple[str, ...]) -> tuple[str, list[object]]:
        ids = [pk for pk, (slug, _name) in self.labels.themes.items() if slug in slugs]
        parts = [f"(si.theme_bits & {sum(_bit(pk) for pk in ids if pk <= THEME_BITS)}) <> 0"]
        more = [pk for pk in ids if pk > THEME_BITS]
        if more:
            inner, params = self._in("l.theme_id", tuple(more))
            parts.append(
                f"EXISTS (SELECT 1 FROM {self.case_themes} l "
                f"WHERE l.casestudy_id = si.case_id AND {inner})"
            )
            return f"({' OR '.join(parts)})", params
        return parts[0], []

    def passes(self, *, skip: str | None = None) -> str:
        """The matches that pass every chosen facet but `skip`, as a condition on `m`."""
        return " AND ".join(f"m.f_{facet} = 1" for facet in self.chosen if facet != skip) or (
            "1 = 1"
        )

    def build(self, match_sql: str, *, newest: int = 0) -> tuple[str, list[object]]:
        """Rows of (kind, key, key, count, count, count), each branch one pass over the matches.

        Themes and SDGs are counted per distinct pair of bit sets (a few hundred at most) and
        split into their bits afterwards, which is cheaper than testing each bit in each row.
        """
        none = "CAST(NULL AS BIGINT)"  # typed: PostgreSQL reads a bare NULL as text

        def count(skip: str | None = None) -> str:
            passes = self.passes(skip=skip)
            return "COUNT(*)" if passes == "1 = 1" else f"COUNT(*) FILTER (WHERE {passes})"

        branches = [
            f"SELECT 'country', m.country_ref, {none}, {count('country')}, {count('region')}, "
            f"{count('group')} FROM m GROUP BY m.country_ref",
            f"SELECT 'organization', m.organization_ref, {none}, {count('organization')}, "
            f"{none}, {none} FROM m WHERE m.organization_ref IS NOT NULL "
            "GROUP BY m.organization_ref",
            f"SELECT 'year', m.year, {none}, {count('year')}, {none}, {none} "
            "FROM m GROUP BY m.year",
            f"SELECT 'bits', m.theme_bits, m.sdg_bits, {count('theme')}, {count('sdg')}, "
            f"{count()} FROM m GROUP BY m.theme_bits, m.sdg_bits",
        ]
        if self.labels.has_more_themes:
            branches.append(
                f"SELECT 'theme', CAST(j.value AS INTEGER), {none}, {count('theme')}, {none}, "
                f"{none} FROM m {self._elements('more_themes')} WHERE m.more_themes <> '[]' "
                "GROUP BY CAST(j.value AS INTEGER)"
            )
        if newest:
            branches.append(
                f"SELECT 'newest', n.id, {none}, {none}, {none}, {none} FROM ("
                f"SELECT m.id FROM m WHERE {self.passes()} "
                f"ORDER BY m.published_at DESC, m.id DESC LIMIT {int(newest)}) n"
            )
        flags, params = [], []
        for facet in self.chosen:
            sql, values = self.condition(facet)
            flags.append(f", CASE WHEN {sql} THEN 1 ELSE 0 END AS f_{facet}")
            params += values
        where = match_sql
        if self.search.event:
            sql, values = self.condition("event")
            where, params = f"{match_sql} AND {sql}", [*params, *values]
        cte = (
            "WITH m AS MATERIALIZED (SELECT si.case_id AS id, si.country_ref, "
            "si.organization_ref, si.year, si.published_at, si.theme_bits, si.sdg_bits, "
            f"si.more_themes{''.join(flags)} FROM search_caseindex si WHERE {where}) "
        )
        union = " UNION ALL ".join(f"SELECT * FROM ({b}) AS b{i}" for i, b in enumerate(branches))
        return cte + union, params

    def _elements(self, column: str) -> str:
        """The ids in a JSON array column, one row each, as `j.value`."""
        if connection.vendor == "postgresql":
            return f"CROSS JOIN LATERAL jsonb_array_elements_text(m.{column}::jsonb) AS j(value)"
        return f"JOIN json_each(m.{column}) AS j"
