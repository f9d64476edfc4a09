from django.http import QueryDict

from paks.search import CaseSearch


def test_query_string_is_read_leniently():
    search = CaseSearch.from_params(
        QueryDict(
            "q=++digital+%0A+id++&country=bgd&country=BGD&country=toolong&sdg=5&sdg=99"
            "&sort=random&page=-3&per_page=1000&group=LDC&group=xx&year=2019&year=abc"
        )
    )

    assert search.q == "digital id"
    assert search.country == ("BGD",)
    assert search.sdg == (5,)
    assert search.sort == "relevance"
    assert search.page == 1
    assert search.per_page == 100
    assert search.group == ("ldc",)
    assert search.year == (2019,)
    assert search.has_filters


def test_very_long_query_is_cut():
    search = CaseSearch.from_params({"q": "e" * 10_000})
    assert len(search.q) == 500


def test_empty_query_string_means_everything_first_page():
    search = CaseSearch.from_params(QueryDict(""))
    assert (search.q, search.page, search.sort, search.has_filters) == ("", 1, "relevance", False)
