"""What every search backend does the same way: parse, check, count, page, explain.

A backend supplies how the words match index rows (a condition, and for the results a
`Match` that may score them), optionally a page ranked by its own index, and words spelled
like a given word. Everything else, including the snippets, is done here once.
"""

from __future__ import annotations

import dataclasses
import datetime
import functools
import hashlib
import html
import json
import unicodedata
from collections.abc import Callable, Container
from difflib import SequenceMatcher
from typing import Any, TypeVar

from django.conf import settings
from django.core.cache import cache
from django.db.models import Field, QuerySet
from django.db.models.expressions import RawSQL
from django.db.models.options import Options
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext

from countries.models import Country, Organization
from countries.names import territory
from events.models import Event
from paks.models import CaseStudy, Document
from paks.search.base import (
    FACETS,
    CaseRow,
    CaseSearch,
    CountryRef,
    DocumentMatch,
    Hit,
    OrganizationRef,
    Problems,
    SearchResults,
)
from paks.search.db import reading
from paks.search.filters import (
    Conditions,
    CountryLabel,
    Counts,
    Labels,
    Match,
    SQLParam,
    count_and_page,
    facet_values,
)
from paks.search.index import version as index_version
from paks.search.models import language_bit
from paks.search.query import ParsedQuery, Term, parse
from paks.search.text import words

EXPORT_ORDER = {
    "relevance": ("-published_at", "-pk"),
    "newest": ("-published_at", "-pk"),
    "oldest": ("published_at", "pk"),
    "title": ("title", "pk"),
}

# Spelling suggestions: trigram similarity picks candidates, edit similarity the best one.
SIMILARITY = 0.15
CANDIDATES = 10
CLOSE_ENOUGH = 0.7
SNIPPET_LENGTH = 240
# Relevance order is computed for this many results at once and kept for the pages within.
RANKED_PREFIX = 1000
# How long counts and rankings are kept; a change to the index makes them unreachable sooner.
CACHE_SECONDS = 3600

T = TypeVar("T")


def marks(text: str, parsed: ParsedQuery, language: str) -> list[tuple[int, int]]:
    """Where the query's positive terms and phrases stand in a text of this language, as
    (start, end): any reading of a term (see `paks.search.text.variants`) counts."""
    if parsed.is_empty:
        return []
    found = list(words(text, language))
    sequence = [w.term for w in found]
    present = set(sequence)
    spans = []
    for term in parsed.positive:
        for variant in term.variants:
            if not present.issuperset(variant):
                continue
            size, first = len(variant), variant[0]
            for i, word in enumerate(sequence):
                if word == first and tuple(sequence[i : i + size]) == variant:
                    spans.append((found[i].start, found[i + size - 1].end))
    return sorted(set(spans))


