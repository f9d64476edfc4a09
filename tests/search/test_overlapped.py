"""On PostgreSQL, a search in a transaction of its own counts its facets on a helper
connection while it finds the page: the answer is the one the search gives alone, and both
connections read one snapshot of the data."""

import dataclasses
import datetime
import threading

import pytest
from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction
from django.test.utils import CaptureQueriesContext

from paks.models import CaseStudy
from paks.search import CaseSearch, search_cases
from paks.search.index import reindex_case
from tests.factories import CaseStudyFactory, CountryFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's own snapshots"),
]

DAY = datetime.datetime(2024, 1, 1, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def _helper_closed():
    """The helper's connection holds no lock between searches, but is closed after each test
    here, so that these tests leave no connection behind."""
    from paks.search.postgres import close_helper_connections

    yield
    close_helper_connections()


@pytest.fixture
def harbours():
    """Cases that use the word in the title, the summary or the text, in two countries."""
    countries = [CountryFactory(iso3="HRA", name="Harbouria"), CountryFactory(iso3="PRT")]
    for n in range(24):
        case = CaseStudyFactory(
            title=f"Harbour permits {n}" if n % 3 == 0 else f"Port dues {n}",
            summary="Harbour fees online." if n % 3 == 1 else "Fees online.",
            solution="The harbour master signs." if n % 2 else "",
            country=countries[n % 2],
            year=2015 + n % 4,
            status=CaseStudy.Status.PUBLISHED,
            published_at=DAY + datetime.timedelta(days=n),
        )
        reindex_case(case_id=case.pk)


def answer(search):
    results = search_cases(search)
    return (
        results.total,
        results.facets,
        [(hit.case.pk, hit.score, str(hit.snippet)) for hit in results.hits],
    )


@pytest.mark.parametrize(
    "params",
    [
        {"q": "harbour"},
        {"q": "harbour fees", "page": "2", "per_page": "5"},
        {"q": "harbour", "country": "HRA", "sort": "newest"},
        {"q": "harbour or dues", "year": ["2015", "2017"], "sort": "title"},
    ],
)
def test_counting_beside_the_page_gives_the_answer_of_a_search_alone(harbours, params):
    search = dataclasses.replace(CaseSearch.from_params(params), fresh=True)
    with CaptureQueriesContext(connection) as beside:
        overlapped = answer(search)
    statements = " ".join(q["sql"] for q in beside.captured_queries)
    assert "pg_export_snapshot()" in statements
    assert "GROUPING SETS" not in statements  # the facets were counted elsewhere
    with transaction.atomic(), CaptureQueriesContext(connection) as alone:
        assert answer(search) == overlapped
    statements = " ".join(q["sql"] for q in alone.captured_queries)
    assert "pg_export_snapshot()" not in statements
    assert "GROUPING SETS" in statements
    assert overlapped[0] > 0


def test_a_search_without_words_counts_and_pages_in_one_statement(harbours):
    search = dataclasses.replace(CaseSearch.from_params({"country": "HRA"}), fresh=True)
    with CaptureQueriesContext(connection) as alone:
        assert search_cases(search).total == 12
    assert "pg_export_snapshot()" not in " ".join(q["sql"] for q in alone.captured_queries)


def test_both_connections_read_the_snapshot_the_search_started_with(harbours):
    """A change committed by someone else while the search runs is seen by neither half."""
    from paks.search.postgres import overlapped, search_transaction

    def renamed() -> int:
        with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
            cursor.execute("SELECT COUNT(*) FROM paks_casestudy WHERE title = 'Renamed'")
            return cursor.fetchone()[0]

    committed = threading.Event()

    def counting() -> int:  # on the helper, once the change is committed
        assert committed.wait(10)
        return renamed()

    def paging() -> int:  # here: someone else commits a change meanwhile
        other = connections.create_connection(DEFAULT_DB_ALIAS)
        try:
            with other.cursor() as cursor:  # autocommit
                cursor.execute(
                    "UPDATE paks_casestudy SET title = 'Renamed' "
                    "WHERE id = (SELECT MIN(id) FROM paks_casestudy)"
                )
        finally:
            other.close()
        committed.set()
        return renamed()

    with search_transaction("SET LOCAL work_mem = '32MB'"):
        assert renamed() == 0  # the snapshot is taken
        assert overlapped(counting, paging) == (0, 0)
    assert renamed() == 1
