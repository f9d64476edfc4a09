"""The naive baseline: substring matching over the same fields, as an admin search would do it.

It serves as the benchmark's point of comparison and as the fallback for databases that
have no full-text backend.
"""

from __future__ import annotations

import re

from django.db.models import Q, QuerySet
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from paks.models import CaseStudy
from paks.search.base import CaseSearch, Hit, SearchResults
from paks.search.filters import apply_filters, facets_and_total, matching_cases_condition

FIELDS = (
    "title",
    "summary",
    "challenge",
    "solution",
    "results",
    "lessons_learned",
    "country__name",
    "organization__name",
    "themes__name",
    "documents__extracted_text",
)
ORDER = {
    "relevance": ("-published_at", "pk"),
    "newest": ("-published_at", "pk"),
    "oldest": ("published_at", "pk"),
    "title": ("title", "pk"),
}


def words_of(q: str) -> list[str]:
    return [w for w in re.findall(r"\w+", q.lower()) if w][:20]


def highlight(text: str, words: list[str], *, length: int = 240) -> SafeString:
    """Escaped text around the first match, with <mark> around each matched word."""
    lowered = text.lower()
    first = min((i for i in (lowered.find(w) for w in words) if i >= 0), default=0)
    start = max(0, first - length // 3)
    excerpt = text[start : start + length]
    html = escape(excerpt)
    if words:
        pattern = re.compile("|".join(re.escape(w) for w in words), re.IGNORECASE)
        pieces, last = [], 0
        for match in pattern.finditer(excerpt):
            pieces += [
                escape(excerpt[last : match.start()]),
                f"<mark>{escape(match.group())}</mark>",
            ]
            last = match.end()
        html = "".join([*pieces, escape(excerpt[last:])])
    prefix = "… " if start else ""
    suffix = " …" if start + length < len(text) else ""
    return mark_safe(prefix + html + suffix)  # every piece was escaped above


class NaiveBackend:
    def matching(self, search: CaseSearch) -> QuerySet[CaseStudy]:
        cases = CaseStudy.objects.published()
        for word in words_of(search.q):
            condition = Q()
            for field in FIELDS:
                condition |= Q(**{f"{field}__icontains": word})
            cases = cases.filter(pk__in=CaseStudy.objects.filter(condition).values("pk"))
        return cases

    def all_matches(self, search: CaseSearch) -> QuerySet[CaseStudy]:
        return apply_filters(self.matching(search), search).order_by(*ORDER[search.sort])

    def search(self, search: CaseSearch) -> SearchResults:
        matched = self.matching(search)
        filtered = apply_filters(matched, search)
        counted = facets_and_total(*matching_cases_condition(matched), search)
        facets, total = counted.facets, counted.total
        page = filtered.select_related("country", "organization").order_by(*ORDER[search.sort])[
            search.offset : search.offset + search.per_page
        ]
        words = words_of(search.q)
        hits = [Hit(case=case, score=0.0, snippet=highlight(case.summary, words)) for case in page]
        return SearchResults(search=search, hits=hits, total=total, facets=facets)
