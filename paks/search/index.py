"""Keeping the search index in step with the cases and everything named in them.

The index holds one row per published case. It follows every change through one path,
`reindex_later(case_ids)`, which `paks.search.signals` calls for every write to a case, its
themes and SDGs, its documents, and to the countries, organizations, themes, SDGs and
events whose names are searched: after the transaction commits, the affected cases are
indexed again (a published case) or removed (any other).

What is searched, in four weights (PostgreSQL's A to D, FTS5's four columns):
- title;
- body: summary, challenge, solution, results, lessons learned;
- documents: each document's title and extracted text;
- names: country, organization (name and acronym), themes, SDGs ("SDG 10", short and full
  title) and the public event it was presented at (title, kind, city, host country).
Names count as matches but weigh least, below a single mention in a slide.

Each of these texts is a part: a phrase matches within one part, never across two. Each
part is read in its own language (see `paks.search.text`): the case's sections in the
case's, a translation's in the translation's, a document's in its own (the case's when it
has none), each name of a country, theme or goal in the language it is written in, an
event's title in the event's; the names of organizations, the kinds of events and cities
in English.
"""

from __future__ import annotations

import json
import logging
import re
import uuid
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import NamedTuple

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Prefetch, Q
from django.utils import translation
from django_tasks import task

from countries.names import territory
from paks.models import CaseStudy, CaseStudyQuerySet, CaseTranslation, Document
from paks.public_cache import public_content_changed
from paks.search.db import reading
from paks.search.models import (
    THEME_BITS,
    CaseIndex,
    IndexedTerm,
    IndexVersion,
    SearchTerm,
    language_bit,
)
from paks.search.text import terms

logger = logging.getLogger(__name__)

# PostgreSQL keeps positions up to 16,383 (later ones share the last) and a tsvector of at
# most 1 MB; a case's documents are indexed up to this many words.
MAX_DOCUMENT_TERMS = 100_000
MAX_POSITION = 16_383
MAX_POSITIONS_PER_TERM = 256
# FTS5 columns: the parts of a field are joined by this token, which no query term can be
# (underscores separate words), so that a phrase cannot run from one part into the next.
PART_BREAK = "_"
WEIGHTS = {"title": "A", "body": "B", "documents": "C", "names": "D"}
FTS_COLUMNS = ("title", "body", "names", "documents")  # search_fts, in its order
# More cases than this to reindex after one change go to the task queue in batches.
INLINE_LIMIT = 200
BATCH = 500

_VOCABULARY_WORD = re.compile(r"[^\W\d_]{3,30}")

Text = tuple[str, str]  # a part: its text and the language it is written in


def country_names(iso2: str, english: str) -> list[Text]:
    """A country by its name in each of the portal's languages: CLDR's, beside M49's
    English; a name the same in two languages is there twice, read in each."""
    names = [(english, settings.LANGUAGE_CODE)]
    names += [(territory(iso2, english, code), code) for code, _name in settings.LANGUAGES]
    return list(dict.fromkeys(names))


def parts(case: CaseStudy, documents: Iterable[Document]) -> dict[str, list[Text]]:
    """The case's searchable texts, by field, each with its language. `documents`: the
    case's, oldest first."""
    english = settings.LANGUAGE_CODE
    names = country_names(case.country.iso2, case.country.name)
    if case.organization:
        organization = case.organization
        names += [
            (organization.name, english),
            (organization.acronym, english),
            (organization.short_name, english),
        ]
    # Themes and goals by their names in every language they are translated into.
    for theme in case.themes.all():
        names += theme.every_translation("name")
    for sdg in sorted(case.sdgs.all(), key=lambda s: s.number):
        names += [(f"SDG {sdg.number}", english)]
        names += sdg.every_translation("short_title") + sdg.every_translation("title")
    event = case.event
    if event is not None and event.is_public:
        names += [(event.title, event.language)]
        with translation.override(english):  # the index is the same for all
            names += [(event.get_kind_display(), english), (event.city, english)]
        if event.country:
            names += country_names(event.country.iso2, event.country.name)
    # Published translations are searched as the case's own words: a French query finds a
    # case through its French translation (a translation of an unpublished one is not public).
    translations = [
        t for t in case.translations.all() if t.status == CaseTranslation.Status.PUBLISHED
    ]
    sections = ("summary", "challenge", "solution", "results", "lessons_learned")
    return {
        "title": [(case.title, case.language), *((t.title, t.language) for t in translations)],
        "body": [
            *((getattr(case, name), case.language) for name in sections),
            *((getattr(t, name), t.language) for t in translations for name in sections),
        ],
        "documents": [
            (text, d.language or case.language)
            for d in documents
            if d.extracted_text
            for text in (d.title, d.extracted_text)
        ],
        "names": names,
    }


