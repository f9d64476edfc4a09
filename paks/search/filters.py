"""One definition of "matches": the facet counts, the total and the page of results come
from the same conditions on the index rows, in one statement.

The matching index rows are collected once (a materialized CTE `m`) with a flag per chosen
facet; each facet then counts, in one pass, the cases that pass every other facet's filter,
so a visitor sees the alternatives to the values already chosen (OR within a facet, AND
across facets), and each count is what clicking its value gives. The page is read from the
same rows with every flag set.
"""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from operator import itemgetter
from typing import Any, NamedTuple

from django.conf import settings
from django.db import connection
from django.utils import translation
from django.utils.translation import get_language, gettext, pgettext_lazy

from countries.models import Country, Organization
from countries.names import region, sort_key, territory
from paks.models import CaseStudy
from paks.search.base import FACETS, CaseSearch, FacetValue
from paks.search.db import reading
from paks.search.models import THEME_BITS
from taxonomy.models import SDG, Theme

# Shown as the group facet's values, in the page's language (see `Shown`).
GROUP_LABELS = {
    "ldc": pgettext_lazy("abbreviation of Least developed countries", "LDC"),
    "lldc": pgettext_lazy("abbreviation of Landlocked developing countries", "LLDC"),
    "sids": pgettext_lazy("abbreviation of Small island developing States", "SIDS"),
}

# How each sort orders the matches `m`; relevance also needs a `score` (higher is better),
# and puts the cases in the visitor's language first (see `Statement.order`).
ORDER = {
    "relevance": "m.score DESC, m.published_at DESC, m.id DESC",
    "newest": "m.published_at DESC, m.id DESC",
    "oldest": "m.published_at ASC, m.id ASC",
    "title": "m.sort_title ASC, m.id ASC",
}

# A value sent with a statement for a `%s`: a word, a code, an id, a flag.
SQLParam = str | int | float | bool | None

NONE = "CAST(NULL AS BIGINT)"  # typed: PostgreSQL reads a bare NULL in a UNION as text
NO_SCORE = "CAST(NULL AS DOUBLE PRECISION)"


@dataclass(frozen=True)
class Match:
    """Which index rows (alias `si`) the words match, and how well.

    `condition` is a WHERE condition on `si`; `score` an expression for relevance, higher is
    better. A backend may compute the match first in CTEs (`source`, placed before `m`) and
    join them (`join`, after `FROM search_caseindex si`): SQLite scores FTS5 matches so.
    """

    condition: str = "1 = 1"
    params: tuple[SQLParam, ...] = ()
    score: str = "0.0"
    score_params: tuple[SQLParam, ...] = ()
    source: str = ""
    source_params: tuple[SQLParam, ...] = ()
    join: str = ""


Counts = dict[str, dict[Any, int]]  # facet: {key (an id, a number, a name): cases}


@dataclass
class Counted:
    """What the statement found: cases per facet key (None when facets were not asked for),
    the number of results, and one page of case ids with their scores, in order."""

    counts: Counts | None
    total: int
    page: list[tuple[int, float]] = field(default_factory=list)


def _texts(translations: dict[str, dict[str, str]], field: str) -> dict[str, str]:
    """{language: text} of one field of a row's translations."""
    return {language: t[field] for language, t in translations.items() if t.get(field)}


