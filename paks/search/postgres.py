"""PostgreSQL full-text search over vectors built from the terms of `paks.search.text`.

The tsquery is built from the same terms (`ParsedQuery.tsquery`). With the `rum` extension
installed, a RUM index answers the match and orders by rank from the index itself, so
relevance covers every match at the cost of one page; without it, a GIN index answers the
match and the rank (`ts_rank`, the same figure RUM orders by) is computed from each
matching vector. pg_trgm finds near spellings for "did you mean".
"""

from __future__ import annotations

from django.contrib.postgres.search import TrigramSimilarity
from django.db import connection, transaction

from paks.search.base import CaseSearch, SearchResults
from paks.search.engine import CANDIDATES, SIMILARITY, FullTextBackend
from paks.search.filters import Conditions, Match
from paks.search.models import SearchTerm
from paks.search.query import ParsedQuery

RUM_INDEX = "caseindex_vector_rum"
_rum: dict[str, bool] = {}


def uses_rum() -> bool:
    """Whether this database has the RUM index (migration search 0006 made one if it could)."""
    name = str(connection.settings_dict["NAME"])
    if name not in _rum:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_indexes WHERE indexname = %s", [RUM_INDEX])
            _rum[name] = cursor.fetchone() is not None
    return _rum[name]


class PostgresBackend(FullTextBackend):
    def search(self, search: CaseSearch) -> SearchResults:
        with transaction.atomic(), connection.cursor() as cursor:
            # The planner costs testing a row's vector as if the vector were in the row; it is
            # out of line, and the index answers the match without reading it. Left to
            # itself, the planner reads every vector for a word that most cases have. The
            # matches, collected once for the facets, fit in memory.
            cursor.execute("SET LOCAL enable_seqscan = off; SET LOCAL work_mem = '32MB'")
            return super().search(search)

    def condition(self, parsed: ParsedQuery) -> tuple[str, list[object]]:
        return "si.vector @@ CAST(%s AS tsquery)", [parsed.tsquery()]

    def statement_match(self, parsed: ParsedQuery, *, scored: bool) -> Match:
        sql, params = self.condition(parsed)
        if not scored:
            return Match(condition=sql, params=tuple(params))
        return Match(
            condition=sql,
            params=tuple(params),
            score="ts_rank(si.vector, CAST(%s AS tsquery))",
            score_params=(parsed.tsquery(),),
        )

    def ranks_by_index(self) -> bool:
        return uses_rum()

    def ranked_page(
        self, search: CaseSearch, conditions: Conditions, parsed: ParsedQuery
    ) -> list[tuple[int, float]]:
        """The page in relevance order, read from the RUM index in that order: `<=>` is the
        distance 1 / ts_rank. Ties go to the newest."""
        query = parsed.tsquery()
        where, params = conditions.all(Match(*self.condition(parsed)))
        sql = f"""
            SELECT si.case_id, si.vector <=> CAST(%s AS tsquery) AS distance
            FROM search_caseindex si WHERE {where}
            ORDER BY si.vector <=> CAST(%s AS tsquery), si.published_at DESC, si.case_id DESC
            LIMIT %s OFFSET %s
        """
        with connection.cursor() as cursor:
            cursor.execute(sql, [query, *params, query, search.per_page, search.offset])
            return [(pk, 1 / distance if distance else 0.0) for pk, distance in cursor]

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
