"""Facet filters and facet counts, shared by every search backend."""

from __future__ import annotations

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import Q, QuerySet

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


def facets_and_total(
    match_sql: str, match_params: list[object], search: CaseSearch
) -> tuple[dict[str, list[FacetValue]], int]:
    """Counts per facet value, and the number of results, in one query.

    `match_sql` is a condition on the index rows (alias `si`) saying which cases match the
    words. They are collected once (a materialized CTE) with their facet keys; each facet
    then counts the cases that pass every other facet's filter, so a visitor sees the
    alternatives to the values already chosen (OR within a facet, AND across facets).
    """
    sql, params = FacetSQL(search).build(match_sql)
    with connection.cursor() as cursor:
        cursor.execute(sql, [*match_params, *params])
        rows = cursor.fetchall()
    total = 0
    counted: dict[str, list[tuple[str, str, int]]] = {facet: [] for facet in FACETS}
    for facet, value, label, count in rows:
        if facet == "total":
            total = int(count)
        elif count:
            counted[facet].append((str(value), label, int(count)))
    facets: dict[str, list[FacetValue]] = {}
    for facet in FACETS:
        selected = {str(v) for v in getattr(search, facet)}
        values = sorted(counted[facet], key=_SORT_KEYS[facet])
        facets[facet] = [
            FacetValue(
                value=value,
                label=_label(facet, value, label),
                count=count,
                selected=value in selected,
            )
            for value, label, count in values
        ]
    return facets, total


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


