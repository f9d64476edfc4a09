"""One suite for every search backend: it runs on SQLite (FTS5) and on PostgreSQL (tsvector),
whichever database the test run uses, and expects the same results from both.
"""

import dataclasses
import datetime

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from countries.models import Country
from paks import services
from paks.models import CaseStudy
from paks.search import CaseSearch, get_backend, search_cases
from paks.search.apps import REBUILD_PENDING
from paks.search.index import changed, rebuild, reindex_case, reindex_later, version
from paks.search.models import CaseIndex, IndexVersion
from tests.factories import (
    CaseStudyFactory,
    CountryFactory,
    DocumentFactory,
    EditorFactory,
    EventFactory,
    OrganizationFactory,
    SDGFactory,
    ThemeFactory,
)

pytestmark = pytest.mark.django_db

BASE_DAY = datetime.datetime(2024, 1, 1, tzinfo=datetime.UTC)


def make_case(title, *, days=0, index=True, **fields):
    fields.setdefault("summary", "A country shares what it learned.")
    fields.setdefault("challenge", "")
    fields.setdefault("solution", "")
    fields.setdefault("results", "")
    fields.setdefault("lessons_learned", "")
    case = CaseStudyFactory(
        title=title,
        status=CaseStudy.Status.PUBLISHED,
        published_at=BASE_DAY + datetime.timedelta(days=days),
        **fields,
    )
    if index:
        reindex_case(case_id=case.pk)
    return case


def titles(q="", **params):
    results = search_cases(CaseSearch.from_params({"q": q, **params}))
    return [hit.case.title for hit in results.hits]


@pytest.fixture
def corpus():
    """A small corpus with distinct words, shared by the tests below."""
    bangladesh = CountryFactory(name="Bangladesh", iso3="BGD", iso2="BD", m49="050", is_ldc=True)
    bhutan = CountryFactory(
        name="Bhutan", iso3="BTN", iso2="BT", m49="064", is_ldc=True, is_lldc=True
    )
    estonia = CountryFactory(name="Estonia", iso3="EST", iso2="EE", m49="233", region_name="Europe")
    return {
        "centres": make_case(
            "Union digital centres",
            country=bangladesh,
            summary="Entrepreneurs run kiosks in every union.",
            solution="Village **kiosks** offer land records and birth registration.",
            year=2018,
            days=1,
        ),
        "gewog": make_case(
            "Community centres in the gewogs",
            country=bhutan,
            summary="Mountain villages reach online services through community centres.",
            results="Fewer trips to the district office; digital literacy grew.",
            year=2019,
            days=2,
        ),
        "xroad": make_case(
            "Data exchange layer",
            country=estonia,
            summary="Registries exchange data securely so citizens give it only once.",
            lessons_learned="Interoperability needs law as much as software.",
            year=2020,
            days=3,
        ),
        "cafe": make_case(
            "Café internet points for rural women",
            country=bangladesh,
            summary="Women entrepreneurs run internet cafés with training.",
            year=2020,
            days=4,
        ),
    }


def test_all_words_must_match(corpus):
    assert titles("kiosks union") == ["Union digital centres"]
    assert titles("kiosks estonia") == []


def test_a_quoted_phrase_matches_only_words_in_that_order(corpus):
    assert titles('"exchange data"') == ["Data exchange layer"]
    assert titles('"data exchange"') == ["Data exchange layer"]
    assert titles('"layer exchange"') == []


def test_excluded_words_remove_cases(corpus):
    assert set(titles("centres")) == {"Union digital centres", "Community centres in the gewogs"}
    assert titles("centres -kiosks") == ["Community centres in the gewogs"]


def test_or_finds_either_word(corpus):
    assert set(titles("interoperability or gewogs")) == {
        "Data exchange layer",
        "Community centres in the gewogs",
    }


def test_words_are_stemmed_and_accents_ignored(corpus):
    assert titles("kiosk union") == ["Union digital centres"]  # kiosks
    assert titles("exchanging registry") == ["Data exchange layer"]  # exchange, registries
    assert titles("cafe") == ["Café internet points for rural women"]


def test_country_and_theme_names_are_searched(corpus):
    theme = ThemeFactory(name="Interoperability frameworks")
    corpus["centres"].themes.add(theme)
    reindex_case(case_id=corpus["centres"].pk)
    assert titles("bhutan") == ["Community centres in the gewogs"]
    assert "Union digital centres" in titles("frameworks")