class CountryLabel(NamedTuple):
    iso3: str
    name: str
    region_name: str
    iso2: str  # CLDR's key for the country's name in another language
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
    # In the other languages: theme id: {language: name}; SDG number: {language: short title}.
    theme_names: dict[int, dict[str, str]] = field(default_factory=dict)
    sdg_titles: dict[int, dict[str, str]] = field(default_factory=dict)
    # id: slug, name; read as counts name them (there may be thousands, most never counted).
    organizations: dict[int, tuple[str, str]] = field(default_factory=dict)
    _shown: dict[str, Shown] = field(default_factory=dict, repr=False)

    def organizations_named(self, ids: Iterable[int]) -> dict[int, tuple[str, str]]:
        """Slug and name of these organizations, read once per index version: a rename
        of one that published cases name reindexes them, which makes a new version."""
        missing = [pk for pk in ids if pk not in self.organizations]
        if missing:
            self.organizations.update(
                (pk, (slug, name))
                for pk, slug, name in Organization.objects.filter(pk__in=missing).values_list(
                    "pk", "slug", "name"
                )
            )
        return self.organizations

    @classmethod
    def current(cls, version: str) -> Labels:
        """The labels at this index version, read once per process and version: a change
        to a country, theme or SDG makes a new version (see `paks.search.signals`)."""
        global _current
        if _current is None or _current[0] != version:
            _current = (version, cls.load())
        return _current[1]

    @staticmethod
    def forget() -> None:
        """Read the labels again on the next search of this process."""
        global _current
        _current = None

    @classmethod
    def load(cls) -> Labels:
        # Tuples, not model instances: there are some 250 countries to read on every search.
        countries = Country.objects.order_by().values_list("pk", *CountryLabel._fields)
        themes = Theme.objects.values_list("pk", "slug", "name", "translations")
        sdgs = SDG.objects.order_by().values_list("number", "short_title", "translations")
        return cls(
            countries={pk: CountryLabel(*row) for pk, *row in countries},
            themes={pk: (slug, name) for pk, slug, name, _t in themes},
            sdgs={number: title for number, title, _t in sdgs},
            theme_names={pk: _texts(t, "name") for pk, _s, _n, t in themes},
            sdg_titles={number: _texts(t, "short_title") for number, _s, t in sdgs},
        )

    @functools.cached_property
    def country_codes(self) -> frozenset[str]:
        return frozenset(c.iso3 for c in self.countries.values())

    @functools.cached_property
    def region_names(self) -> frozenset[str]:
        return frozenset(c.region_name for c in self.countries.values())

    @functools.cached_property
    def theme_slugs(self) -> frozenset[str]:
        return frozenset(slug for slug, _name in self.themes.values())

    @property
    def has_more_themes(self) -> bool:
        return any(pk > THEME_BITS for pk in self.themes)

    @functools.cached_property
    def language_sets(self) -> frozenset[int]:
        """The sets of languages (`CaseIndex.language_bits`) the indexed cases can be read
        in, read once per process and version, by the first search with words."""
        with reading().cursor() as cursor:
            cursor.execute("SELECT DISTINCT language_bits FROM search_caseindex")
            return frozenset(bits for (bits,) in cursor.fetchall())

    def first_language(self, bit: int) -> int:
        """`bit`, if some indexed cases can be read in that language and others not: then
        those come first by relevance. Else 0: the language orders nothing."""
        sets = self.language_sets
        return bit if any(s & bit for s in sets) and any(not s & bit for s in sets) else 0

    def shown(self, language: str) -> Shown:
        """Each facet key as the visitor reads it in `language`, labelled and with its
        place in the order, made once per process, index version and language: labelling
        and collating some 300 names on every request took longer than counting them."""
        if language not in self._shown:
            self._shown[language] = Shown.of(self, language)
        return self._shown[language]

    @functools.cached_property
    def country_facets(self) -> dict[int, tuple[str, tuple[str, ...]]]:
        """Each country's region and the groups it belongs to, which its count adds to."""
        return {
            pk: (c.region_name, tuple(g for g in GROUP_LABELS if getattr(c, f"is_{g}")))
            for pk, c in self.countries.items()
        }


_current: tuple[str, Labels] | None = None  # the labels this process read, at that version

# A facet key as shown: (its place in the order, what goes in the query string, its label).
ShownKey = tuple[Any, str, str]


@dataclass(frozen=True)
class Shown:
    """The labels of `Labels` in one language, by facet key (see `Labels.shown`)."""

    country: dict[Any, ShownKey]
    region: dict[Any, ShownKey]
    group: dict[Any, ShownKey]
    theme: dict[Any, ShownKey]
    sdg: dict[Any, ShownKey]

    @classmethod
    def of(cls, labels: Labels, language: str) -> Shown:
        with translation.override(language):
            names = {pk: territory(c.iso2, c.name, language) for pk, c in labels.countries.items()}
            regions = {r: region(r, language) for r in labels.region_names if r}
            themes = {
                pk: labels.theme_names.get(pk, {}).get(language) or name
                for pk, (_slug, name) in labels.themes.items()
            }
            # Translators: a Sustainable Development Goal by its number and short title.
            label = gettext("SDG %(number)s: %(title)s")
            sdgs = {
                number: label
                % {
                    "number": number,
                    "title": labels.sdg_titles.get(number, {}).get(language) or title,
                }
                for number, title in labels.sdgs.items()
            }
            groups = {g: str(name) for g, name in GROUP_LABELS.items()}
        return cls(
            country={
                pk: (sort_key(names[pk], language), c.iso3, names[pk])
                for pk, c in labels.countries.items()
            },
            region={r: (sort_key(name, language), r, name) for r, name in regions.items()},
            group={g: (i, g, name) for i, (g, name) in enumerate(groups.items())},
            theme={
                pk: (sort_key(themes[pk], language), slug, themes[pk])
                for pk, (slug, _name) in labels.themes.items()
            },
            sdg={number: (number, str(number), title) for number, title in sdgs.items()},
        )