def excerpt(
    text: str,
    parsed: ParsedQuery,
    language: str,
    *,
    length: int = SNIPPET_LENGTH,
    spans: list[tuple[int, int]] | None = None,
) -> SafeString:
    """Escaped text around the first match, each match in <mark>; the start of the text
    when nothing matches. `spans` are the text's `marks` where the caller has them."""
    text = unicodedata.normalize("NFC", text)  # the form `words` measures spans in
    if spans is None:
        spans = marks(text, parsed, language)
    start = 0
    if spans:
        start = max(0, spans[0][0] - length // 3)
        while start > 0 and not text[start - 1].isspace():  # do not cut a word
            start -= 1
    stop = min(len(text), start + length)
    while stop < len(text) and not text[stop].isspace():
        stop += 1
    pieces, last = [], start
    for begin, end in spans:
        if begin < last or end > stop:
            continue
        # html.escape, as django.utils.html.escape does, without the check for lazy text
        # that each of its calls makes: these are plain strings, a few dozen per page.
        pieces += [html.escape(text[last:begin]), f"<mark>{html.escape(text[begin:end])}</mark>"]
        last = end
    pieces.append(html.escape(text[last:stop]))
    prefix = "… " if start else ""
    suffix = " …" if stop < len(text) else ""
    return mark_safe(prefix + "".join(pieces) + suffix)  # every piece was escaped above


def trigrams(word: str) -> set[str]:
    padded = f"  {word} "
    return {padded[i : i + 3] for i in range(len(padded) - 2)}


def similarity(a: str, b: str) -> float:
    """pg_trgm's similarity: shared trigrams over all trigrams of both words."""
    ta, tb = trigrams(a), trigrams(b)
    return len(ta & tb) / len(ta | tb) if ta and tb else 0.0


class FullTextBackend:
    # Whether counts and rankings are kept per index version (not for the baseline, whose
    # cost is what the benchmark compares with).
    caches = True

    # Overridden by each backend.
    def condition(self, parsed: ParsedQuery) -> tuple[str, list[SQLParam]]:
        """The rows (alias `si`) whose terms match the query, as a WHERE condition."""
        raise NotImplementedError

    def statement_match(self, parsed: ParsedQuery, *, scored: bool) -> Match:
        """The match for the one statement; `scored` when the page is ordered by relevance
        there (and not by `ranked_page`)."""
        sql, params = self.condition(parsed)
        return Match(condition=sql, params=tuple(params))

    def ranks_by_index(self) -> bool:
        """Whether `ranked_page` orders by relevance from an index of its own."""
        return False

    def ranked_page(
        self, search: CaseSearch, conditions: Conditions, parsed: ParsedQuery, first: int
    ) -> list[tuple[int, float]]:
        """The page by relevance, the cases with the language bit `first` before the others."""
        raise NotImplementedError

    def similar_words(self, word: str) -> list[str]:
        raise NotImplementedError

    def within_index(self, parsed: ParsedQuery) -> ParsedQuery:
        """The query as this backend's statements take it: here as parsed; PostgreSQL with
        RUM leaves out the readings that no case has (`ParsedQuery.within`)."""
        return parsed

    def overlaps(self) -> bool:
        """Whether `overlapped` can count and page at the same time here."""
        return False

    def overlapped(
        self,
        counting: Callable[[], tuple[Counts | None, int]],
        paging: Callable[[], list[tuple[int, float]]],
    ) -> tuple[tuple[Counts | None, int], list[tuple[int, float]]]:
        """The counts and the page: here one after the other; a backend that `overlaps`
        computes them at the same time on two connections that see the same data."""
        return counting(), paging()

    # Shared.
    def search(self, search: CaseSearch) -> SearchResults:
        version = index_version()
        labels = Labels.current(version)
        search, problems = known_values(search, labels)
        parsed = parse(search.q)
        messages = [message for _field, message in problems]
        if parsed.message:
            messages.append(parsed.message)
        results = SearchResults(
            search=search,
            hits=[],
            total=0,
            facets={},
            message=" ".join(messages) or None,
            problems=problems,
        )
        if parsed.message and parsed.is_empty:
            return results  # nothing to look for: no results, no counts
        page = self._counted_page(search, labels, parsed, results, version)
        cases = case_rows([pk for pk, _score in page], labels, sections=not parsed.is_empty)
        results.hits = self._hits(page, cases, parsed)
        if not parsed.is_empty and results.total == 0:
            results.suggestion = self.suggest(parsed, search)
        return results

    def _counted_page(
        self,
        search: CaseSearch,
        labels: Labels,
        parsed: ParsedQuery,
        results: SearchResults,
        version: str,
    ) -> list[tuple[int, float]]:
        """Fill in the counts and total, and return the page: from the cache where this index
        version already answered the same words and filters, else computed.

        The counts depend on the words and filters alone, not on the order or page; the first
        RANKED_PREFIX results in relevance order serve every page within them.
        """
        # Without words there is no relevance: the newest come first.
        order = search.sort if not parsed.is_empty or search.sort != "relevance" else "newest"
        # By relevance, the cases that can be read in the visitor's language come first.
        first = 0
        if order == "relevance":
            first = labels.first_language(language_bit(get_language() or settings.LANGUAGE_CODE))
        keys = None
        if self.caches and not search.fresh:
            keys = self._cache_keys(search, parsed, version, first)
        # The prefix is computed only to be kept: a fresh answer computes its page alone.
        prefix = (
            keys is not None
            and order == "relevance"
            and search.offset + search.per_page <= RANKED_PREFIX
        )
        window = dataclasses.replace(search, sort=order)
        if prefix:
            window = dataclasses.replace(window, page=1, per_page=RANKED_PREFIX)
        by_index = order == "relevance" and self.ranks_by_index()
        page: list[tuple[int, float]] = []
        cached = cache.get_many(list(keys.values())) if keys else {}
        counted = cached.get(keys["counts"]) if keys else None
        ranked = cached.get(keys["ranked"]) if keys and prefix else None
        match = unscored = Match()
        sought = parsed  # what the statements look for; the snippets mark every reading
        if not parsed.is_empty and (ranked is None or counted is None):
            sought = self.within_index(parsed)
            scored = order == "relevance" and not by_index
            match = unscored = self.statement_match(sought, scored=scored)
            if scored:
                unscored = self.statement_match(sought, scored=False)

        def counting() -> tuple[Counts | None, int]:
            found = count_and_page(window, labels, unscored, counts=True, page=False)
            return found.counts, found.total

        def paging() -> list[tuple[int, float]]:
            if by_index:
                return self.ranked_page(window, Conditions(window, labels), sought, first)
            return count_and_page(window, labels, match, counts=False, page=True, first=first).page

        if ranked is None and counted is None:
            if by_index or (not parsed.is_empty and self.overlaps()):
                # Words may match most cases: count them and find the page side by side
                # where the backend can, else one after the other.
                counted, page = self.overlapped(counting, paging)
            else:  # one statement counts and pages
                found = count_and_page(window, labels, match, counts=True, page=True, first=first)
                counted, page = (found.counts, found.total), found.page
        elif counted is None:
            counted = counting()
        elif ranked is None:
            page = paging()
        if keys:
            entries = {keys["counts"]: counted}
            if prefix and ranked is None:
                entries[keys["ranked"]] = page
            cache.set_many(entries, timeout=CACHE_SECONDS)
        if prefix:
            page = (ranked if ranked is not None else page)[
                search.offset : search.offset + search.per_page
            ]
        results.facets = facet_values(search, labels, counted[0])
        results.total = counted[1]
        return page

    def _cache_keys(
        self, search: CaseSearch, parsed: ParsedQuery, version: str, first: int
    ) -> dict[str, str]:
        """Where this index version keeps the counts and ranking of these words and filters;
        the ranking also by the language that comes first."""
        filters = [getattr(search, name) for name in (*FACETS, "event")]
        what = repr((type(self).__name__, parsed.tsquery(), filters, search.facets))
        digest = hashlib.sha256(what.encode()).hexdigest()
        return {
            "counts": f"paks:search:{version}:counts:{digest}",
            "ranked": f"paks:search:{version}:ranked:{first}:{digest}",
        }

    def all_matches(self, search: CaseSearch) -> QuerySet[CaseStudy]:
        """Every published case the query and filters match, unpaged, for exports; in the
        search's order (newest first for relevance)."""
        labels = Labels.current(index_version())
        search, _problems = known_values(search, labels)
        parsed = parse(search.q)
        if parsed.message and parsed.is_empty:
            return CaseStudy.objects.none()
        order = EXPORT_ORDER.get(search.sort, EXPORT_ORDER["newest"])
        if parsed.is_empty and not search.has_filters:  # every published case: no index needed
            return CaseStudy.objects.published().order_by(*order)
        words_given = not parsed.is_empty
        sql, params = self.condition(parsed) if words_given else ("1 = 1", [])
        where, where_params = Conditions(search, labels).all(Match(sql, tuple(params)))
        rows = RawSQL(f"SELECT si.case_id FROM search_caseindex si WHERE {where}", where_params)
        return CaseStudy.objects.published().filter(pk__in=rows).order_by(*order)

    def finds_anything(self, parsed: ParsedQuery) -> bool:
        sql, params = self.condition(parsed)
        with reading().cursor() as cursor:
            cursor.execute(f"SELECT 1 FROM search_caseindex si WHERE {sql} LIMIT 1", params)
            return cursor.fetchone() is not None

    def _hits(
        self, page: list[tuple[int, float]], cases: dict[int, CaseRow], parsed: ParsedQuery
    ) -> list[Hit]:
        hits, elsewhere = [], []
        for pk, score in page:
            case = cases.get(pk)
            if case is None:
                continue
            shown, spans = case.summary, None
            for text in (case.summary, *case.sections):
                if text and (spans := marks(text, parsed, case.language)):
                    shown = text
                    break
            else:
                if not parsed.is_empty:
                    elsewhere.append(pk)
            snippet = excerpt(shown, parsed, case.language, spans=spans)
            hits.append(Hit(case=case, score=score, snippet=snippet))
        # Cases whose own text does not show the words: look for them in their documents.
        found = (
            self._document_matches({pk: cases[pk].language for pk in elsewhere}, parsed)
            if elsewhere
            else {}
        )
        return [
            dataclasses.replace(hit, document_match=found[hit.case.pk])
            if hit.case.pk in found
            else hit
            for hit in hits
        ]

    def _document_matches(
        self, case_languages: dict[int, str], parsed: ParsedQuery
    ) -> dict[int, DocumentMatch]:
        """Where in a case's documents the words occur: the first page that has one of them.
        `case_languages`: the cases' own languages, which documents without one are in."""
        found: dict[int, DocumentMatch] = {}
        documents = (
            Document.objects.public()
            .filter(case_id__in=list(case_languages))
            .exclude(extracted_text="")
            .order_by("case_id", "uploaded_at", "pk")
            .only("pk", "case_id", "title", "media_type", "extracted_text", "language")
        )
        for document in documents:
            if document.case_id is None or document.case_id in found:
                continue
            language = document.language or case_languages[document.case_id]
            pages = document.extracted_text.split("\f")
            for number, text in enumerate(pages, start=1):
                if spans := marks(text, parsed, language):
                    found[document.case_id] = DocumentMatch(
                        document_id=document.pk,
                        title=document.title,
                        page=number if len(pages) > 1 else None,
                        snippet=excerpt(text, parsed, language, spans=spans),
                        unit=document.page_unit,
                    )
                    break
        return found

    def suggest(self, parsed: ParsedQuery, search: CaseSearch) -> str | None:
        """A close spelling of the query that does find something, or None."""
        corrected = []
        for term in parsed.positive:
            typed = term.typed.lower()
            if term.is_phrase or len(typed) < 3 or self.finds_anything(_only(term)):
                continue  # phrases, short words and words that find something stay as typed
            candidates = [c for c in self.similar_words(typed) if c != typed]
            scored = [(SequenceMatcher(None, typed, c).ratio(), c) for c in candidates]
            best = max(scored, default=(0.0, ""), key=lambda pair: (pair[0], -len(pair[1])))
            if best[0] >= CLOSE_ENOUGH:
                corrected.append((typed, best[1]))
        if not corrected:
            return None
        suggestion = search.q.lower()
        for wrong, right in corrected:
            suggestion = suggestion.replace(wrong, right)
        better = parse(suggestion)
        if better.is_empty or not self.finds_anything(better):
            return None
        return suggestion


SECTIONS = ("challenge", "solution", "results", "lessons_learned")
CASE_COLUMNS = ("id", "slug", "title", "year", "summary", "language", "published_at", "updated_at")
ORGANIZATION_COLUMNS = ("slug", "name", "acronym", "short_name")


@functools.cache
def _case_rows_sql(vendor: str, *, sections: bool) -> str:
    """The statement reading a page's cases with their organizations, written once: built by
    the ORM each time it cost three times the query itself."""
    case, organization = CaseStudy._meta, Organization._meta

    def column(meta: Options[Any], name: str) -> str:
        field = meta.get_field(name)
        assert isinstance(field, Field)  # a column of the table, not a reverse relation
        return str(field.column)

    columns = [f"c.{column(case, name)}" for name in CASE_COLUMNS if name != "id"]
    columns = ["c.id", *columns, f"c.{column(case, 'country')}"]
    columns += [f"o.{column(organization, name)}" for name in ORGANIZATION_COLUMNS]
    columns += [f"c.{column(case, name)}" for name in SECTIONS] if sections else []
    # PostgreSQL takes the ids as one array; SQLite as a JSON array (one parameter either way).
    ids = (
        "c.id = ANY(%s)" if vendor == "postgresql" else "c.id IN (SELECT value FROM json_each(%s))"
    )
    return (
        f"SELECT {', '.join(columns)} FROM {case.db_table} c "
        f"LEFT JOIN {organization.db_table} o "
        f"ON o.{column(organization, 'id')} = c.{column(case, 'organization')} WHERE {ids}"
    )


def case_rows(ids: list[int], labels: Labels, *, sections: bool) -> dict[int, CaseRow]:
    """The cases of a page as the results show them, by id; their countries from the
    labels, and the sections only when there are words to find in them."""
    if not ids:
        return {}
    db = reading()
    sql = _case_rows_sql(db.vendor, sections=sections)
    with db.cursor() as cursor:
        cursor.execute(sql, [ids if db.vendor == "postgresql" else json.dumps(ids)])
        rows = cursor.fetchall()
    found = {}
    for pk, slug, title, year, summary, language, published, updated, country, *rest in rows:
        organization_slug, organization_name, acronym, short_name, *texts = rest
        named = labels.countries.get(country) or _country_named(country)
        found[pk] = CaseRow(
            pk=pk,
            slug=slug,
            title=title,
            year=year,
            summary=summary,
            language=language,
            published_at=_aware(published),
            updated_at=_aware(updated),
            country=CountryRef(named.iso3, named.name, territory(named.iso2, named.name)),
            organization=None
            if organization_slug is None
            else OrganizationRef(organization_slug, organization_name, acronym, short_name),
            sections=tuple(texts),
        )
    return found


def _aware(value: Any) -> Any:
    """A time as the ORM reads it: aware, in UTC (SQLite's are naive)."""
    if isinstance(value, datetime.datetime) and timezone.is_naive(value):
        return timezone.make_aware(value, datetime.UTC)
    return value


def _country_named(pk: int) -> CountryLabel:
    """A country made since the labels were read (the next search reads them again)."""
    return CountryLabel(*Country.objects.values_list(*CountryLabel._fields).get(pk=pk))


def _only(term: Term) -> ParsedQuery:
    return ParsedQuery(groups=[[term]])


def known_values(search: CaseSearch, labels: Labels) -> tuple[CaseSearch, Problems]:
    """The search without filter values that name nothing, and what was wrong with each.

    The page shows the problems and searches without those values; the API refuses them.
    """
    problems = list(search.problems)

    def keep(
        facet: str, values: tuple[T, ...], existing: Container[T], missing: str
    ) -> tuple[T, ...]:
        """`missing`: the problem a value that names nothing is noted as, with %(value)s."""
        for value in values:
            if value not in existing:
                problems.append((facet, missing % {"value": value}))
        return tuple(v for v in values if v in existing)

    def slugs(rows: QuerySet[Any], wanted: tuple[str, ...]) -> set[str]:
        """Which of these slugs name a row (asked only when some were given)."""
        return set(rows.filter(slug__in=wanted).values_list("slug", flat=True)) if wanted else set()

    if not search.has_filters:
        return search, search.problems  # nothing to check (most searches)
    known = dataclasses.replace(
        search,
        country=keep(
            "country",
            search.country,
            labels.country_codes,
            gettext("There is no country with the code “%(value)s”; it was left out."),
        ),
        region=keep(
            "region",
            search.region,
            labels.region_names,
            gettext("There is no region “%(value)s”; it was left out."),
        ),
        theme=keep(
            "theme",
            search.theme,
            labels.theme_slugs,
            gettext("There is no theme “%(value)s”; it was left out."),
        ),
        sdg=keep(
            "sdg",
            search.sdg,
            labels.sdgs,
            gettext("There is no SDG “%(value)s”; it was left out."),
        ),
        organization=keep(
            "organization",
            search.organization,
            slugs(Organization.objects.all(), search.organization),
            gettext("There is no organization “%(value)s”; it was left out."),
        ),
        event=keep(
            "event",
            search.event,
            slugs(Event.objects.public(), search.event),
            gettext("There is no event “%(value)s”; it was left out."),
        ),
    )
    return dataclasses.replace(known, problems=tuple(problems)), tuple(problems)