def test_a_title_match_ranks_above_a_match_in_the_text(corpus):
    make_case("Notes", summary="Something about a lighthouse, once.", days=5)
    make_case("Lighthouse services", summary="Coastal agencies.", days=6)
    assert titles("lighthouse")[0] == "Lighthouse services"


def test_snippets_highlight_the_words_and_escape_the_text(corpus):
    make_case(
        "Script safety",
        summary="Forms rejected <script>alert(1)</script> and kept citizens' tokens safe.",
    )
    results = search_cases(CaseSearch.from_params({"q": "tokens"}))
    snippet = str(results.hits[0].snippet)
    assert "<mark>tokens</mark>" in snippet
    # Markup in the text never reaches the page as markup (escaped, or dropped by ts_headline).
    assert "<script>" not in snippet


def test_a_match_inside_a_document_says_which_page(corpus):
    case = corpus["xroad"]
    DocumentFactory(
        case=case,
        title="Presentation.pdf",
        extracted_text="Agenda\fIntroduction\fThe blockchain ledger signs every record.",
    )
    reindex_case(case_id=case.pk)
    results = search_cases(CaseSearch.from_params({"q": "blockchain"}))
    assert [h.case.title for h in results.hits] == ["Data exchange layer"]
    match = results.hits[0].document_match
    assert (match.title, match.page) == ("Presentation.pdf", 3)
    assert "<mark>blockchain</mark>" in str(match.snippet)


@pytest.mark.parametrize(
    "q",
    [
        '"unbalanced quote',
        '" " "',
        "- -- or OR - !",
        "x" * 10_000,
        "kiosks\x00\x1b[31m\x7f union",
        "'; DROP TABLE paks_casestudy; --",
        "NEAR(kiosks union) AND title:kiosks * ^ ( ) { }",
        "kiosks\tunion\n\r",
    ],
)
def test_hostile_or_malformed_queries_never_fail(corpus, client, q):
    results = search_cases(CaseSearch.from_params({"q": q}))
    assert results.total == len(results.hits) or results.total > len(results.hits)
    response = client.get(reverse("paks:case-list"), {"q": q})
    assert response.status_code == 200
    assert CaseStudy.objects.count() == 4


def test_only_operators_give_an_empty_result_with_a_message(corpus):
    results = search_cases(CaseSearch.from_params({"q": "-kiosks"}))
    assert results.total == 0 and results.hits == []
    assert "at least one word" in results.message


def test_control_characters_are_cleaned_and_the_words_searched(corpus):
    assert titles("kiosks\x00union") == ["Union digital centres"]


def test_facets_count_the_matches_and_filters_combine(corpus):
    results = search_cases(CaseSearch.from_params({"q": "centres"}))
    countries = {f.label: f.count for f in results.facets["country"]}
    assert countries == {"Bangladesh": 1, "Bhutan": 1}
    groups = {f.value: f.count for f in results.facets["group"]}
    assert groups["ldc"] == 2 and groups["lldc"] == 1
    # OR within a facet, AND across facets.
    assert set(titles("", country=["BGD", "EST"])) == {
        "Union digital centres",
        "Data exchange layer",
        "Café internet points for rural women",
    }
    assert titles("", country=["BGD", "EST"], year="2020") == [
        "Café internet points for rural women",
        "Data exchange layer",
    ]


def test_sorting_and_pages_are_stable(corpus):
    assert titles("", sort="oldest")[0] == "Union digital centres"
    assert titles("", sort="newest")[0] == "Café internet points for rural women"
    assert titles("", sort="title") == sorted(titles("", sort="title"))
    pages = [titles("", sort="newest", per_page=1, page=n) for n in (1, 2, 3, 4)]
    assert sorted(t for page in pages for t in page) == sorted(titles("", per_page=10))


def test_relevance_puts_the_title_before_the_text_the_documents_and_the_names():
    authority = OrganizationFactory(name="Tax Authority")  # a name: matches, weighs least
    in_title = make_case("Tax portal", summary="Returns online.", days=1)
    in_text = make_case("Revenue", summary="Every tax return is filed online.", days=2)
    in_document = make_case("Customs", summary="Duties at the border.", days=3, index=False)
    DocumentFactory(case=in_document, extracted_text="A slide that mentions tax once.")
    reindex_case(case_id=in_document.pk)
    in_name = make_case("Invoices", summary="E-invoices.", days=4, organization=authority)
    assert titles("tax") == [in_title.title, in_text.title, in_document.title, in_name.title]


