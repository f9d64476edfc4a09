"""What every full-text backend does the same way: parse, filter, facet, page, explain.

A backend supplies three things: which published cases match a parsed query, one page of
them ranked with a highlighted snippet, and words spelled like a given word.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from difflib import SequenceMatcher

from django.db.models import QuerySet
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from paks.models import CaseStudy, Document
from paks.search.base import CaseSearch, DocumentMatch, Hit, SearchResults
from paks.search.filters import apply_filters, facets_and_total
from paks.search.naive import highlight
from paks.search.query import ParsedQuery, parse

# Backends mark matches with these characters; they are replaced after escaping the text.
START, STOP = "\x02", "\x03"

ORDER = {
    "newest": ("-published_at", "-pk"),
    "oldest": ("published_at", "pk"),
    "title": ("title", "pk"),
}


# Relevance orders at most this many matches, the newest: scoring reads each one's text, and
# a query that matches tens of thousands of cases would spend most of its time there. Further
# matches follow, newest first.
RANKED = 1000

# Spelling suggestions: trigram similarity picks candidates, edit similarity the best one.
SIMILARITY = 0.15
CANDIDATES = 10
CLOSE_ENOUGH = 0.7


@dataclass(frozen=True)
class Ranked:
    case_id: int
    score: float
    snippet: str  # plain text with START/STOP around matches; empty when none


def marked_html(text: str) -> SafeString:
    """Escape a backend's snippet, then turn its markers into <mark> elements."""
    html = escape(text).replace(START, "<mark>").replace(STOP, "</mark>")
    return mark_safe(html)  # escaped above; only our own <mark> tags are added


