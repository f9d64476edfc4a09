"""The readings of a word that no case has are left out of what the search asks the
database (PostgreSQL with RUM ranks by every term of a query, present or not), and the
answers stay the same: the same cases, in the same order, with the same scores."""

from importlib import import_module

import pytest
from django.db import connection

from paks.search import CaseSearch, get_backend, search_cases
from paks.search.models import IndexedTerm
from paks.search.postgres import PostgresBackend
from paks.search.query import ParsedQuery, Term, parse
from tests.search.test_search import make_case

pytestmark = pytest.mark.django_db


def term(typed, *readings):
    return Term(typed=typed, variants=tuple(tuple(r.split()) for r in readings))


def test_within_leaves_out_the_readings_and_the_alternatives_that_need_unknown_terms():
    women = term("women", "women", "wom")
    cyclones = term("cyclones", "cyclon")
    floods = term("floods", "flood", "floods")
    excluded = term("telemedicine", "telemedicin", "telemedicine")
    parsed = ParsedQuery(groups=[[women], [floods, cyclones]], excluded=[excluded])
    within = parsed.within({"women", "flood", "telemedicine"})
    assert within.groups == [[term("women", "women")], [term("floods", "flood")]]
    assert within.excluded == [term("telemedicine", "telemedicine")]
    assert within.tsquery() == "('women') & ('flood') & !('telemedicine')"


def test_within_keeps_a_word_that_the_query_needs_or_excludes_when_no_reading_is_known():
    needed, excluded = term("yak", "yak", "yaks"), term("herders", "herder")
    parsed = ParsedQuery(groups=[[needed]], excluded=[excluded])
    assert parsed.within(set()) is parsed  # it finds nothing either way
    assert parsed.within({"yak", "yaks", "herder"}) is parsed  # every reading is known


def test_within_a_phrase_keeps_the_readings_whose_every_word_is_known():
    phrase = term("one-stop shop", "one stop shop", "one stop shops")
    within = ParsedQuery(groups=[[phrase]]).within({"one", "stop", "shop"})
    assert within.groups == [[term("one-stop shop", "one stop shop")]]


postgres_rum = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="PostgreSQL keeps the indexed terms"
)


def in_vectors():
    with connection.cursor() as cursor:
        cursor.execute("SELECT word FROM ts_stat('SELECT vector FROM search_caseindex')")
        return {word for (word,) in cursor.fetchall()}


def indexed_terms():
    return set(IndexedTerm.objects.values_list("term", flat=True))


@postgres_rum
def test_indexing_a_case_keeps_every_term_of_its_vector():
    make_case("Mobile payments for farmers", summary="Farmers pay fees by phone.")
    assert {"farmer", "payment", "phone"} <= in_vectors() <= indexed_terms()


@postgres_rum
def test_the_migration_reads_the_terms_of_the_vectors_already_written():
    make_case("Harbour permits", summary="Harbour permits online.")
    IndexedTerm.objects.all().delete()
    fill = import_module("paks.search.migrations.0010_indexed_terms").fill
    with connection.schema_editor() as editor:
        fill(None, editor)
    assert indexed_terms() == in_vectors() != set()


QUERIES = [
    "women entrepreneurs",  # readings in other languages that no case has
    "training programme",
    "floods or cyclones",
    "mobile payments -kiosks",
    '"mobile payments"',
    "harbour",  # no case has it at all
]


@postgres_rum
@pytest.mark.parametrize("q", QUERIES)
def test_the_same_cases_come_in_the_same_order_with_the_same_scores(q, monkeypatch):
    if not get_backend().ranks_by_index():
        pytest.skip("without RUM the query is not changed")
    texts = [
        ("Women entrepreneurs sell online", "A training programme for women entrepreneurs."),
        ("Mobile payments for traders", "Mobile payments reach women entrepreneurs."),
        ("Flood warnings by SMS", "Floods and a cyclone: warnings reach every village."),
        ("Kiosks take mobile payments", "Kiosks in villages take payments."),
        ("Training programmes", "The programme trains entrepreneurs, women and men."),
    ]
    for days, (title, summary) in enumerate(texts):
        make_case(title, summary=summary, days=days)
    parsed = parse(q)
    known = set(IndexedTerm.objects.values_list("term", flat=True))
    assert parsed.within(known) is not parsed or q in ("harbour", '"mobile payments"')

    def answer():
        results = search_cases(CaseSearch.from_params({"q": q}))
        return results.total, [(hit.case.title, hit.score) for hit in results.hits]

    within = answer()
    monkeypatch.setattr(PostgresBackend, "within_index", lambda self, parsed: parsed)
    assert answer() == within
