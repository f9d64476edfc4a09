"""SQLite full-text search: FTS5 with the porter stemmer, bm25 ranking, snippet() highlights,
and trigram similarity over the vocabulary for spelling suggestions.
"""

from __future__ import annotations

from django.db import connection
from django.db.models import QuerySet
from django.db.models.expressions import RawSQL

from paks.models import CaseStudy
from paks.search.engine import (
    CANDIDATES,
    SIMILARITY,
    START,
    STOP,
    FullTextBackend,
    Ranked,
    similarity,
)
from paks.search.models import SearchTerm
from paks.search.query import ParsedQuery

# bm25 weights per column: title, body, names, documents (as PostgreSQL's A, B, C, D).
BM25 = "bm25(search_fts, 10.0, 4.0, 2.0, 1.0)"


class SqliteBackend(FullTextBackend):
    def matching(self, parsed: ParsedQuery) -> QuerySet[CaseStudy]:
        matches = RawSQL("SELECT rowid FROM search_fts WHERE search_fts MATCH %s", [parsed.fts5()])
        return CaseStudy.objects.published().filter(pk__in=matches)

    def match_condition(self, parsed: ParsedQuery) -> tuple[str, list[object]]:
        return (
            "si.case_id IN (SELECT rowid FROM search_fts WHERE search_fts MATCH %s)",
            [parsed.fts5()],
        )

    def ranked_page(
        self, candidates: list[int], parsed: ParsedQuery, start: int, stop: int
    ) -> list[Ranked]:
        # bm25 is lower for better matches; the snippet comes from the summary and sections.
        among = ", ".join(["%s"] * len(candidates))
        sql = f"""
            SELECT c.id, -{BM25} AS score,
                   snippet(search_fts, 1, %s, %s, ' … ', 32) AS snippet
            FROM search_fts JOIN paks_casestudy c ON c.id = search_fts.rowid
            WHERE search_fts MATCH %s AND search_fts.rowid IN ({among})
            ORDER BY {BM25}, c.published_at DESC, c.id
            LIMIT %s OFFSET %s
        """
        params = [START, STOP, parsed.fts5(), *candidates, stop - start, start]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return [
                Ranked(case_id=pk, score=score, snippet=snip or "") for pk, score, snip in cursor
            ]

    def similar_words(self, word: str) -> list[str]:
        # Candidates share the first letter and have about the same length, as typos do.
        candidates = SearchTerm.objects.filter(word__startswith=word[:1]).values_list(
            "word", flat=True
        )
        scored = [
            (similarity(word, other), other)
            for other in candidates
            if abs(len(other) - len(word)) <= 2
        ]
        ranked = sorted(scored, key=lambda pair: (-pair[0], pair[1]))
        return [w for s, w in ranked if s >= SIMILARITY][:CANDIDATES]
