"""SQLite full-text search: FTS5 over the terms of `paks.search.text`, ranked by bm25 over
every match, and trigram similarity over the vocabulary for spelling suggestions.
"""

from __future__ import annotations

from paks.search.engine import CANDIDATES, SIMILARITY, FullTextBackend, similarity
from paks.search.filters import Match, SQLParam
from paks.search.models import SearchTerm
from paks.search.query import ParsedQuery

# bm25 weights per column: title, body, names, documents. Names weigh least, as
# PostgreSQL's D; bm25 is lower for better matches.
BM25 = "bm25(search_fts, 10.0, 4.0, 0.2, 2.0)"


class SqliteBackend(FullTextBackend):
    def condition(self, parsed: ParsedQuery) -> tuple[str, list[SQLParam]]:
        return (
            "si.case_id IN (SELECT rowid FROM search_fts WHERE search_fts MATCH %s)",
            [parsed.fts5()],
        )

    def statement_match(self, parsed: ParsedQuery, *, scored: bool) -> Match:
        # FTS5 scores every match in one pass, but row by row (3 ms each at 100,000 cases)
        # when the match comes with a condition on rowid: so the matches and their scores are
        # collected first, then joined to the index rows.
        score = BM25 if scored else "0.0"
        return Match(
            source=(
                f"s AS MATERIALIZED (SELECT rowid AS id, {score} AS rank FROM search_fts "
                "WHERE search_fts MATCH %s)"
            ),
            source_params=(parsed.fts5(),),
            join="JOIN s ON s.id = si.case_id",
            score="-s.rank",
        )

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