def highlight_terms(text: str, parsed: ParsedQuery, *, length: int = 240) -> SafeString:
    """An escaped excerpt around the first match, each term (or phrase) in <mark>.

    Phrases match across spaces and hyphens, so "e government" marks "e-government".
    """
    patterns = [
        r"[\s'\u2019-]+".join(re.escape(w) for w in term.words)
        for group in parsed.groups
        for term in group
        if term.is_phrase or len(term.words[0]) > 1
    ]
    if not patterns:
        return highlight(text, [], length=length)
    pattern = re.compile(r"\b(?:" + "|".join(patterns) + r")\w*", re.IGNORECASE)
    first = pattern.search(text)
    start = max(0, first.start() - length // 3) if first else 0
    excerpt = text[start : start + length]
    pieces, last = [], 0
    for match in pattern.finditer(excerpt):
        pieces += [escape(excerpt[last : match.start()]), f"<mark>{escape(match.group())}</mark>"]
        last = match.end()
    html = "".join([*pieces, escape(excerpt[last:])])
    prefix = "… " if start else ""
    suffix = " …" if start + length < len(text) else ""
    return mark_safe(prefix + html + suffix)  # every piece was escaped above


def fold(text: str) -> str:
    """Lower case without accents, to find where words occur in a document's text."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def trigrams(word: str) -> set[str]:
    padded = f"  {word} "
    return {padded[i : i + 3] for i in range(len(padded) - 2)}


def similarity(a: str, b: str) -> float:
    """pg_trgm's similarity: shared trigrams over all trigrams of both words."""
    ta, tb = trigrams(a), trigrams(b)
    return len(ta & tb) / len(ta | tb) if ta and tb else 0.0


class FullTextBackend:
    # Overridden by each backend.
    def matching(self, parsed: ParsedQuery) -> QuerySet[CaseStudy]:
        raise NotImplementedError

    def ranked_page(
        self, candidates: list[int], parsed: ParsedQuery, start: int, stop: int
    ) -> list[Ranked]:
        """Rows `start` to `stop` of the candidates (cases that match), best score first."""
        raise NotImplementedError

    def similar_words(self, word: str) -> list[str]:
        raise NotImplementedError

    def match_condition(self, parsed: ParsedQuery) -> tuple[str, list[object]]:
        """The same match as `matching`, as a condition on index rows (alias `si`)."""
        raise NotImplementedError

    # Shared.
    def search(self, search: CaseSearch) -> SearchResults:
        parsed = parse(search.q)
        if search.q and parsed.is_empty:
            return SearchResults(
                search=search,
                hits=[],
                total=0,
                facets=facets_and_total("1 = 0", [], search).facets,
                message=parsed.message,
            )
        matched = self.matching(parsed) if search.q else CaseStudy.objects.published()
        filtered = apply_filters(matched, search)
        condition = self.match_condition(parsed) if search.q else ("1 = 1", [])
        by_relevance = bool(search.q) and search.sort == "relevance"
        counted = facets_and_total(*condition, search, newest=RANKED if by_relevance else 0)
        facets, total = counted.facets, counted.total
        if by_relevance:
            ranked = self._relevance_page(filtered, parsed, search, counted.newest)
        else:
            ranked = self._ordered_page(filtered, search)
        cases = CaseStudy.objects.select_related("country", "organization").in_bulk(
            [r.case_id for r in ranked]
        )
        hits = self._hits(ranked, cases, parsed)
        results = SearchResults(
            search=search,
            hits=hits,
            total=total,
            facets=facets,
            message=parsed.message,
        )
        if search.q and total == 0:
            results.suggestion = self.suggest(parsed, search)
        return results

    def all_matches(self, search: CaseSearch) -> QuerySet[CaseStudy]:
        parsed = parse(search.q)
        if search.q and parsed.is_empty:
            return CaseStudy.objects.none()
        matched = self.matching(parsed) if search.q else CaseStudy.objects.published()
        return apply_filters(matched, search).order_by(*ORDER.get(search.sort, ORDER["newest"]))

    def _relevance_page(
        self,
        filtered: QuerySet[CaseStudy],
        parsed: ParsedQuery,
        search: CaseSearch,
        candidates: list[int],
    ) -> list[Ranked]:
        """One page in relevance order: the newest RANKED matches ranked by their score, then,
        when there are more, the others newest first."""
        start, stop = search.offset, search.offset + search.per_page
        ranked = []
        if start < len(candidates):
            ranked = self.ranked_page(candidates, parsed, start, min(stop, len(candidates)))
        if stop > len(candidates) == RANKED:
            rest = filtered.order_by(*ORDER["newest"]).values_list("pk", flat=True)
            ranked += [
                Ranked(case_id=pk, score=0.0, snippet="") for pk in rest[max(start, RANKED) : stop]
            ]
        return ranked

    def _ordered_page(self, filtered: QuerySet[CaseStudy], search: CaseSearch) -> list[Ranked]:
        order = ORDER.get(search.sort, ORDER["newest"])
        ids = filtered.order_by(*order).values_list("pk", flat=True)
        page = ids[search.offset : search.offset + search.per_page]
        return [Ranked(case_id=pk, score=0.0, snippet="") for pk in page]

    def _hits(
        self, ranked: list[Ranked], cases: dict[int, CaseStudy], parsed: ParsedQuery
    ) -> list[Hit]:
        words = parsed.words
        # Cases whose own text did not show the words: look for them in their documents.
        elsewhere = [r.case_id for r in ranked if words and START not in r.snippet]
        in_documents = self._document_matches(elsewhere, parsed) if elsewhere else {}
        hits = []
        for r in ranked:
            case = cases.get(r.case_id)
            if case is None:
                continue
            snippet = (
                marked_html(r.snippet)
                if START in r.snippet
                else highlight_terms(case.summary, parsed)
            )
            hits.append(
                Hit(
                    case=case,
                    score=r.score,
                    snippet=snippet,
                    document_match=in_documents.get(r.case_id),
                )
            )
        return hits

    def _document_matches(
        self, case_ids: list[int], parsed: ParsedQuery
    ) -> dict[int, DocumentMatch]:
        """Where in a case's documents the words occur: the first page that has one of them."""
        stems = [fold(w)[: max(4, len(w) - 2)] for w in parsed.words if len(w) > 1]
        found: dict[int, DocumentMatch] = {}
        documents = (
            Document.objects.public()
            .filter(case_id__in=case_ids)
            .exclude(extracted_text="")
            .order_by("case_id", "uploaded_at", "pk")
            .only("pk", "case_id", "title", "media_type", "extracted_text")
        )
        for document in documents:
            if document.case_id in found:
                continue
            pages = document.extracted_text.split("\f")
            for number, text in enumerate(pages, start=1):
                folded = fold(text)
                if any(stem in folded for stem in stems):
                    found[document.case_id] = DocumentMatch(
                        document_id=document.pk,
                        title=document.title,
                        page=number if len(pages) > 1 else None,
                        snippet=highlight_terms(text, parsed),
                        unit=document.page_unit,
                    )
                    break
        return found

    def suggest(self, parsed: ParsedQuery, search: CaseSearch) -> str | None:
        """A close spelling of the query that does find something, or None."""
        changed = False
        corrected = []
        for word in parsed.words:
            if len(word) < 3 or self.matching(parse(word)).exists():
                continue  # short words and words that find something stay as typed
            candidates = [c for c in self.similar_words(word) if c != word]
            scored = [(SequenceMatcher(None, word, c).ratio(), c) for c in candidates]
            best = max(scored, default=(0.0, ""), key=lambda pair: (pair[0], -len(pair[1])))
            if best[0] >= CLOSE_ENOUGH:
                corrected.append((word, best[1]))
                changed = True
        if not changed:
            return None
        suggestion = search.q.lower()
        for wrong, right in corrected:
            suggestion = suggestion.replace(wrong, right)
        if not self.matching(parse(suggestion)).exists():
            return None
        return suggestion
