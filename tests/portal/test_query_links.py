"""The search page's filter links: each is the current query string with one value added
or removed and the page dropped, as QueryDict writes it (the reference below), for any query
string a visitor can have, in any order, with repeated keys and any characters."""

from django.http import QueryDict
from django.test import RequestFactory
from hypothesis import given
from hypothesis import strategies as st

from paks.templatetags.paks_tags import query_toggle

KEYS = st.sampled_from(["q", "country", "theme", "sdg", "year", "page", "more", "sort", "é&="])
VALUES = st.text(max_size=12)


def reference(query: str, key: str, value: str) -> str:
    params = QueryDict(query, mutable=True)
    values = params.getlist(key)
    params.setlist(key, [v for v in values if v != value] if value in values else [*values, value])
    params.pop("page", None)
    return "?" + params.urlencode() if params else "?"


@given(
    pairs=st.lists(st.tuples(KEYS, VALUES), max_size=8),
    toggles=st.lists(st.tuples(KEYS.filter(lambda k: k != "page"), VALUES), min_size=1),
)
def test_a_filter_link_is_the_query_with_one_value_toggled(pairs, toggles):
    written = QueryDict(mutable=True)
    for key, value in pairs:
        written.appendlist(key, value)
    query = written.urlencode()
    request = RequestFactory().get("/cases/?" + query)
    context = {"request": request}
    for key, value in toggles:  # several links on one page share the request's encoding
        assert query_toggle(context, key, value) == reference(query, key, value)