class FacetSQL:
    """The single facet query, in SQL that PostgreSQL and SQLite both run."""

    def __init__(self, search: CaseSearch) -> None:
        self.search = search
        self.index = "search_caseindex"
        self.country = Country._meta.db_table
        self.organization = Organization._meta.db_table
        self.event = CaseStudy._meta.get_field("event").related_model._meta.db_table
        self.case_themes = CaseStudy.themes.through._meta.db_table
        self.case_sdgs = CaseStudy.sdgs.through._meta.db_table
        self.theme = Theme._meta.db_table
        self.sdg = SDG._meta.db_table

    @staticmethod
    def _in(column: str, values: tuple[object, ...]) -> tuple[str, list[object]]:
        return f"{column} IN ({', '.join(['%s'] * len(values))})", list(values)

    def _ref_in(
        self, ref: str, table: str, column: str, values: tuple[object, ...]
    ) -> tuple[str, list[object]]:
        inner, params = self._in(column, values)
        return f"m.{ref} IN (SELECT id FROM {table} WHERE {inner})", params

    def _linked(
        self, through: str, fk: str, table: str, column: str, values: tuple[object, ...]
    ) -> tuple[str, list[object]]:
        """The case is linked (many-to-many) to one of the rows with these values."""
        inner, params = self._in(f"x.{column}", values)
        return (
            f"EXISTS (SELECT 1 FROM {through} l JOIN {table} x ON x.id = l.{fk} "
            f"WHERE l.casestudy_id = m.id AND {inner})",
            params,
        )

    def condition(self, facet: str) -> tuple[str, list[object]]:
        values = getattr(self.search, facet)
        match facet:
            case "country":
                return self._ref_in("country_ref", self.country, "iso3", values)
            case "region":
                return self._ref_in("country_ref", self.country, "region_name", values)
            case "group":
                flags = " OR ".join(f"is_{g} = %s" for g in values)
                sql = f"m.country_ref IN (SELECT id FROM {self.country} WHERE {flags})"
                return sql, [True] * len(values)
            case "theme":
                return self._linked(self.case_themes, "theme_id", self.theme, "slug", values)
            case "sdg":
                return self._linked(self.case_sdgs, "sdg_id", self.sdg, "number", values)
            case "year":
                return self._in("m.year", values)
            case "organization":
                return self._ref_in("organization_ref", self.organization, "slug", values)
            case "event":
                return self._ref_in("event_ref", self.event, "slug", values)
        raise ValueError(f"unknown facet {facet}")

    def where(self, *, skip: str = "") -> tuple[str, list[object]]:
        parts, params = ["1 = 1"], []
        for facet in (*FACETS, "event"):
            if facet != skip and getattr(self.search, facet):
                sql, values = self.condition(facet)
                parts.append(sql)
                params += values
        return " AND ".join(parts), params

    def _elements(self, column: str) -> str:
        """The ids in a JSON array column, one row each, as `j.value`."""
        if connection.vendor == "postgresql":
            return f"CROSS JOIN LATERAL jsonb_array_elements_text(m.{column}::jsonb) AS j(value)"
        return f"JOIN json_each(m.{column}) AS j"

    def build(self, match_sql: str) -> tuple[str, list[object]]:
        text = "VARCHAR(300)"
        branches: list[str] = []
        params: list[object] = []

        def add(sql: str, *values: object) -> None:
            branches.append(sql)
            params.extend(values)

        def per(ref: str, facet: str, extra: str = "") -> tuple[str, list[object]]:
            where, values = self.where(skip=facet)
            return (
                f"SELECT m.{ref} AS ref, COUNT(*) AS n FROM m WHERE {where}{extra} "
                f"GROUP BY m.{ref}",
                values,
            )

        sub, values = per("country_ref", "country")
        add(
            f"SELECT 'country', co.iso3, co.name, x.n FROM ({sub}) x "
            f"JOIN {self.country} co ON co.id = x.ref",
            *values,
        )
        sub, values = per("country_ref", "region")
        add(
            f"SELECT 'region', co.region_name, co.region_name, SUM(x.n) FROM ({sub}) x "
            f"JOIN {self.country} co ON co.id = x.ref WHERE co.region_name <> '' "
            f"GROUP BY co.region_name",
            *values,
        )
        for group in GROUP_LABELS:
            sub, values = per("country_ref", "group")
            add(
                f"SELECT 'group', '{group}', '{group}', COALESCE(SUM(x.n), 0) FROM ({sub}) x "
                f"JOIN {self.country} co ON co.id = x.ref WHERE co.is_{group} = %s",
                *values,
                True,
            )
        for facet, column, table, value, label in (
            ("theme", "theme_refs", self.theme, "t.slug", "t.name"),
            ("sdg", "sdg_refs", self.sdg, f"CAST(t.number AS {text})", "t.short_title"),
        ):
            where, values = self.where(skip=facet)
            add(
                f"SELECT '{facet}', {value}, {label}, x.n FROM ("
                f"SELECT CAST(j.value AS INTEGER) AS ref, COUNT(*) AS n FROM m "
                f"{self._elements(column)} WHERE {where} GROUP BY CAST(j.value AS INTEGER)) x "
                f"JOIN {table} t ON t.id = x.ref",
                *values,
            )
        where, values = self.where(skip="year")
        add(
            f"SELECT 'year', CAST(m.year AS {text}), CAST(m.year AS {text}), COUNT(*) "
            f"FROM m WHERE {where} GROUP BY m.year",
            *values,
        )
        sub, values = per("organization_ref", "organization", " AND m.organization_ref IS NOT NULL")
        add(
            f"SELECT 'organization', o.slug, o.name, x.n FROM ({sub}) x "
            f"JOIN {self.organization} o ON o.id = x.ref",
            *values,
        )
        where, values = self.where()
        add(f"SELECT 'total', NULL, NULL, COUNT(*) FROM m WHERE {where}", *values)
        cte = (
            "WITH m AS MATERIALIZED (SELECT si.case_id AS id, si.country_ref, "
            "si.organization_ref, si.event_ref, si.year, si.theme_refs, si.sdg_refs "
            f"FROM {self.index} si WHERE {match_sql}) "
        )
        union = " UNION ALL ".join(f"SELECT * FROM ({b}) AS b{i}" for i, b in enumerate(branches))
        return cte + union, params