def test_an_old_strong_match_outranks_more_than_a_thousand_recent_weak_ones():
    """Relevance orders every match, not only the newest: the case about exactly
    registration, published long ago, comes first among 1,200 recent passing mentions."""
    country = CountryFactory()
    recent = BASE_DAY + datetime.timedelta(days=365)
    CaseStudy.objects.bulk_create(
        CaseStudy(
            title=f"Service improvement {n}",
            slug=f"service-improvement-{n}",
            country=country,
            year=2024,
            summary="Citizens now apply online; registration of the request is one step.",
            status=CaseStudy.Status.PUBLISHED,
            published_at=recent + datetime.timedelta(minutes=n),
        )
        for n in range(1200)
    )
    old = make_case(
        "Business registration",
        summary="Registration of a business in one day: registration online.",
        days=-5000,
        country=country,
        index=False,
    )
    rebuild()
    results = search_cases(CaseSearch.from_params({"q": "registration"}))
    assert results.total == 1201
    assert results.hits[0].case.pk == old.pk
    assert results.hits[0].score > results.hits[1].score


def test_facets_count_themes_and_sdgs_and_filter_by_them(corpus):
    theme = ThemeFactory(name="Digital inclusion", slug="digital-inclusion")
    later = ThemeFactory(pk=400, name="Open data", slug="open-data")  # past the bit set
    sdgs = [SDGFactory(number=5, short_title="Gender equality"), SDGFactory(number=16)]
    for case, themes in ((corpus["centres"], [theme, later]), (corpus["cafe"], [later])):
        case.themes.set(themes)
        case.sdgs.set(sdgs)
        reindex_case(case_id=case.pk)
    results = search_cases(CaseSearch.from_params({"q": "entrepreneurs"}))
    assert {f.value: f.count for f in results.facets["theme"]} == {
        "digital-inclusion": 1,
        "open-data": 2,
    }
    assert [(f.value, f.label, f.count) for f in results.facets["sdg"]] == [
        ("5", "SDG 5: Gender equality", 2),
        ("16", "SDG 16: Peace, justice and strong institutions", 2),
    ]
    assert titles("", theme="open-data", sort="title") == [
        "Café internet points for rural women",
        "Union digital centres",
    ]
    assert titles("", theme=["digital-inclusion"], sdg="16") == ["Union digital centres"]
    # Within the theme filter, the theme facet still offers the other themes.
    chosen = search_cases(CaseSearch.from_params({"theme": "digital-inclusion"}))
    assert {f.value: f.selected for f in chosen.facets["theme"]} == {
        "digital-inclusion": True,
        "open-data": False,
    }
    # A theme deleted since the cases were indexed is no longer offered.
    theme.delete()
    results = search_cases(CaseSearch.from_params({"q": "entrepreneurs"}))
    assert [f.value for f in results.facets["theme"]] == ["open-data"]


def test_did_you_mean_offers_a_spelling_that_finds_something(corpus):
    results = search_cases(CaseSearch.from_params({"q": "kiosk unoin"}))
    assert results.total == 0
    assert results.suggestion == "kiosk union"
    assert search_cases(CaseSearch.from_params({"q": "zzzzqx"})).suggestion is None


def test_drafts_are_never_found(corpus):
    CaseStudyFactory(title="Secret kiosks plan", summary="kiosks")
    assert "Secret kiosks plan" not in titles("kiosks")


def test_the_index_follows_publishing_editing_archiving_and_deleting(
    corpus, django_capture_on_commit_callbacks
):
    editor = EditorFactory()
    case = CaseStudyFactory(submitted=True, title="Drone mapping of parcels", summary="Drones.")
    assert titles("drone") == []
    with django_capture_on_commit_callbacks(execute=True):
        services.publish_case(case=case, editor=editor)
    assert titles("drone") == ["Drone mapping of parcels"]

    CaseStudy.objects.filter(pk=case.pk).update(title="Satellite mapping of parcels")
    reindex_case(case_id=case.pk)
    assert titles("drone") == [] or titles("drone") == ["Satellite mapping of parcels"]
    assert titles("satellite") == ["Satellite mapping of parcels"]

    with django_capture_on_commit_callbacks(execute=True):
        services.archive_case(case=CaseStudy.objects.get(pk=case.pk), editor=editor)
    assert titles("satellite") == []

    corpus["xroad"].delete()
    assert titles("interoperability") == []
    assert not CaseIndex.objects.filter(case_id=corpus["xroad"].pk).exists()


def test_text_that_arrives_later_is_found_after_reindexing(corpus):
    document = DocumentFactory(case=corpus["gewog"], extracted_text="")
    reindex_case(case_id=corpus["gewog"].pk)
    assert titles("yak") == []
    document.extracted_text = "Yak herders file claims online."
    document.save()
    reindex_case(case_id=corpus["gewog"].pk)
    assert titles("yak") == ["Community centres in the gewogs"]


