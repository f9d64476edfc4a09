"""What a case search means, written out plainly: a reference the real search is checked against.

Plain Python over plain data (no database, no index). Only `terms` is borrowed from the
product, as the definition of a word in a language, with the list of languages a query is
read in, and `territory`, as CLDR's names of a country in the six languages (data, not
logic); the query's meaning, the parts a case is searched in and their languages,
the filters, the facet counts, the order and the pages are all computed here, the slow and
obvious way.
"""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass, field

from django.conf import settings

from countries.names import territory
from paks.search.text import SEARCHED_LANGUAGES, terms

FACETS = ("country", "region", "group", "theme", "sdg", "year", "organization")
SORTS = ("relevance", "newest", "oldest", "title")


# The corpus ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Country:
    iso3: str
    name: str
    region_name: str  # may be empty: such a country counts in no region
    is_ldc: bool = False
    is_lldc: bool = False
    is_sids: bool = False
    iso2: str = ""  # CLDR's key: the country is found by its name in each language

    @property
    def named(self) -> list[tuple[str, str]]:
        """The country's name in English and in each of the six languages, with the language."""
        names = [(self.name, "en")]
        names += [(territory(self.iso2, self.name, code), code) for code, _ in settings.LANGUAGES]
        return names

    @property
    def names(self) -> list[str]:
        return list(dict.fromkeys(name for name, _language in self.named))


@dataclass(frozen=True)
class Organization:
    slug: str
    name: str
    acronym: str = ""


@dataclass(frozen=True)
class Theme:
    slug: str
    name: str
    # Its name in other languages, as (language, name) pairs: each is searched in its language.
    translations: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class SDG:
    number: int
    short_title: str
    title: str


@dataclass(frozen=True)
class Event:
    slug: str
    title: str
    kind_label: str  # Event.get_kind_display()
    city: str
    host: Country | None
    is_public: bool
    language: str = "en"  # of its title


@dataclass(frozen=True)
class Document:
    title: str
    extracted_text: str  # empty: nothing of the document is searched, not even its title
    language: str = ""  # empty: the case's


@dataclass(frozen=True)
class Translation:
    """A person's translation of a case; only a published one is searched."""

    language: str
    title: str
    summary: str = ""
    published: bool = True


@dataclass(frozen=True)
class Case:
    pk: int
    title: str
    country: Country
    year: int
    published: bool
    published_at: datetime.datetime | None
    summary: str = ""
    challenge: str = ""
    solution: str = ""
    results: str = ""
    lessons_learned: str = ""
    organization: Organization | None = None
    themes: tuple[Theme, ...] = ()
    sdgs: tuple[SDG, ...] = ()
    event: Event | None = None
    documents: tuple[Document, ...] = ()
    language: str = "en"
    translations: tuple[Translation, ...] = ()

    @property
    def languages(self) -> set[str]:
        """The languages the case can be read in: its own and its published translations'."""
        return {self.language} | {t.language for t in self.translations if t.published}


def parts(case: Case) -> list[str]:
    """Every text a case is searched in; a phrase must lie within one of them."""
    return [text for text, _language in language_parts(case)]


def language_parts(case: Case) -> list[tuple[str, str]]:
    """Every text a case is searched in, with the language it is read in."""
    return [(text, language) for text, language in own_parts(case) + named_parts(case) if text]


def text_parts(case: Case) -> list[str]:
    """The case's own texts: title, sections, and the documents that have text."""
    return [text for text, _language in own_parts(case)]


def own_parts(case: Case) -> list[tuple[str, str]]:
    """The case's own texts, in the case's language; a document's in its own where it has one;
    its published translations' in theirs."""
    texts = [
        (case.title, case.language),
        (case.summary, case.language),
        (case.challenge, case.language),
        (case.solution, case.language),
        (case.results, case.language),
        (case.lessons_learned, case.language),
    ]
    for document in case.documents:
        if document.extracted_text:
            language = document.language or case.language
            texts += [(document.title, language), (document.extracted_text, language)]
    for translation in case.translations:
        if translation.published:
            texts += [(translation.title, translation.language)]
            texts += [(translation.summary, translation.language)]
    return texts


def name_parts(case: Case) -> list[str]:
    """The names of what the case refers to, each a part of its own."""
    return [text for text, _language in named_parts(case)]


def named_parts(case: Case) -> list[tuple[str, str]]:
    """The names of what the case refers to, each with the language it is read in."""
    names = list(case.country.named)
    if case.organization:
        names += [(case.organization.name, "en"), (case.organization.acronym, "en")]
    for theme in case.themes:
        names += [(theme.name, "en"), *((name, language) for language, name in theme.translations)]
    for sdg in case.sdgs:
        names += [(f"SDG {sdg.number}", "en"), (sdg.short_title, "en"), (sdg.title, "en")]
    event = case.event
    if event and event.is_public:
        names += [(event.title, event.language), (event.kind_label, "en"), (event.city, "en")]
        if event.host:
            names += event.host.named
    return names


def facet_values(case: Case, facet: str) -> set[str]:
    """The values a case has in a facet, as the query string spells them."""
    match facet:
        case "country":
            return {case.country.iso3}
        case "region":
            return {case.country.region_name} if case.country.region_name else set()
        case "group":
            flags = {
                "ldc": case.country.is_ldc,
                "lldc": case.country.is_lldc,
                "sids": case.country.is_sids,
            }
            return {group for group, flagged in flags.items() if flagged}
        case "theme":
            return {theme.slug for theme in case.themes}
        case "sdg":
            return {str(sdg.number) for sdg in case.sdgs}
        case "year":
            return {str(case.year)}
        case "organization":
            return {case.organization.slug} if case.organization else set()
        case "event":
            return {case.event.slug} if case.event else set()
    raise ValueError(facet)


