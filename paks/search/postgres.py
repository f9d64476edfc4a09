"""PostgreSQL full-text search: a stored weighted tsvector with a GIN index,
websearch_to_tsquery, ts_rank_cd for ranking, ts_headline for snippets, pg_trgm for spelling.
"""

from __future__ import annotations

from django.contrib.postgres.search import (
    SearchHeadline,
    SearchQuery,
    SearchRank,
    TrigramSimilarity,
)
from django.db import connection, transaction
from django.db.models import F, QuerySet, TextField, Value
from django.db.models.functions import Concat

from paks.models import CaseStudy
from paks.search.base import CaseSearch, SearchResults
from paks.search.engine import CANDIDATES, SIMILARITY, START, STOP, FullTextBackend, Ranked
from paks.search.index import DEFAULT_CONFIG
from paks.search.models import SearchTerm
from paks.search.query import ParsedQuery

# ts_rank_cd weights for D, C, B, A: documents, names, body, title.
WEIGHTS = [0.1, 0.2, 0.4, 1.0]


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
        query = _query(parsed)
        # PostgreSQL computes the headline only for the rows left after ORDER BY and LIMIT.
        rows = (
            CaseStudy.objects.filter(pk__in=candidates)
            .annotate(
                rank=SearchRank(
                    F("search_index__vector"), query, weights=WEIGHTS, cover_density=True
                ),
                # The case's own summary and sections: the index keeps only the vector.
                headline=SearchHeadline(
                    Concat(
                        "summary",
                        Value("\n\n"),
                        "challenge",
                        Value("\n\n"),
                        "solution",
                        Value("\n\n"),
                        "results",
                        Value("\n\n"),
                        "lessons_learned",
                        output_field=TextField(),
                    ),
                    query,
                    config=DEFAULT_CONFIG,
                    start_sel=START,
                    stop_sel=STOP,
                    max_words=35,
                    min_words=15,
                    max_fragments=2,
                    fragment_delimiter=" … ",
                ),
            )
            .order_by("-rank", "-published_at", "pk")
            .values_list("pk", "rank", "headline")
        )[start:stop]
        return [Ranked(case_id=pk, score=rank, snippet=headline) for pk, rank, headline in rows]

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
