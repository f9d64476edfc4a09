"""The naive baseline: substring matching over the same fields, as an admin search would do it.

It serves as the benchmark's point of comparison and as the fallback for databases that
have no full-text backend. Facets, pages and snippets are the shared ones; only the match
differs (every word a substring of some field, in any case; no phrases, no ranking).
"""

from __future__ import annotations

import re

from django.core.exceptions import EmptyResultSet
from django.db.models import Q

from paks.models import CaseStudy
from paks.search.engine import FullTextBackend
from paks.search.filters import SQLParam
from paks.search.query import ParsedQuery

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


class NaiveBackend(FullTextBackend):
    caches = False

    def condition(self, parsed: ParsedQuery) -> tuple[str, list[SQLParam]]:
        cases = CaseStudy.objects.published()
        typed = " ".join(term.typed for term in parsed.positive)
        for word in re.findall(r"\w+", typed.lower())[:20]:
            condition = Q()
            for field in FIELDS:
                condition |= Q(**{f"{field}__icontains": word})
            cases = cases.filter(pk__in=CaseStudy.objects.filter(condition).values("pk"))
        try:
            sql, params = cases.order_by().values("pk").query.sql_with_params()
        except EmptyResultSet:
            return "1 = 0", []
        return f"si.case_id IN ({sql})", list(params)

    def similar_words(self, word: str) -> list[str]:
        return []