def _bit(n: int) -> int:
    return 1 << (n - 1)


@functools.lru_cache(maxsize=4096)
def _numbers(bits: int) -> tuple[int, ...]:
    """The numbers whose bits are set: the inverse of `_bit`."""
    return tuple(n for n in range(1, bits.bit_length() + 1) if bits & _bit(n))


class Conditions:
    """Each filter as a condition on an index row (alias `si`): the one definition of what
    a chosen value means, used for the counts, the page and the exports alike."""

    def __init__(self, search: CaseSearch, labels: Labels) -> None:
        self.search = search
        self.labels = labels
        self.country = Country._meta.db_table
        self.organization = Organization._meta.db_table
        event_model: Any = CaseStudy._meta.get_field("event").related_model
        self.event = event_model._meta.db_table
        self.case_themes = CaseStudy.themes.through._meta.db_table

    @staticmethod
    def _in(column: str, values: tuple[SQLParam, ...]) -> tuple[str, list[SQLParam]]:
        return f"{column} IN ({', '.join(['%s'] * len(values))})", list(values)

    def _ref_in(
        self, ref: str, table: str, column: str, values: tuple[SQLParam, ...]
    ) -> tuple[str, list[SQLParam]]:
        inner, params = self._in(column, values)
        return f"si.{ref} IN (SELECT id FROM {table} WHERE {inner})", params

    def of(self, facet: str) -> tuple[str, list[SQLParam]]:
        """The chosen values of one facet (or the event filter): OR among them."""
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

    def _themes(self, slugs: tuple[str, ...]) -> tuple[str, list[SQLParam]]:
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

    @property
    def chosen(self) -> list[str]:
        """The facets with chosen values."""
        return [facet for facet in FACETS if getattr(self.search, facet)]

    def all(self, match: Match) -> tuple[str, list[SQLParam]]:
        """The words and every filter: the rows that are results."""
        sql, params = [match.condition], list(match.params)
        for facet in (*self.chosen, "event"):
            if getattr(self.search, facet):
                condition, values = self.of(facet)
                sql.append(condition)
                params += values
        return " AND ".join(f"({s})" for s in sql), params


