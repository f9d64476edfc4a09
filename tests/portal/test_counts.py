"""The case counts on the public pages: kept in the cache, and right at once after a change."""

import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from paks.counts import case_counts, sdg_counts, theme_counts
from paks.services import archive_case, publish_case
from tests.factories import (
    CaseStudyFactory,
    CountryFactory,
    EditorFactory,
    SDGFactory,
    ThemeFactory,
)

pytestmark = pytest.mark.django_db


def _count(url, pattern, *, absent=None):
    """The number the page shows where `pattern` matches; `absent` if the page leaves it out
    (a region or country without cases is not counted as 0, it is not listed)."""
    response = Client().get(url)
    assert response.status_code == 200, url
    found = re.search(pattern, re.sub(r"\s+", " ", response.content.decode()))
    if found is None and absent is not None:
        return absent
    assert found, (url, pattern)
    return found[1]


def shown(country, theme, sdg):
    """Each count of cases the pages show for this country, its region, theme and SDG."""
    muted = r" <span class=\"muted\">\((\d+)"
    return {
        "home: search box": _count(reverse("paks:home"), r"Search (\d+) good practice"),
        "home: region": _count(reverse("paks:home"), r"Oceania</a>: (\d+)", absent="0"),
        "theme list": _count(reverse("paks:theme-list"), rf"{theme.name}</a>{muted}"),
        "theme page": _count(theme.get_absolute_url(), rf"Good practices{muted}"),
        "SDG list": _count(reverse("paks:sdg-list"), rf"SDG 5: Gender equality</a>{muted}"),
        "SDG page": _count(sdg.get_absolute_url(), rf"Good practices{muted}"),
        "country list": _count(
            reverse("countries:list"), rf"{country.name}</a> <span class=\"tag\">(\d+)", absent="0"
        ),
        "country page": _count(country.get_absolute_url(), rf"Good practices{muted}"),
        "about": _count(reverse("paks:about"), r"It holds (\d+) published"),
    }


def test_every_count_follows_a_publication_and_an_archiving_at_once(
    django_capture_on_commit_callbacks,
):
    country = CountryFactory(name="Fiji", region_name="Oceania")
    theme = ThemeFactory(name="Disaster risk management")
    sdg = SDGFactory(number=5, short_title="Gender equality")
    first = CaseStudyFactory(published=True, country=country)
    second = CaseStudyFactory(submitted=True, country=country)
    for case in (first, second):
        case.themes.add(theme)
        case.sdgs.add(sdg)
    assert set(shown(country, theme, sdg).values()) == {"1"}
    assert set(shown(country, theme, sdg).values()) == {"1"}  # now from the kept counts

    editor = EditorFactory()
    with django_capture_on_commit_callbacks(execute=True):
        publish_case(case=second, editor=editor)
    assert set(shown(country, theme, sdg).values()) == {"2"}

    with django_capture_on_commit_callbacks(execute=True):
        archive_case(case=first, editor=editor)
    with django_capture_on_commit_callbacks(execute=True):
        archive_case(case=second, editor=editor)
    assert set(shown(country, theme, sdg).values()) == {"0"}


def test_counts_are_kept_under_the_index_version_and_read_without_counting(
    django_capture_on_commit_callbacks,
):
    theme, sdg = ThemeFactory(), SDGFactory()
    case = CaseStudyFactory(published=True)
    case.themes.add(theme)
    case.sdgs.add(sdg)
    assert case_counts().by_country == {case.country_id: 1}
    assert theme_counts() == {theme.pk: 1}
    assert sdg_counts() == {sdg.pk: 1}
    with CaptureQueriesContext(connection) as kept:
        assert case_counts().total == 1
        assert case_counts().by_region == {"Asia": 1}
        assert theme_counts() == {theme.pk: 1}
        assert sdg_counts() == {sdg.pk: 1}
    assert [q["sql"] for q in kept.captured_queries] == [
        "SELECT token FROM search_indexversion WHERE id = 1"
    ] * 4
    # A case saved moves the version on: the next read counts again, and the old entries
    # are never read.
    with django_capture_on_commit_callbacks(execute=True):
        CaseStudyFactory(published=True, country=case.country, search_index=False)
    assert case_counts().by_country == {case.country_id: 2}
    assert case_counts().countries == 1


def test_a_lost_cache_is_counted_again():
    CaseStudyFactory(published=True)
    assert case_counts().total == 1
    cache.clear()
    CaseStudyFactory(published=True, search_index=False)  # in the database, version unchanged
    assert case_counts().total == 2