def test_rebuild_indexes_every_published_case_once(corpus):
    CaseStudyFactory(title="Draft")
    assert rebuild() == 4
    assert CaseIndex.objects.count() == 4


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's indexes")
def test_a_rebuild_makes_every_index_of_the_vectors_again(corpus):
    def indexes():
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'search_caseindex'"
            )
            return sorted(cursor.fetchall())

    before = indexes()
    names = {name for name, _definition in before}
    assert names >= {"caseindex_vector_rum", "caseindex_terms_gin"} or (
        "caseindex_vector_gin" in names  # without the rum extension
    )
    rebuild()
    assert indexes() == before


def _plan(sql):
    """The index names in the plan PostgreSQL makes for a statement, with a search's settings."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {sql}")
        return "\n".join(row[0] for row in cursor.fetchall())


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's indexes")
@pytest.mark.parametrize(
    ("q", "finder"),
    [
        ("harbour online", "caseindex_terms_gin"),
        ("harbour -fees", "caseindex_terms_gin"),
        ('"harbour permits"', "caseindex_vector_rum"),  # a phrase needs the positions
    ],
)
def test_postgresql_counts_from_the_terms_index_and_ranks_from_rum(q, finder):
    if not get_backend().ranks_by_index():
        pytest.skip("without the rum extension one GIN index finds and counts")
    make_case("Harbour permits", summary="Harbour permits online.")
    make_case("Harbour fees", summary="Harbour fees and permits to fish.", days=1)
    with CaptureQueriesContext(connection) as ctx:
        results = search_cases(CaseSearch.from_params({"q": q}))
    assert [hit.case.title for hit in results.hits] == ["Harbour permits"]
    statements = [query["sql"] for query in ctx]
    (counting,) = [sql for sql in statements if "COUNT(" in sql]
    (ranking,) = [sql for sql in statements if "<=>" in sql]
    assert finder in _plan(counting)
    assert "caseindex_vector_rum" in _plan(ranking)


@pytest.mark.parametrize("fresh", [True, False], ids=["computed", "repeated"])
def test_query_count_is_exact_and_the_same_for_1_and_50_results(fresh):
    make_case("Harbour permits 0", summary="harbour")
    search = CaseSearch.from_params({"q": "harbour", "per_page": "50"})
    search = dataclasses.replace(search, fresh=fresh)
    search_cases(search)  # a repeated search finds the counts and ranking kept for it
    # the index version (the labels of countries, themes, SDGs and organizations were read
    # at it by the first search, and counts and rankings are kept under it); the page's cases
    expected = 2
    uses_rum = get_backend().ranks_by_index()
    if fresh:
        # the statement: facet counts, total and (but for a RUM index) the page
        expected += 1 + (1 if uses_rum else 0)  # the page read from the RUM index
        expected += 1 if uses_rum else 0  # which of the query's terms some vector holds
    if connection.vendor == "postgresql":
        expected += 3  # with words: savepoint with the planner settings, release
    with CaptureQueriesContext(connection) as one:
        assert search_cases(search).total == 1
    assert len(one) == expected, [q["sql"][:60] for q in one]
    for n in range(1, 50):
        make_case(f"Harbour permits {n}", summary="harbour", days=n)
    search_cases(search)
    with CaptureQueriesContext(connection) as fifty:
        assert len(search_cases(search).hits) == 50
    assert len(fifty) == expected, [q["sql"][:60] for q in fifty]


def test_kept_counts_and_rankings_follow_every_change_to_the_index():
    make_case("Harbour permits", summary="harbour")
    search = CaseSearch.from_params({"q": "harbour"})
    assert search_cases(search).total == 1
    assert search_cases(search).total == 1  # kept
    with transaction.atomic():
        make_case("Harbour dues", summary="harbour", days=1)
        assert search_cases(search).total == 2
        assert [h.case.title for h in search_cases(search).hits] == [
            "Harbour dues",
            "Harbour permits",
        ]
        transaction.set_rollback(True)
    # The rolled-back change's token is never used again: the kept answer is the old one.
    assert search_cases(search).total == 1


def test_the_index_follows_renames_of_every_name_it_carries(django_capture_on_commit_callbacks):
    sdg = SDGFactory(number=10, short_title="Reduced inequalities", title="Goal ten")
    theme = ThemeFactory(name="Service delivery")
    event = EventFactory(title="Study visit to Incheon", city="Incheon")
    organization = OrganizationFactory(name="Access to Information", acronym="a2i")
    case = make_case("Union centres", organization=organization, event=event)
    case.themes.set([theme])
    case.sdgs.set([sdg])
    reindex_case(case_id=case.pk)
    for q in ("a2i", "incheon", '"study visit"', "inequalities", '"service delivery"', "sdg 10"):
        assert titles(q) == ["Union centres"], q

    renames = [
        (organization, "name", "Aspire to Innovate", "aspire"),
        (case.country, "name", "Republic of Kiosks", "kiosks"),
        (event, "title", "Peer learning in Seoul", "peer"),
        (theme, "name", "Digital inclusion", "inclusion"),
        (sdg, "short_title", "Equality", "equality"),
    ]
    for row, field, value, word in renames:
        old = getattr(row, field)
        with django_capture_on_commit_callbacks(execute=True):
            setattr(row, field, value)
            row.save()
        assert titles(word) == ["Union centres"], word
        assert titles(f'"{old}"') == [], old

    with django_capture_on_commit_callbacks(execute=True):
        theme.delete()
        event.delete()
    assert titles("inclusion") == []
    assert titles("peer") == []


def test_the_index_follows_a_document_through_the_admin_path(django_capture_on_commit_callbacks):
    case = make_case("Union centres")
    with django_capture_on_commit_callbacks(execute=True):
        document = DocumentFactory(case=case, extracted_text="Yak herders file claims online.")
    assert titles("yak") == ["Union centres"]
    other = make_case("Harbour permits")
    with django_capture_on_commit_callbacks(execute=True):
        document.case = other
        document.save()
    assert titles("yak") == ["Harbour permits"]
    with django_capture_on_commit_callbacks(execute=True):
        document.delete()
    assert titles("yak") == []


def test_the_backend_matches_the_database():
    expected = {"postgresql": "PostgresBackend", "sqlite": "SqliteBackend"}[connection.vendor]
    assert type(get_backend()).__name__ == expected


def test_the_public_case_list_uses_the_search(corpus, client):
    html = client.get(reverse("paks:case-list"), {"q": "kiosks"}).content.decode()
    assert "1 result" in html
    assert "<mark>kiosks</mark>" in html.lower() or "<mark>Kiosks</mark>" in html
    assert timezone.now()  # the page rendered with the server's clock


def test_a_rolled_back_change_leaves_nothing_for_the_next_commit(
    django_capture_on_commit_callbacks,
):
    """Thousands of cases named in a rolled-back change are not reindexed with the next
    commit (they would go to the task queue, and the next change with them)."""
    with transaction.atomic():
        reindex_later(range(100_000, 101_000))
        transaction.set_rollback(True)
    case = make_case("Drone mapping", summary="Drones.", index=False)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        reindex_later([case.pk])
        reindex_later([case.pk])  # a second change of the same case: indexed once
    assert titles("drone") == ["Drone mapping"]
    assert [len(c.ids) for c in callbacks if hasattr(c, "ids")] == [0, 1]


def test_facet_labels_are_read_again_at_each_new_version_of_the_index(
    django_capture_on_commit_callbacks,
):
    case = make_case("Harbour permits", summary="harbour")
    search = CaseSearch.from_params({"q": "harbour"})
    assert [v.label for v in search_cases(search).facets["country"]] == [case.country.name]
    # Another process renames the country: its change gives the index a new version.
    Country.objects.filter(pk=case.country_id).update(name="Republic of Harbours")
    changed()
    assert [v.label for v in search_cases(search).facets["country"]] == ["Republic of Harbours"]
    # A theme no published case names yet is known at once, to every process.
    before = version()
    with django_capture_on_commit_callbacks(execute=True):
        ThemeFactory(slug="port-logistics")
    assert version() != before
    results = search_cases(CaseSearch.from_params({"q": "harbour", "theme": "port-logistics"}))
    assert results.problems == () and results.total == 0


def test_a_migration_that_changes_the_index_has_it_rebuilt_once_every_migration_is_applied(
    corpus,
):
    IndexVersion.objects.update_or_create(pk=1, defaults={"token": REBUILD_PENDING})
    CaseIndex.objects.all().delete()
    assert titles("gewogs") == []

    call_command("migrate", verbosity=0)  # nothing left to apply: the rebuild is due

    assert version() != REBUILD_PENDING
    assert CaseIndex.objects.count() == CaseStudy.objects.published().count()
    assert titles("gewogs") == ["Community centres in the gewogs"]