# The query -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Term:
    text: str  # as typed, without the quotes or the minus sign
    quoted: bool = False

    def render(self) -> str:
        return f'"{self.text}"' if self.quoted else self.text


@dataclass(frozen=True)
class Group:
    """Terms joined by `or`: any one of them will do."""

    terms: tuple[Term, ...]


@dataclass(frozen=True)
class Exclude:
    term: Term


@dataclass(frozen=True)
class Query:
    """A query as a structure; `render` gives the string a visitor would type."""

    clauses: tuple[Group | Exclude, ...] = ()
    or_word: str = "or"  # how the operator is typed: or, OR, Or
    blank: str = ""  # what an empty query is typed as: "", "   "

    def render(self) -> str:
        rendered = []
        for clause in self.clauses:
            if isinstance(clause, Group):
                rendered.append(f" {self.or_word} ".join(t.render() for t in clause.terms))
            else:
                rendered.append("-" + clause.term.render())
        return " ".join(rendered) or self.blank

    @property
    def groups(self) -> list[list[list[list[str]]]]:
        """The positive groups, each a list of alternatives, each the term's readings (a list
        of terms in each language a query is read in); terms with no word in them
        (punctuation) are dropped, and so are groups left empty."""
        groups = []
        for clause in self.clauses:
            if isinstance(clause, Group):
                alternatives = [readings(t.text) for t in clause.terms]
                if alternatives := [a for a in alternatives if a]:
                    groups.append(alternatives)
        return groups

    @property
    def excluded(self) -> list[list[list[str]]]:
        words = [readings(c.term.text) for c in self.clauses if isinstance(c, Exclude)]
        return [w for w in words if w]

    @property
    def is_blank(self) -> bool:
        return not self.render().strip()


def readings(text: str) -> list[list[str]]:
    """A typed word or phrase read in each language a query is read in; empty for punctuation."""
    found = [terms(text, language) for language in SEARCHED_LANGUAGES]
    return found if found[0] else []


def occurs(needle: list[str], haystack: list[str]) -> bool:
    """Whether the terms occur consecutively, in this order."""
    n = len(needle)
    return any(haystack[i : i + n] == needle for i in range(len(haystack) - n + 1))


def matches(case: Case, query: Query) -> bool:
    if query.is_blank:
        return True
    groups = query.groups
    if not groups:
        return False  # only exclusions or punctuation: nothing to look for
    texts = [terms(text, language) for text, language in language_parts(case)]

    def found(needles: list[list[str]]) -> bool:
        """Whether any reading occurs in any part."""
        return any(occurs(needle, text) for needle in needles for text in texts)

    return all(any(found(a) for a in group) for group in groups) and not any(
        found(x) for x in query.excluded
    )


# The search ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Filters:
    """Chosen values per facet, named and typed as `CaseSearch`'s fields."""

    country: tuple[str, ...] = ()
    region: tuple[str, ...] = ()
    group: tuple[str, ...] = ()
    theme: tuple[str, ...] = ()
    sdg: tuple[int, ...] = ()
    year: tuple[int, ...] = ()
    organization: tuple[str, ...] = ()
    event: tuple[str, ...] = ()

    def chosen(self, facet: str) -> set[str]:
        return {str(v) for v in getattr(self, facet)}

    def passes(self, case: Case, *, skip: str | None = None) -> bool:
        """AND across facets, OR within one; `skip` leaves out one facet's own filter."""
        return all(
            facet_values(case, facet) & self.chosen(facet)
            for facet in (*FACETS, "event")
            if facet != skip and self.chosen(facet)
        )


@dataclass
class Answer:
    ids: list[int]  # every match, in the sort's order (relevance: by pk, compare as a set)
    facets: dict[str, dict[str, int]] = field(default_factory=dict)  # facet: {value: count}
    nothing_to_look_for: bool = False  # the search must say why it found nothing

    @property
    def total(self) -> int:
        return len(self.ids)

    def page(self, page: int, per_page: int) -> list[int]:
        return self.ids[(page - 1) * per_page : page * per_page]


def sort_key(sort: str):
    match sort:
        case "newest":
            return lambda c: (-c.published_at.timestamp(), -c.pk)
        case "oldest":
            return lambda c: (c.published_at.timestamp(), c.pk)
        case "title":
            return lambda c: (c.title, c.pk)
        case "relevance":
            return lambda c: c.pk
    raise ValueError(sort)


def search(
    cases: list[Case],
    query: Query,
    filters: Filters = Filters(),
    sort: str = "relevance",
) -> Answer:
    found = [c for c in cases if c.published and matches(c, query)]
    facets = {}
    for facet in FACETS:
        counts = Counter(
            value
            for case in found
            if filters.passes(case, skip=facet)
            for value in facet_values(case, facet)
        )
        facets[facet] = dict(counts)
    hits = sorted((c for c in found if filters.passes(c)), key=sort_key(sort))
    return Answer(
        ids=[c.pk for c in hits],
        facets=facets,
        nothing_to_look_for=not query.is_blank and not query.groups,
    )
