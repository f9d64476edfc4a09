"""PostgreSQL full-text search over vectors built from the terms of `paks.search.text`.

The tsquery is built from the same terms (`ParsedQuery.tsquery`). With the `rum` extension
installed, a RUM index finds the matches (phrases too, from the positions it keeps) and
reads a page of them in rank order from the index alone, so relevance covers every match
without reading their vectors; beside it, a GIN index of the terms without their positions
finds the matches of words without a phrase, for counting. Without the extension, one GIN
index finds the matches and the rank (`ts_rank`, the same figure RUM orders by) is computed
from each matching vector. pg_trgm finds near spellings for "did you mean".
"""

from __future__ import annotations

import contextvars
import os
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor, wait
from contextlib import contextmanager
from typing import TypeVar

from django.contrib.postgres.search import TrigramSimilarity
from django.db import InterfaceError, OperationalError, connections, transaction

from paks.search.base import CaseSearch, SearchResults
from paks.search.db import reading
from paks.search.engine import CANDIDATES, SIMILARITY, FullTextBackend
from paks.search.filters import Conditions, Counts, Match, SQLParam
from paks.search.models import IndexedTerm, SearchTerm
from paks.search.query import ParsedQuery, parse

RUM_INDEX = "caseindex_vector_rum"
TERMS_INDEX = "caseindex_terms_gin"  # beside RUM: the terms without positions (search 0009)
_indexes: dict[str, frozenset[str]] = {}

REPEATABLE_READ = "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ"
T = TypeVar("T")
U = TypeVar("U")

# The settings of a search's own transaction, which a helper can share; None within a
# caller's transaction (a helper would not see what that transaction wrote).
_shared: contextvars.ContextVar[str | None] = contextvars.ContextVar("shared", default=None)
_helper_free = threading.Lock()
_pool: tuple[int, ThreadPoolExecutor] | None = None


def _helper() -> ThreadPoolExecutor:
    """This process's helper thread (a forked worker makes its own)."""
    global _pool
    if _pool is None or _pool[0] != os.getpid():
        _pool = (os.getpid(), ThreadPoolExecutor(1, thread_name_prefix="paks-search"))
    return _pool[1]


def _in_snapshot(alias: str, snapshot: str, statement: str, work: Callable[[], T]) -> T:
    """`work` on this thread's connection to `alias`, in a transaction that sees what the
    exporting one sees, with its settings."""
    db = connections[alias]
    db.close_if_unusable_or_obsolete()
    with transaction.atomic(using=alias), db.cursor() as cursor:
        cursor.execute(f"{REPEATABLE_READ}; SET TRANSACTION SNAPSHOT %s; {statement}", [snapshot])
        return work()


def close_helper_connections() -> None:
    """Close the helper thread's connections (before a test database is dropped, say)."""
    if _pool is not None and _pool[0] == os.getpid():
        _pool[1].submit(connections.close_all).result()


@contextmanager
def search_transaction(statement: str) -> Iterator[None]:
    """A transaction on the reading connection with these settings (`SET LOCAL …`).

    When it is the outermost one, it reads one snapshot throughout (repeatable read), which
    `overlapped` shares with its helper. Within a caller's transaction it keeps to that
    transaction and shares nothing: a helper would not see what that one wrote.
    """
    db = reading()
    own = not db.in_atomic_block
    with transaction.atomic(using=db.alias), db.cursor() as cursor:
        cursor.execute(f"{REPEATABLE_READ}; {statement}" if own else statement)
        shared = _shared.set(statement if own else None)
        try:
            yield
        finally:
            _shared.reset(shared)


def overlapped(background: Callable[[], T], foreground: Callable[[], U]) -> tuple[T, U]:
    """`background` on the helper thread's connection while `foreground` runs here, both in
    the snapshot of the `search_transaction` they are called in, each with its settings.

    Outside such a transaction's own snapshot, or when the helper is busy with another
    search of this process, both run here, one after the other.
    """
    statement = _shared.get()
    if statement is None or not _helper_free.acquire(blocking=False):
        return background(), foreground()
    try:
        db = reading()
        with db.cursor() as cursor:
            cursor.execute("SELECT pg_export_snapshot()")
            (snapshot,) = cursor.fetchone()
        task = contextvars.copy_context().run
        done = _helper().submit(task, _in_snapshot, db.alias, snapshot, statement, background)
        try:
            result = foreground()
        finally:
            wait([done])  # the snapshot lives only as long as this transaction
        try:
            return done.result(), result
        except (InterfaceError, OperationalError):
            # The helper's connection failed (the server restarted, say): do it here.
            return background(), result
    finally:
        _helper_free.release()


def _has_index(name: str) -> bool:
    """Whether this database has the RUM index (migration search 0006 made one if it could)
    or the terms index beside it (0009); read once per database."""
    db = reading()
    database = str(db.settings_dict["NAME"])
    if database not in _indexes:
        with db.cursor() as cursor:
            cursor.execute(
                "SELECT indexname FROM pg_indexes WHERE indexname IN (%s, %s)",
                [RUM_INDEX, TERMS_INDEX],
            )
            _indexes[database] = frozenset(row[0] for row in cursor.fetchall())
    return name in _indexes[database]


def uses_rum() -> bool:
    """Whether the RUM index ranks here."""
    return _has_index(RUM_INDEX)