class Statement:
    """The facet counts, the total and one page, in one statement.

    Rows are (kind, key, count, count, count, score). Every branch reads the matches
    `m`, one row per matching case with a flag per chosen facet. SQLite collects them once
    (a materialized CTE) and counts each facet in a pass over them; PostgreSQL counts every
    facet in one pass over the index (GROUPING SETS), which is three times faster than
    collecting 95,000 matches first, and reads the page in a pass of its own.
    """

    def __init__(
        self,
        search: CaseSearch,
        labels: Labels,
        match: Match,
        *,
        counts: bool = True,
        first: int = 0,
    ) -> None:
        self.search = search
        self.labels = labels
        self.match = match
        self.first = first  # a bit of `language_bits`: those cases come first, if any
        self.conditions = Conditions(search, labels)
        self.counts = counts
        # Without facets every filter narrows the matches at once, and no flags are needed.
        self.flagged = self.conditions.chosen if search.facets and counts else []
        self.grouping_sets = connection.vendor == "postgresql"

    def passes(self, *, skip: str | None = None) -> str:
        """The matches that pass every chosen facet but `skip`, as a condition on `m`."""
        return " AND ".join(f"m.f_{facet} = 1" for facet in self.flagged if facet != skip) or (
            "1 = 1"
        )

    def _count(self, skip: str | None = None) -> str:
        passes = self.passes(skip=skip)
        return "COUNT(*)" if passes == "1 = 1" else f"COUNT(*) FILTER (WHERE {passes})"

    def _matches(self) -> tuple[str, list[SQLParam]]:
        """The SELECT of `m`: the matching index rows with their facet keys and flags."""
        params = list(self.match.score_params)
        columns = []
        for facet in self.flagged:
            sql, values = self.conditions.of(facet)
            columns.append(f", CASE WHEN {sql} THEN 1 ELSE 0 END AS f_{facet}")
            params += values
        where, where_params = self.match.condition, list(self.match.params)
        for facet in ["event", *(f for f in self.conditions.chosen if f not in self.flagged)]:
            if getattr(self.search, facet):
                sql, values = self.conditions.of(facet)
                where, where_params = f"{where} AND {sql}", [*where_params, *values]
        select = (
            f"SELECT si.case_id AS id, {self.match.score} AS score, si.country_ref, "
            "si.organization_ref, si.year, si.published_at, si.sort_title, si.theme_bits, "
            f"si.sdg_bits, si.more_themes, si.language_bits{''.join(columns)} "
            f"FROM search_caseindex si {self.match.join} WHERE {where}"
        )
        return select, [*params, *where_params]

    def _facet_branches(self) -> list[str]:
        """Each facet's counts; `{m}` stands for the matches. Themes and SDGs are counted per
        distinct bit set (a hundred or so of each) and split into their bits afterwards,
        cheaper than testing each bit in each row."""
        count = self._count
        if self.grouping_sets:
            grouped = {
                "country": "m.country_ref",
                "organization": "m.organization_ref",
                "year": "m.year",
                "themes": "m.theme_bits",
            }
            kind = " ".join(
                f"WHEN GROUPING({column}) = 0 THEN '{name}'" for name, column in grouped.items()
            )
            counted = {"country": "country", "organization": "organization", "year": "year"}
            first = " ".join(
                f"WHEN GROUPING({grouped[name]}) = 0 THEN {count(facet)}"
                for name, facet in {**counted, "themes": "theme"}.items()
            )
            branches = [
                f"SELECT CASE {kind} ELSE 'sdgs' END, COALESCE(m.country_ref, "
                f"m.organization_ref, m.year, m.theme_bits, m.sdg_bits), "
                f"CASE {first} ELSE {count('sdg')} END, "
                f"CASE WHEN GROUPING(m.country_ref) = 0 THEN {count('region')} END, "
                f"CASE WHEN GROUPING(m.country_ref) = 0 THEN {count('group')} "
                f"WHEN GROUPING(m.sdg_bits) = 0 THEN {count()} END, {NO_SCORE} FROM {{m}} "
                "GROUP BY GROUPING SETS ((m.country_ref), (m.organization_ref), (m.year), "
                "(m.theme_bits), (m.sdg_bits))"
            ]
        else:
            branches = [
                f"SELECT 'country', m.country_ref, {count('country')}, "
                f"{count('region')}, {count('group')}, {NO_SCORE} FROM {{m}} "
                "GROUP BY m.country_ref",
                f"SELECT 'organization', m.organization_ref, {count('organization')}, "
                f"{NONE}, {NONE}, {NO_SCORE} FROM {{m}} GROUP BY m.organization_ref",
                f"SELECT 'year', m.year, {count('year')}, {NONE}, {NONE}, {NO_SCORE} "
                "FROM {m} GROUP BY m.year",
                f"SELECT 'themes', m.theme_bits, {count('theme')}, {NONE}, {NONE}, "
                f"{NO_SCORE} FROM {{m}} GROUP BY m.theme_bits",
                f"SELECT 'sdgs', m.sdg_bits, {count('sdg')}, {NONE}, {count()}, "
                f"{NO_SCORE} FROM {{m}} GROUP BY m.sdg_bits",
            ]
        if self.labels.has_more_themes:
            branches.append(
                f"SELECT 'theme', CAST(j.value AS INTEGER), {count('theme')}, {NONE}, "
                f"{NONE}, {NO_SCORE} FROM {{m}} {self._elements('more_themes')} "
                "WHERE m.more_themes <> '[]' GROUP BY CAST(j.value AS INTEGER)"
            )
        return branches

    @property
    def order(self) -> str:
        """The page's order; for relevance, the cases that can be read in the visitor's
        language (`first`) before the others."""
        order = ORDER[self.search.sort]
        if self.first:
            order = f"(m.language_bits & {int(self.first)}) = 0, {order}"
        return order

    def _page_branch(self) -> str:
        """One page, numbered in its order (a UNION keeps no order of its own)."""
        order = self.order
        limit = f"LIMIT {int(self.search.per_page)} OFFSET {int(self.search.offset)}"
        numbered = order.replace("m.", "p.")
        return (
            f"SELECT 'page', p.id, ROW_NUMBER() OVER (ORDER BY {numbered}), {NONE}, "
            f"{NONE}, p.score FROM (SELECT m.id, m.score, m.published_at, m.sort_title, "
            f"m.language_bits FROM {{m}} WHERE {self.passes()} ORDER BY {order} {limit}) p"
        )

    def build(self, *, page: bool) -> tuple[str, list[SQLParam]]:
        branches = self._facet_branches() if self.counts and self.search.facets else []
        if self.counts and not self.search.facets:
            branches.append(
                f"SELECT 'total', {NONE}, {NONE}, {NONE}, COUNT(*), {NO_SCORE} FROM {{m}}"
            )
        if page:
            branches.append(self._page_branch())
        matches, params = self._matches()
        union = " UNION ALL ".join(f"SELECT * FROM ({b}) AS b{i}" for i, b in enumerate(branches))
        if self.grouping_sets:  # each branch reads the index itself
            inline = union.replace("{m}", f"({matches}) AS m")
            return inline, [*self.match.source_params, *params] * len(branches)
        source = f"{self.match.source}, " if self.match.source else ""
        cte = f"WITH {source}m AS MATERIALIZED ({matches}) "
        return cte + union.replace("{m}", "m"), [*self.match.source_params, *params]

    def _elements(self, column: str) -> str:
        """The ids in a JSON array column, one row each, as `j.value`."""
        if connection.vendor == "postgresql":
            return f"CROSS JOIN LATERAL jsonb_array_elements_text(m.{column}::jsonb) AS j(value)"
        return f"JOIN json_each(m.{column}) AS j"