def field_terms(texts: Sequence[Text], *, limit: int | None = None) -> list[list[str]]:
    """The terms of each non-empty part, up to `limit` terms in all."""
    found, room = [], limit
    for text, language in texts:
        part = terms(text, language)
        if room is not None:
            part, room = part[:room], room - len(part[:room])
        if part:
            found.append(part)
    return found


def fts_column(field: list[list[str]]) -> str:
    return f" {PART_BREAK} ".join(" ".join(part) for part in field)


def tsvector(fields: dict[str, list[list[str]]]) -> str:
    """A tsvector in PostgreSQL's text form: each term with its positions and weight.

    Positions run on through the fields and skip one between parts, so that `<->` (next
    word) never joins two parts.
    """
    positions: dict[str, list[str]] = defaultdict(list)
    position = 0
    for name, weight in WEIGHTS.items():
        for part in fields[name]:
            position += 1  # the gap between parts
            for term in part:
                position += 1
                spots = positions[term]
                if len(spots) < MAX_POSITIONS_PER_TERM:
                    spots.append(f"{min(position, MAX_POSITION)}{weight}")
    # Terms are letters and digits only (see paks.search.text), so quoting needs no escapes.
    return " ".join(f"'{term}':{','.join(spots)}" for term, spots in positions.items())


def _bits(numbers: Iterable[int]) -> int:
    """A bit set with bit n - 1 for each number n."""
    return sum({1 << (n - 1) for n in numbers})


def _language_bits(case: CaseStudy) -> int:
    """The languages the case can be read in: its own, and its published translations'."""
    languages = {case.language}
    languages |= {
        t.language for t in case.translations.all() if t.status == CaseTranslation.Status.PUBLISHED
    }
    bits = 0
    for language in languages:
        bits |= language_bit(language)
    return bits


class IndexRow(NamedTuple):
    row: CaseIndex
    fts: list[str]  # SQLite: the four FTS5 columns; empty on PostgreSQL
    terms: frozenset[str]  # PostgreSQL: the terms in the row's vector; empty on SQLite


def index_row(case: CaseStudy, texts: dict[str, list[Text]]) -> IndexRow:
    """The case's index row from its `parts`, with what goes beside it: on SQLite its four
    FTS5 columns, on PostgreSQL the terms of its vector (for `IndexedTerm`)."""
    fields = {
        name: field_terms(values, limit=MAX_DOCUMENT_TERMS if name == "documents" else None)
        for name, values in texts.items()
    }
    themes = [t.pk for t in case.themes.all()]
    row = CaseIndex(
        case_id=case.pk,
        sort_title=case.title,
        country_ref=case.country_id,
        organization_ref=case.organization_id,
        event_ref=case.event_id,
        year=case.year,
        published_at=case.published_at,
        theme_bits=_bits(pk for pk in themes if pk <= THEME_BITS),
        more_themes=json.dumps(sorted(pk for pk in themes if pk > THEME_BITS)),
        sdg_bits=_bits(s.number for s in case.sdgs.all()),
        language_bits=_language_bits(case),
    )
    if connection.vendor == "postgresql":
        row.vector = tsvector(fields)  # text form, read by the column's input function
        terms = frozenset(term for name in WEIGHTS for part in fields[name] for term in part)
        return IndexRow(row, [], terms)
    return IndexRow(row, [fts_column(fields[name]) for name in FTS_COLUMNS], frozenset())


