"""The query syntax people know, parsed once for every backend.

`digital centres` (all words), `"one-stop shop"` (a phrase), `-paper` (excluded), and
`kiosk or centre` (either). Anything else is cleaned, never an error: unbalanced quotes
close at the end, stray operators are dropped, control characters become spaces.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

MAX_TERMS = 20
MAX_TERM_LENGTH = 60

# Letters and digits, with inner hyphens and apostrophes kept (e-government, citizen's).
_WORD = re.compile(r"\w+(?:['\u2019-]\w+)*")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


@dataclass(frozen=True)
class Term:
    words: tuple[str, ...]  # one word, or the words of a phrase in order

    @property
    def is_phrase(self) -> bool:
        return len(self.words) > 1

    @property
    def text(self) -> str:
        return " ".join(self.words)


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
    def words(self) -> list[str]:
        """Every positive word, for highlighting and suggestions."""
        return [w for group in self.groups for term in group for w in term.words]

    def websearch(self) -> str:
        """The same query in PostgreSQL's websearch_to_tsquery syntax, rebuilt from clean terms."""
        parts = [" or ".join(_web(term) for term in group) for group in self.groups]
        parts += [f"-{_web(term)}" for term in self.excluded]
        return " ".join(parts)

    def fts5(self) -> str:
        """The same query in SQLite FTS5 syntax; every term quoted so none reads as an operator."""
        groups = [" OR ".join(_fts(term) for term in group) for group in self.groups]
        positive = " AND ".join(f"({g})" for g in groups)
        for term in self.excluded:
            positive = f"({positive}) NOT {_fts(term)}"
        return positive


def _words(text: str) -> tuple[str, ...]:
    """Words of a term; inner hyphens split into a phrase, as both full-text engines do."""
    words: list[str] = []
    for match in _WORD.findall(text):
        words += [w[:MAX_TERM_LENGTH] for w in re.split(r"['\u2019-]", match.lower()) if w]
    return tuple(words)


def _web(term: Term) -> str:
    return f'"{term.text}"' if term.is_phrase else term.text


def _fts(term: Term) -> str:
    return '"' + term.text.replace('"', "") + '"'


def clean(q: str) -> str:
    q = unicodedata.normalize("NFKC", q)
    return " ".join(_CONTROL.sub(" ", q).split())


def parse(q: str) -> ParsedQuery:
    parsed = ParsedQuery()
    q = clean(q)
    if not q:
        return parsed
    if q.count('"') % 2:
        q += '"'  # an unclosed phrase runs to the end
    tokens = re.findall(r'(-?)"([^"]*)"|(\S+)', q)
    pending_or = False
    count = 0
    for minus, phrase, bare in tokens:
        if count >= MAX_TERMS:
            parsed.message = f"Only the first {MAX_TERMS} words were searched."
            break
        if bare and bare.lower() == "or":
            pending_or = bool(parsed.groups)
            continue
        negative = bool(minus) or (bare.startswith("-") and len(bare) > 1)
        words = _words(phrase if phrase or minus else bare.lstrip("-"))
        if not words:
            continue  # punctuation or operators alone
        term = Term(words)
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
        parsed.message = (
            "Type at least one word to look for: exclusions and signs alone find nothing."
        )
    return parsed