def count_and_page(
    search: CaseSearch,
    labels: Labels,
    match: Match,
    *,
    counts: bool,
    page: bool,
    first: int = 0,
) -> Counted:
    """Run the statement and read its rows into counts, a total and a page (`first`: see
    `Statement`)."""
    statement = Statement(search, labels, match, counts=counts, first=first)
    sql, params = statement.build(page=page)
    with reading().cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    total = 0
    numbered: list[tuple[int, int, float]] = []
    found: Counts = {facet: defaultdict(int) for facet in FACETS}
    country_facets = labels.country_facets
    for kind, ref, a, b, c, score in rows:
        if kind == "country" and ref in country_facets:
            region_name, groups = country_facets[ref]
            found["country"][ref] += a
            if region_name:
                found["region"][region_name] += b
            for group in groups:
                found["group"][group] += c
        elif kind in ("organization", "year", "theme") and ref is not None:
            found[kind][ref] += a  # "theme": past the bit set
        elif kind == "themes":  # cases with this set of themes
            for pk in _numbers(ref):
                found["theme"][pk] += a
        elif kind == "sdgs":  # cases with this set of SDGs
            for number in _numbers(ref):
                found["sdg"][number] += a
            total += c
        elif kind == "total":
            total = c
        elif kind == "page":
            numbered.append((a, ref, float(score or 0.0)))
    return Counted(
        counts={facet: dict(keys) for facet, keys in found.items()} if search.facets else None,
        total=total,
        page=[(pk, score) for _n, pk, score in sorted(numbered)],
    )


def facet_values(
    search: CaseSearch, labels: Labels, counts: Counts | None
) -> dict[str, list[FacetValue]]:
    """The counted keys as the visitor reads them: labelled, sorted, chosen ones marked.

    Keys of rows deleted since the index was written have no label and are left out.
    """
    if counts is None:
        return {}
    shown = labels.shown(get_language() or settings.LANGUAGE_CODE)
    organizations = labels.organizations_named(pk for pk, n in counts["organization"].items() if n)
    facets = {}
    for facet in FACETS:
        selected = {str(v) for v in getattr(search, facet)}
        counted = [(key, n) for key, n in counts[facet].items() if n]
        # (order, what goes in the query string, what the visitor reads, count)
        values: list[tuple[Any, str, str, int]]
        match facet:
            case "organization":
                values = [(o[1], *o, n) for key, n in counted if (o := organizations.get(key))]
            case "year":
                values = [(-key, str(key), str(key), n) for key, n in counted]
            case _:  # one comprehension: a facet may have hundreds of keys
                named = getattr(shown, facet)
                values = [(*v, n) for key, n in counted if (v := named.get(key))]
        values.sort(key=itemgetter(0))
        facets[facet] = [
            FacetValue(value, label, n, value in selected) for _order, value, label, n in values
        ]
    return facets