def vocabulary(texts: Iterable[str]) -> set[str]:
    """Words as written, for "did you mean"."""
    return {w.lower() for text in texts for w in _VOCABULARY_WORD.findall(text)}


def _cases() -> CaseStudyQuerySet:
    documents = Prefetch(
        "documents",
        queryset=Document.objects.exclude(extracted_text="")
        .order_by("uploaded_at", "pk")
        .only("case_id", "title", "extracted_text", "language"),
    )
    translations = Prefetch(
        "translations", queryset=CaseTranslation.objects.published().order_by("language")
    )
    return (
        CaseStudy.objects.published()
        .select_related("country", "organization", "event__country")
        .prefetch_related("themes", "sdgs", documents, translations)
        .order_by("pk")
    )


def changed() -> None:
    """The index is about to change: what was computed from it is out of date."""
    IndexVersion.objects.update_or_create(pk=1, defaults={"token": uuid.uuid4().hex})
    public_content_changed()


def version() -> str:
    """The index's current token (see IndexVersion)."""
    # Read on every search: SQL of its own spares the ORM's compiling of the statement.
    with reading().cursor() as cursor:
        cursor.execute(f"SELECT token FROM {IndexVersion._meta.db_table} WHERE id = 1")
        row = cursor.fetchone()
    return row[0] if row else ""


def _write(cases: list[CaseStudy]) -> None:
    """Insert the cases' index rows (they have none now) and their new vocabulary; on
    PostgreSQL also the terms no row had before (`IndexedTerm`)."""
    rows: list[IndexRow] = []
    words: set[str] = set()
    for case in cases:
        texts = parts(case, case.documents.all())
        rows.append(index_row(case, texts))
        words |= vocabulary([case.title, case.summary, *(name for name, _ in texts["names"])])
    CaseIndex.objects.bulk_create([row.row for row in rows], batch_size=BATCH)
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.executemany(
                f"INSERT INTO search_fts (rowid, {', '.join(FTS_COLUMNS)}) "
                "VALUES (%s, %s, %s, %s, %s)",
                [(row.row.case_id, *row.fts) for row in rows],
            )
    SearchTerm.objects.bulk_create(
        [SearchTerm(word=w) for w in sorted(words)], ignore_conflicts=True, batch_size=1000
    )
    terms = sorted(frozenset().union(*(row.terms for row in rows)))
    IndexedTerm.objects.bulk_create(
        [IndexedTerm(term=term) for term in terms], ignore_conflicts=True, batch_size=1000
    )


@transaction.atomic
def reindex_cases(case_ids: Iterable[int]) -> int:
    """Index these cases as they are now: published ones again, any other removed.

    Returns how many were indexed.
    """
    ids = sorted(set(case_ids))
    if not ids:
        return 0
    CaseIndex.objects.filter(case_id__in=ids).delete()  # FTS5 rows go by trigger
    cases = list(_cases().filter(pk__in=ids))
    _write(cases)
    changed()  # the search answers differently from now on
    return len(cases)


def reindex_case(*, case_id: int) -> None:
    reindex_cases([case_id])


class _Reindex:
    """The on-commit callback of one transaction: the cases its changes affected."""

    def __init__(self, case_ids: Iterable[int], *, labels: bool = False) -> None:
        self.ids = set(case_ids)
        self.labels = labels  # a facet's labels changed: a new version even without cases

    def __call__(self) -> None:
        ids = sorted(self.ids)
        if not ids:
            if self.labels:
                changed()
            return
        if len(ids) <= INLINE_LIMIT:
            reindex_cases(ids)
            return
        # A rename of a country or theme with thousands of cases: the request does not wait.
        for start in range(0, len(ids), BATCH):
            reindex_batch.enqueue(ids[start : start + BATCH])


