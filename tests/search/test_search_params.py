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
    # What was left out or changed is said, parameter by parameter.
    assert dict(search.problems) == {
        "country": "“toolong” is not a three-letter country code.",
        "sdg": "“99” is not an SDG number (1 to 17); it was left out.",
        "sort": "“random” is not one of relevance, newest, oldest, title.",
        "page": "“-3” is not a page number.",
        "group": "“xx” is not one of ldc, lldc, sids.",
        "year": "“abc” is not a year; it was left out.",
        "per_page": "A page shows at most 100 results.",
    }


def test_very_long_query_is_cut_and_control_characters_are_spaces():
    search = CaseSearch.from_params({"q": "e" * 10_000})
    assert len(search.q) == 500
    assert search.problems == (("q", "Only the first 500 characters were searched."),)
    search = CaseSearch.from_params({"q": "digital\x00\x1bid"})
    assert search.q == "digital id"
    assert search.problems == (
        ("q", "The words had control characters; they were read as spaces."),
    )


def test_empty_query_string_means_everything_first_page():
    search = CaseSearch.from_params(QueryDict(""))
    assert (search.q, search.page, search.sort, search.has_filters) == ("", 1, "relevance", False)
