"""PostgreSQL full-text search: a stored weighted tsvector with a GIN index,
websearch_to_tsquery, ts_rank_cd for ranking, ts_headline for snippets, pg_trgm for spelling.
"""

from __future__ import annotations

from django.contrib.postgres.search import SearchQuery, TrigramSimilarity
from django.db import connection, transaction
from django.db.models import QuerySet

from paks.models import CaseStudy
from paks.search.base import CaseSearch, SearchResults
from paks.search.engine import CANDIDATES, SIMILARITY, START, STOP, FullTextBackend, Ranked
from paks.search.index import DEFAULT_CONFIG
from paks.search.models import SearchTerm
from paks.search.query import ParsedQuery

# ts_rank_cd weights for D, C, B, A: documents, names, body, title.
WEIGHTS = [0.1, 0.2, 0.4, 1.0]
HEADLINE_OPTIONS = (
    f'StartSel="{START}", StopSel="{STOP}", MaxWords=35, MinWords=15, MaxFragments=2, '
    'FragmentDelimiter=" … "'
)


def _query(parsed: ParsedQuery) -> SearchQuery:
    return SearchQuery(parsed.websearch(), search_type="websearch", config=DEFAULT_CONFIG)


class PostgresBackend(FullTextBackend):
    def search(self, search: CaseSearch) -> SearchResults:
        with transaction.atomic(), connection.cursor() as cursor:
            # The planner costs testing a row's vector as if the vector were in the row; it is
            # out of line, and the GIN index answers the match without reading it. Left to
            # itself, the planner reads every vector for a word that most cases have (280 ms
            # instead of 17 ms at 100,000 cases). The matches, collected once for the facets,
            # fit in memory.
            cursor.execute("SET LOCAL enable_seqscan = off; SET LOCAL work_mem = '32MB'")
            return super().search(search)

    def matching(self, parsed: ParsedQuery) -> QuerySet[CaseStudy]:
        return CaseStudy.objects.published().filter(search_index__vector=_query(parsed))

    def match_condition(self, parsed: ParsedQuery) -> tuple[str, list[object]]:
        return (
            "si.vector @@ websearch_to_tsquery(%s::regconfig, %s)",
            [DEFAULT_CONFIG, parsed.websearch()],
        )

    def ranked_page(
        self, candidates: list[int], parsed: ParsedQuery, start: int, stop: int
    ) -> list[Ranked]:
        # Ranked from the index rows alone; the headline, from the case's own summary and
        # sections (the index keeps only the vector), only for the page's rows.
        sql = f"""
            SELECT r.case_id, r.rank, ts_headline(
                %s::regconfig,
                concat_ws(%s, c.summary, c.challenge, c.solution, c.results, c.lessons_learned),
                r.query, %s)
            FROM (
                SELECT si.case_id, si.published_at, q.query,
                       ts_rank_cd(%s::float4[], si.vector, q.query) AS rank
                FROM search_caseindex si,
                     websearch_to_tsquery(%s::regconfig, %s) AS q(query)
                WHERE si.case_id = ANY(%s)
                ORDER BY rank DESC, si.published_at DESC, si.case_id DESC
                LIMIT %s OFFSET %s
            ) r JOIN {CaseStudy._meta.db_table} c ON c.id = r.case_id
            ORDER BY r.rank DESC, r.published_at DESC, r.case_id DESC
        """
        params = [
            DEFAULT_CONFIG,
            "\n\n",
            HEADLINE_OPTIONS,
            WEIGHTS,
            DEFAULT_CONFIG,
            parsed.websearch(),
            candidates,
            stop - start,
            start,
        ]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return [
                Ranked(case_id=pk, score=rank, snippet=headline) for pk, rank, headline in cursor
            ]

    def similar_words(self, word: str) -> list[str]:
        # `%` uses the trigram index; a lower threshold than the default 0.3 lets a swapped
        # pair of letters in a short word through (unoin: union).
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL pg_trgm.similarity_threshold = %s", [SIMILARITY])
            return list(
                SearchTerm.objects.extra(where=["word %% %s"], params=[word])
                .annotate(similarity=TrigramSimilarity("word", word))
                .order_by("-similarity", "word")
                .values_list("word", flat=True)[:CANDIDATES]
            )
