"""The query syntax people know, parsed once for every backend.

`digital centres` (all words), `"one-stop shop"` (a phrase), `-paper` (excluded), and
`kiosk or centre` (either). `or` binds the two terms beside it before the words around
them are joined: `a or b c` means (a or b) and c, on every database. A word that folds into
several (`covid-19`, `e-government`) is a phrase of them. Each word and phrase is read in
every searched language (`paks.search.text.variants`), and any reading matches. Anything
else is cleaned, never an error: unbalanced quotes close at the end, stray operators are
dropped, control characters become spaces.
"""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from collections.abc import Container
from dataclasses import dataclass, field

from django.utils.translation import gettext

from paks.search.text import variants

MAX_QUERY_LENGTH = 500
MAX_TERMS = 20

# Control characters but tab, line feed and carriage return (white space like any other).
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_TOKEN = re.compile(r'(-?)"([^"]*)"|(\S+)')


@dataclass(frozen=True)
class Term:
    typed: str  # as the visitor typed it, for suggestions
    # Its readings, one per way the searched languages analyse it: each is one term, or
    # the terms of a phrase in order (as many in every reading).
    variants: tuple[tuple[str, ...], ...]

    @property
    def is_phrase(self) -> bool:
        return len(self.variants[0]) > 1


@dataclass
class ParsedQuery:
    # AND across groups, OR within a group.
    groups: list[list[Term]] = field(default_factory=list)
    excluded: list[Term] = field(default_factory=list)
    message: str | None = None

    @property
    def is_empty(self) -> bool:
        return not self.groups

    @property
    def positive(self) -> list[Term]:
        return [term for group in self.groups for term in group]

    @property
    def has_phrases(self) -> bool:
        """Whether any term, excluded ones too, is a phrase (a match needs its positions)."""
        return any(term.is_phrase for term in (*self.positive, *self.excluded))

    @property
    def terms(self) -> frozenset[str]:
        """Every term of every reading, excluded ones too."""
        every = (*self.positive, *self.excluded)
        return frozenset(t for term in every for reading in term.variants for t in reading)

    def within(self, known: Container[str]) -> ParsedQuery:
        """The same query without the readings that need a term not in `known`, and without
        a word of an `or` none of whose readings is left: where `known` holds every indexed
        term, both match the same cases. A word that has no reading left and that the query
        needs, or excludes, stays as it is."""

        def kept(term: Term) -> Term:
            readings = tuple(r for r in term.variants if all(t in known for t in r))
            return dataclasses.replace(term, variants=readings or term.variants)

        def found(term: Term) -> bool:
            return any(all(t in known for t in reading) for reading in term.variants)

        groups = []
        for group in self.groups:
            left = [kept(term) for term in group if found(term)]
            groups.append(left or group)
        within = dataclasses.replace(
            self, groups=groups, excluded=[kept(term) for term in self.excluded]
        )
        return self if within == self else within

    def tsquery(self) -> str:
        """PostgreSQL tsquery text, built from finished terms: lexemes are only letters and
        digits, so quoting them is safe and nothing in them reads as an operator."""
        groups = [" | ".join(_ts(term) for term in group) for group in self.groups]
        parts = [f"({g})" for g in groups]
        parts += [f"!({_ts(term)})" for term in self.excluded]
        return " & ".join(parts)

    def fts5(self) -> str:
        """The same query in SQLite FTS5 syntax; every term quoted so none reads as an operator."""
        groups = [" OR ".join(_fts(term) for term in group) for group in self.groups]
        positive = " AND ".join(f"({g})" for g in groups)
        for term in self.excluded:
            positive = f"({positive}) NOT {_fts(term)}"
        return positive


def _ts(term: Term) -> str:
    readings = [" <-> ".join(f"'{t}'" for t in terms) for terms in term.variants]
    return readings[0] if len(readings) == 1 else "(" + " | ".join(readings) + ")"


def _fts(term: Term) -> str:
    readings = ['"' + " ".join(terms) + '"' for terms in term.variants]
    return readings[0] if len(readings) == 1 else "(" + " OR ".join(readings) + ")"


def clean(q: str) -> str:
    """Control characters read as spaces, white space folded, cut at the longest query."""
    return " ".join(CONTROL.sub(" ", q).split())[:MAX_QUERY_LENGTH]


def parse(q: str) -> ParsedQuery:
    parsed = ParsedQuery()
    q = clean(unicodedata.normalize("NFKC", q))
    if not q:
        return parsed
    if q.count('"') % 2:
        q += '"'  # an unclosed phrase runs to the end
    pending_or = False
    count = 0
    for minus, phrase, bare in _TOKEN.findall(q):
        if bare and bare.lower() == "or":
            pending_or = bool(parsed.groups)
            continue
        negative = bool(minus) or (bare.startswith("-") and len(bare) > 1)
        typed = phrase if phrase or minus else bare.lstrip("-")
        found = variants(typed)
        if not found:
            continue  # punctuation or operators alone
        if count >= MAX_TERMS:
            parsed.message = gettext("Only the first %(number)s words were searched.") % {
                "number": MAX_TERMS
            }
            break
        term = Term(typed=typed, variants=found)
        count += 1
        if negative:
            parsed.excluded.append(term)
        elif pending_or:
            parsed.groups[-1].append(term)
        else:
            parsed.groups.append([term])
        pending_or = False
    if parsed.is_empty:
        parsed.excluded.clear()
        parsed.message = gettext(
            "Type at least one word to look for: exclusions and signs alone find nothing."
        )
    return parsed