class PostgresBackend(FullTextBackend):
    def search(self, search: CaseSearch) -> SearchResults:
        if parse(search.q).is_empty:
            # Every row is read (a sequential scan is the way) in one statement: no
            # transaction to hold settings, three round trips less.
            return super().search(search)
        # The planner costs testing a row's vector as if the vector were in the row; it is
        # out of line, and the index answers the match without reading it. Left to itself,
        # the planner reads every vector for a word that most cases have. At the default
        # 4 MB, ranking 141,000 matches from the RUM index sorts on disk (307 ms; 269 ms
        # in 32 MB, at 1,000,000 cases).
        with search_transaction("SET LOCAL enable_seqscan = off; SET LOCAL work_mem = '32MB'"):
            return super().search(search)

    def overlaps(self) -> bool:
        return _shared.get() is not None

    def overlapped(
        self,
        counting: Callable[[], tuple[Counts | None, int]],
        paging: Callable[[], list[tuple[int, float]]],
    ) -> tuple[tuple[Counts | None, int], list[tuple[int, float]]]:
        # For words that match most cases, counting takes about as long as ranking.
        return overlapped(counting, paging)

    def within_index(self, parsed: ParsedQuery) -> ParsedQuery:
        """Without the readings that no case has: RUM ranks a query by every one of its
        terms, present or not. Its figure stays the same without them, while `ts_rank`,
        without RUM, divides by the number of terms: there the query stays as parsed."""
        if not self.ranks_by_index():
            return parsed
        with reading().cursor() as cursor:
            cursor.execute(
                f"SELECT term FROM {IndexedTerm._meta.db_table} WHERE term = ANY(%s)",
                [sorted(parsed.terms)],
            )
            known = {term for (term,) in cursor.fetchall()}
        return parsed.within(known)

    def condition(self, parsed: ParsedQuery) -> tuple[str, list[SQLParam]]:
        """Beside RUM, words without a phrase are found in the terms index (they need no
        positions), written so that only it can answer: RUM would read every position."""
        if not parsed.has_phrases and _has_index(TERMS_INDEX):
            return "strip(si.vector) @@ CAST(%s AS tsquery)", [parsed.tsquery()]
        return self.ranked_condition(parsed)

    @staticmethod
    def ranked_condition(parsed: ParsedQuery) -> tuple[str, list[SQLParam]]:
        """The match as the RUM index answers it, beside its order by rank."""
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
        self, search: CaseSearch, conditions: Conditions, parsed: ParsedQuery, first: int
    ) -> list[tuple[int, float]]:
        """The page in relevance order, read from the RUM index in that order: `<=>` is the
        distance 1 / ts_rank.

        Ordered by the distance alone: a second sort key would make PostgreSQL read and rank
        every matching vector instead (500 ms instead of 130 ms at 95,000 matches). Equal
        ranks keep the index's order, the same on every page; within the page they are
        shown newest first. The cases that can be read in the visitor's language (`first`)
        come first, so those are read first, then the others: a page within the first ones
        takes one read, as without languages.
        """
        condition, condition_params = self.ranked_condition(parsed)
        where, params = conditions.all(Match(condition, tuple(condition_params)))
        if not first:
            return self._ranked(parsed, where, params, search.per_page, search.offset)
        in_language = f"({where}) AND (si.language_bits & {int(first)}) <> 0"
        page = self._ranked(parsed, in_language, params, search.per_page, search.offset)
        if len(page) == search.per_page:
            return page
        if page or not search.offset:
            before = search.offset + len(page)  # the page holds the last of the first ones
        else:  # the page lies past the first ones: how many were they?
            with reading().cursor() as cursor:
                cursor.execute(
                    f"SELECT COUNT(*) FROM search_caseindex si WHERE {in_language}", params
                )
                before = cursor.fetchone()[0]
        others = f"({where}) AND (si.language_bits & {int(first)}) = 0"
        rest = search.per_page - len(page)
        return page + self._ranked(parsed, others, params, rest, search.offset + len(page) - before)

    def _ranked(
        self, parsed: ParsedQuery, where: str, params: list[SQLParam], limit: int, offset: int
    ) -> list[tuple[int, float]]:
        query = parsed.tsquery()
        sql = f"""
            SELECT si.case_id, si.published_at, si.vector <=> CAST(%s AS tsquery) AS distance
            FROM search_caseindex si WHERE {where}
            ORDER BY si.vector <=> CAST(%s AS tsquery)
            LIMIT %s OFFSET %s
        """
        with reading().cursor() as cursor:
            cursor.execute(sql, [query, *params, query, limit, offset])
            rows = cursor.fetchall()
        rows.sort(key=lambda row: (row[2], -row[1].timestamp(), -row[0]))
        return [(pk, 1 / distance if distance else 0.0) for pk, _published, distance in rows]

    def similar_words(self, word: str) -> list[str]:
        # `%` uses the trigram index; a lower threshold than the default 0.3 lets a swapped
        # pair of letters in a short word through (unoin: union).
        db = reading()
        with transaction.atomic(using=db.alias), db.cursor() as cursor:
            cursor.execute("SET LOCAL pg_trgm.similarity_threshold = %s", [SIMILARITY])
            return list(
                SearchTerm.objects.extra(where=["word %% %s"], params=[word])
                .annotate(similarity=TrigramSimilarity("word", word))
                .order_by("-similarity", "word")
                .values_list("word", flat=True)[:CANDIDATES]
            )
