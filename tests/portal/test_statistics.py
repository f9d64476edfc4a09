"""The statistics page: every figure equals the database's, every chart is valid SVG with its
table, the gaps list the grouped countries with no case, and its queries do not grow."""

import xml.etree.ElementTree as ET

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from events.models import Event
from paks.models import CaseStudy
from tests.factories import (
    CaseStudyFactory,
    CountryFactory,
    DocumentFactory,
    EventFactory,
    SDGFactory,
    ThemeFactory,
)

pytestmark = pytest.mark.django_db
URL = "/statistics/"


def test_each_figure_equals_the_database_and_links_to_its_list(client):
    theme = ThemeFactory(name="Open data")
    sdg = SDGFactory(number=16, short_title="Peace, justice and strong institutions")
    africa = CountryFactory(region_name="Africa", is_ldc=True)
    for year in (2019, 2019, 2021):
        case = CaseStudyFactory(country=africa, published=True, year=year)
        case.themes.add(theme)
        case.sdgs.add(sdg)
    CaseStudyFactory(country=africa, year=2019)  # a draft counts nowhere
    EventFactory(kind=Event.Kind.WORKSHOP)
    DocumentFactory(case=CaseStudy.objects.published().first())
    html = client.get(URL).content.decode()
    published = CaseStudy.objects.published()
    assert f'<a href="/cases/">{published.count()}</a>' in html
    assert '<a href="/cases/?region=Africa">3</a>' in html
    assert f'<a href="/cases/?theme={theme.slug}">3</a>' in html
    assert '<a href="/cases/?sdg=16">3</a>' in html
    assert '<a href="/cases/?year=2019">2</a>' in html
    assert '<a href="/cases/?year=2021">1</a>' in html
    # region, theme, SDG, year, events: groups of links to the lists they count
    assert html.count('class="chart chart-bar" role="group"') == 5


def test_the_charts_are_valid_svg(client):
    CaseStudyFactory(published=True)
    html = client.get(URL).content.decode()
    start = 0
    while (start := html.find("<svg", start)) != -1:
        end = html.index("</svg>", start) + len("</svg>")
        root = ET.fromstring(html[start:end])
        assert root.find("{http://www.w3.org/2000/svg}title") is not None
        start = end


def test_the_gaps_are_the_grouped_countries_without_a_published_case(client):
    covered = CountryFactory(name="Coveredland", is_sids=True)
    missing = CountryFactory(name="Missingland", is_sids=True)
    drafted = CountryFactory(name="Draftland", is_sids=True)
    CaseStudyFactory(country=covered, published=True)
    CaseStudyFactory(country=drafted)
    html = client.get(URL).content.decode()
    sids = html[html.index('id="gap-sids"') :]
    assert "2 of 3 without a good practice" in sids
    assert missing.name in sids and drafted.name in sids and covered.name not in sids


@pytest.mark.parametrize("rows", [1, 25])
def test_the_queries_do_not_grow_with_the_rows(client, rows):
    sdg = SDGFactory(number=5)
    for n in range(rows):
        country = CountryFactory(is_ldc=True)
        case = CaseStudyFactory(country=country, published=True, year=2000 + n % 20)
        case.themes.add(ThemeFactory())
        case.sdgs.add(sdg)
        EventFactory()
    client.get(URL)  # the counts kept under the index version
    with CaptureQueriesContext(connection) as queries:
        assert client.get(URL).status_code == 200
    # the index version (for the kept counts); the themes and the SDGs counted; public
    # events; public presentations; events by year and kind; the grouped countries
    assert len(queries.captured_queries) == 7, [q["sql"] for q in queries.captured_queries]
    cache.clear()
