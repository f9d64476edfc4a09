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


def compute_facets(matched: QuerySet[CaseStudy], search: CaseSearch) -> dict[str, list[FacetValue]]:
    return facets_and_total(matched, search)[0]


def facets_and_total(
    matched: QuerySet[CaseStudy], search: CaseSearch
) -> tuple[dict[str, list[FacetValue]], int]:
    """Counts per facet value, and the number of results, in one query.

    The matching cases are computed once (a materialized CTE); each facet then counts the
    cases that pass every other facet's filter, so a visitor sees the alternatives to the
    values already chosen (OR within a facet, AND across facets).
    """
    try:
        matched_sql, matched_params = matched.order_by().values("pk").query.sql_with_params()
    except EmptyResultSet:  # .none(): nothing to count, and no query to run
        return {facet: [] for facet in FACETS}, 0
    sql, params = FacetSQL(search).build(matched_sql)
    with connection.cursor() as cursor:
        cursor.execute(sql, [*matched_params, *params])
        rows = cursor.fetchall()
    total = 0
    counted: dict[str, list[tuple[str, str, int]]] = {facet: [] for facet in FACETS}
    for facet, value, label, count in rows:
        if facet == "total":
            total = count
        elif count:
            counted[facet].append((str(value), label, count))
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
    """The single facet query: portable SQL for PostgreSQL and SQLite."""

    def __init__(self, search: CaseSearch) -> None:
        self.search = search
        self.case = CaseStudy._meta.db_table
        self.country = Country._meta.db_table
        self.organization = Organization._meta.db_table
        self.event = CaseStudy._meta.get_field("event").related_model._meta.db_table
        self.case_themes = CaseStudy.themes.through._meta.db_table
        self.case_sdgs = CaseStudy.sdgs.through._meta.db_table
        self.theme = Theme._meta.db_table
        self.sdg = SDG._meta.db_table

    def _in(self, column: str, values: tuple[object, ...]) -> tuple[str, list[object]]:
        return f"{column} IN ({', '.join(['%s'] * len(values))})", list(values)

    def condition(self, facet: str) -> tuple[str, list[object]]:
        values = getattr(self.search, facet)
        match facet:
            case "country":
                return self._in("m.iso3", values)
            case "region":
                return self._in("m.region_name", values)
            case "group":
                return "(" + " OR ".join(f"m.is_{g} = %s" for g in values) + ")", [True] * len(
                    values
                )
            case "theme":
                inner, params = self._in("t.slug", values)
                return (
                    f"EXISTS (SELECT 1 FROM {self.case_themes} ct JOIN {self.theme} t "
                    f"ON t.id = ct.theme_id WHERE ct.casestudy_id = m.id AND {inner})",
                    params,
                )
            case "sdg":
                inner, params = self._in("s.number", values)
                return (
                    f"EXISTS (SELECT 1 FROM {self.case_sdgs} cs JOIN {self.sdg} s "
                    f"ON s.id = cs.sdg_id WHERE cs.casestudy_id = m.id AND {inner})",
                    params,
                )
            case "year":
                return self._in("m.year", values)
            case "organization":
                return self._in("m.org_slug", values)
            case "event":
                return self._in("m.event_slug", values)
        raise ValueError(f"unknown facet {facet}")

    def where(self, *, skip: str = "") -> tuple[str, list[object]]:
        parts, params = ["1 = 1"], []
        for facet in (*FACETS, "event"):
            if facet != skip and getattr(self.search, facet):
                sql, values = self.condition(facet)
                parts.append(sql)
                params += values
        return " AND ".join(parts), params

    def build(self, matched_sql: str) -> tuple[str, list[object]]:
        text = "VARCHAR(300)"
        branches: list[tuple[str, list[object]]] = []

        def branch(select: str, joins: str, facet: str, extra: str, group: str) -> None:
            where, params = self.where(skip=facet)
            sql = f"SELECT {select} FROM m {joins} WHERE {where}{extra}"
            branches.append((sql + (f" GROUP BY {group}" if group else ""), params))

        branch(
            "'country', m.iso3, m.country_name, COUNT(*)",
            "",
            "country",
            "",
            "m.iso3, m.country_name",
        )
        branch(
            "'region', m.region_name, m.region_name, COUNT(*)",
            "",
            "region",
            " AND m.region_name <> ''",
            "m.region_name",
        )
        for group in GROUP_LABELS:
            branch(
                f"'group', '{group}', '{group}', COUNT(*)",
                "",
                "group",
                f" AND m.is_{group} = %s",
                "",
            )
            branches[-1][1].append(True)
        branch(
            "'theme', t.slug, t.name, COUNT(*)",
            f"JOIN {self.case_themes} ct ON ct.casestudy_id = m.id "
            f"JOIN {self.theme} t ON t.id = ct.theme_id",
            "theme",
            "",
            "t.slug, t.name",
        )
        branch(
            f"'sdg', CAST(s.number AS {text}), s.short_title, COUNT(*)",
            f"JOIN {self.case_sdgs} cs ON cs.casestudy_id = m.id "
            f"JOIN {self.sdg} s ON s.id = cs.sdg_id",
            "sdg",
            "",
            "s.number, s.short_title",
        )
        branch(
            f"'year', CAST(m.year AS {text}), CAST(m.year AS {text}), COUNT(*)",
            "",
            "year",
            "",
            "m.year",
        )
        branch(
            "'organization', m.org_slug, m.org_name, COUNT(*)",
            "",
            "organization",
            " AND m.org_slug IS NOT NULL",
            "m.org_slug, m.org_name",
        )
        branch("'total', NULL, NULL, COUNT(*)", "", "", "", "")
        cte = (
            "WITH m AS MATERIALIZED ("
            f"SELECT c.id, c.year, co.iso3, co.name AS country_name, co.region_name, "
            f"co.is_ldc, co.is_lldc, co.is_sids, o.slug AS org_slug, o.name AS org_name, "
            f"e.slug AS event_slug "
            f"FROM {self.case} c JOIN {self.country} co ON co.id = c.country_id "
            f"LEFT JOIN {self.organization} o ON o.id = c.organization_id "
            f"LEFT JOIN {self.event} e ON e.id = c.event_id "
            f"WHERE c.id IN ({matched_sql})) "
        )
        sql = cte + " UNION ALL ".join(
            f"SELECT * FROM ({b}) AS b{i}" for i, (b, _) in enumerate(branches)
        )
        params = [p for _, ps in branches for p in ps]
        return sql, params