_suspended = False  # see `suspended`


@contextmanager
def suspended() -> Iterator[None]:
    """No reindexing for the changes made inside (a restore, which rebuilds the whole index
    once after loading every row)."""
    global _suspended
    _suspended, before = True, _suspended
    try:
        yield
    finally:
        _suspended = before


def reindex_later(case_ids: Iterable[int], *, labels: bool = False) -> None:
    """Reindex these cases once the surrounding transaction commits (at once without one).
    `labels`: a country, theme or SDG changed, so the index gets a new version (which the
    searches' labels are read at) even when no published case names it.

    The newest callback of a transaction (at the same savepoint) takes over the cases of
    the earlier ones, which then do nothing: a case saved ten times is indexed once. Cases
    of an enclosing savepoint stay with its callback, so rolling back an inner savepoint
    loses none of them; a rolled-back transaction's callbacks go with it.
    """
    if _suspended:
        return
    connection = transaction.get_connection()
    ids = set(case_ids)
    if connection.in_atomic_block:
        here = set(connection.savepoint_ids)
        for savepoints, callback, _robust in connection.run_on_commit:
            if isinstance(callback, _Reindex) and savepoints == here:
                ids |= callback.ids
                labels |= callback.labels
                callback.ids, callback.labels = set(), False
    transaction.on_commit(_Reindex(ids, labels=labels))


def merge_reindexing(*, since: int = 0) -> None:
    """Make the reindexing that waits for this transaction's commit one callback, from the
    `since`-th callback on. A bulk write saves each row in a savepoint of its own, released
    by now, so `reindex_later` could not merge them: merged, each case is indexed once."""
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        return
    ids: set[int] = set()
    labels = False
    for _savepoints, callback, _robust in connection.run_on_commit[since:]:
        if isinstance(callback, _Reindex):
            ids |= callback.ids
            labels |= callback.labels
            callback.ids, callback.labels = set(), False
    if ids or labels:
        reindex_later(ids, labels=labels)


@task()
def reindex_batch(case_ids: list[int]) -> int:
    return reindex_cases(case_ids)


def affected_cases(condition: Q) -> list[int]:
    """Ids of the published cases that meet a condition (cases naming a renamed row)."""
    return list(
        CaseStudy.objects.published().filter(condition).values_list("pk", flat=True).distinct()
    )


@contextmanager
def _without_vector_index() -> Iterator[None]:
    """PostgreSQL: drop the vector indexes while the rows go in, and build them once after:
    a RUM index built from all rows at once takes a fraction of the time of row-by-row
    inserts. (Searches meanwhile are slow, not wrong.)"""
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'search_caseindex' "
            "AND indexname IN ('caseindex_vector_rum', 'caseindex_terms_gin', "
            "'caseindex_vector_gin')"
        )
        indexes = cursor.fetchall()
        for name, _definition in indexes:
            cursor.execute(f"DROP INDEX {name}")
    try:
        yield
    finally:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
            # Inside a transaction with deferred foreign-key checks pending (a migration, a
            # test), CREATE INDEX refuses to run until they are checked.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            for _name, definition in indexes:
                cursor.execute(definition)
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def rebuild(*, batch_size: int = BATCH) -> int:
    """Rebuild the whole index from the published cases; returns how many were indexed."""
    with _without_vector_index():
        return _rebuild(batch_size)


def _rebuild(batch_size: int) -> int:
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM search_fts")  # at once, not row by row by trigger
    CaseIndex.objects.all().delete()
    done = 0
    batch: list[CaseStudy] = []
    for case in _cases().iterator(chunk_size=batch_size):
        batch.append(case)
        if len(batch) >= batch_size:
            with transaction.atomic():
                _write(batch)
            done, batch = done + len(batch), []
    with transaction.atomic():
        _write(batch)
        changed()
    return done + len(batch)
