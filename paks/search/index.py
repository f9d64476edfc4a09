"""Keeping the search index in step with the cases.

`reindex_case` is called wherever a case's searchable content or status changes (the
workflow services, the admin, the document pipeline); it indexes a published case and
removes any other. Deleting a case deletes its index row by cascade.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable

from django.db import connection, transaction
from django.db.models import Prefetch

from paks.models import CaseStudy, Document
from paks.public_cache import public_content_changed
from paks.search.models import THEME_BITS, CaseIndex, SearchTerm

# PostgreSQL text search configuration per case language; others fall back to English.
CONFIGS = {"en": "paks_english"}
DEFAULT_CONFIG = "paks_english"
_VOCABULARY_WORD = re.compile(r"[^\W\d_]{3,30}")


def _texts(case: CaseStudy, documents: Iterable[Document] | None = None) -> dict[str, object]:
    themes = " ".join(t.name for t in case.themes.all())
    organization = case.organization
    if documents is None:
        documents = (
            Document.objects.public()
            .filter(case=case)
            .order_by("uploaded_at", "pk")
            .only("title", "extracted_text")
        )
    return {
        "title": case.title,
        "body": "\n\n".join(
            part
            for part in (
                case.summary,
                case.challenge,
                case.solution,
                case.results,
                case.lessons_learned,
            )
            if part
        ),
        "context": " ".join(
            part
            for part in (
                case.country.name,
                organization.name if organization else "",
                organization.acronym if organization else "",
                themes,
            )
            if part
        ),
        "documents": "\n\f\n".join(f"{d.title}\n{d.extracted_text}" for d in documents),
        "config": CONFIGS.get(case.language, DEFAULT_CONFIG),
        "country_ref": case.country_id,
        "organization_ref": case.organization_id,
        "event_ref": case.event_id,
        "year": case.year,
        "published_at": case.published_at,
        "theme_bits": _bits(t.pk for t in case.themes.all() if t.pk <= THEME_BITS),
        "more_themes": json.dumps(sorted(t.pk for t in case.themes.all() if t.pk > THEME_BITS)),
        "sdg_bits": _bits(s.number for s in case.sdgs.all()),
    }


def _bits(numbers: Iterable[int]) -> int:
    """A bit set with bit n - 1 for each number n."""
    return sum({1 << (n - 1) for n in numbers})


def vocabulary(texts: Iterable[str]) -> set[str]:
    return {w.lower() for text in texts for w in _VOCABULARY_WORD.findall(text)}


def _update_vectors(case_ids: list[int]) -> None:
    """PostgreSQL: the weighted vector, title A, body B, names C, documents D.

    Once the vector holds them, the texts are cleared: PostgreSQL reads only the vector and
    the facet keys, and narrow rows keep the match and the facet counts fast. (SQLite's FTS5
    table reads its text from these columns, so there they stay.)
    """
    if connection.vendor != "postgresql" or not case_ids:
        return
    with connection.cursor() as cursor:
        cursor.execute(
            """
            UPDATE search_caseindex SET vector =
                setweight(to_tsvector(config::regconfig, title), 'A')
                || setweight(to_tsvector(config::regconfig, body), 'B')
                || setweight(to_tsvector(config::regconfig, context), 'C')
                || setweight(to_tsvector(config::regconfig, documents), 'D'),
                title = '', body = '', context = '', documents = ''
            WHERE case_id = ANY(%s)
            """,
            [case_ids],
        )


def _add_terms(words: set[str]) -> None:
    SearchTerm.objects.bulk_create(
        [SearchTerm(word=w) for w in sorted(words)], ignore_conflicts=True, batch_size=1000
    )


@transaction.atomic
def reindex_case(*, case_id: int) -> None:
    """Index the case if it is published, otherwise make sure it is not in the index."""
    case = (
        CaseStudy.objects.select_related("country", "organization")
        .prefetch_related("themes", "sdgs")
        .filter(pk=case_id, status=CaseStudy.Status.PUBLISHED)
        .first()
    )
    if case is None:
        remove_case(case_id=case_id)
        return
    texts = _texts(case)
    CaseIndex.objects.update_or_create(case_id=case.pk, defaults=texts)
    _update_vectors([case.pk])
    _add_terms(vocabulary([case.title, case.summary, str(texts["context"])]))
    public_content_changed()  # the search answers differently from now on


def remove_case(*, case_id: int) -> None:
    CaseIndex.objects.filter(case_id=case_id).delete()
    public_content_changed()


def reindex_later(case_id: int) -> None:
    """Reindex once the surrounding transaction commits, so the index sees the saved case."""
    transaction.on_commit(lambda: reindex_case(case_id=case_id))


def rebuild(*, batch_size: int = 500) -> int:
    """Rebuild the whole index from the published cases; returns how many were indexed."""
    CaseIndex.objects.all().delete()
    # Published cases' documents are public: all of them are searchable.
    documents = Prefetch(
        "documents",
        queryset=Document.objects.order_by("uploaded_at", "pk").only(
            "case_id", "title", "extracted_text"
        ),
    )
    cases = (
        CaseStudy.objects.published()
        .select_related("country", "organization")
        .prefetch_related("themes", "sdgs", documents)
        .order_by("pk")
    )
    done = 0
    batch: list[CaseIndex] = []
    words: set[str] = set()
    for case in cases.iterator(chunk_size=batch_size):
        texts = _texts(case, case.documents.all())
        batch.append(CaseIndex(case_id=case.pk, **texts))
        words |= vocabulary([case.title, case.summary, str(texts["context"])])
        if len(batch) >= batch_size:
            done += _flush(batch)
    done += _flush(batch)
    _add_terms(words)
    return done


def _flush(batch: list[CaseIndex]) -> int:
    if not batch:
        return 0
    with transaction.atomic():
        CaseIndex.objects.bulk_create(batch)
        _update_vectors([row.case_id for row in batch])
    count = len(batch)
    batch.clear()
    return count
