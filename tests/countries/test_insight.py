"""A country's survey history: the averages beside it equal the rows, the words say what the
figures show, the charts are valid SVG with a name and a description, and the page shows
them with the table, the method note and the source."""

import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.charts import Bar, Series, bar_chart, line_chart
from countries.insight import survey_history
from tests.factories import CaseStudyFactory, CountryFactory, EGovScoreFactory

pytestmark = pytest.mark.django_db
SVG = "{http://www.w3.org/2000/svg}"


def score(country, year, egdi, rank=None):
    return EGovScoreFactory(country=country, survey_year=year, egdi=Decimal(egdi), rank=rank)


def test_the_averages_beside_a_country_are_those_of_its_region_and_groups_each_edition():
    country = CountryFactory(is_lldc=True)
    region_peer = CountryFactory()  # Asia, like the default
    group_peer = CountryFactory(region_name="Africa", is_lldc=True)
    elsewhere = CountryFactory(region_name="Europe")
    rows = [
        (country, 2020, "0.40000"),
        (country, 2024, "0.60000"),
        (region_peer, 2020, "0.20000"),
        (region_peer, 2024, "0.80000"),
        (group_peer, 2024, "0.30000"),
        (elsewhere, 2016, "0.90000"),
    ]
    for who, year, egdi in rows:
        score(who, year, egdi)
    history = survey_history(country)

    def mean(values):
        return sum(values) / len(values) if values else None

    assert [e.year for e in history.editions] == [2016, 2020, 2024]
    for edition in history.editions:
        in_region = [float(e) for w, y, e in rows if y == edition.year and w.region_name == "Asia"]
        in_lldc = [float(e) for w, y, e in rows if y == edition.year and w.is_lldc]
        assert edition.averages["Asia average"] == pytest.approx(mean(in_region))
        assert edition.averages["LLDC average"] == pytest.approx(mean(in_lldc))
    assert history.editions[0].score is None  # not assessed in 2016


def test_the_summary_says_where_it_went_and_since_when_it_stands_above_an_average():
    country = CountryFactory(is_lldc=True)
    other = CountryFactory(region_name="Africa", is_lldc=True)
    for year, own, theirs in [(2016, "0.20000", "0.30000"), (2020, "0.40000", "0.30000")]:
        score(country, year, own)
        score(other, year, theirs)
    score(country, 2024, "0.65000", rank=80)
    score(other, 2024, "0.35000")
    summary = survey_history(country).summary()
    assert summary.startswith("EGDI rose from 0.20 in 2016 to 0.65 in 2024, ranked 80 in 2024.")
    assert "Above the LLDC average since 2020." in summary
    # Asia has only this country: equal to the average is not above it.
    assert "Below the Asia average in every edition since 2016." in summary


def test_a_country_never_assessed_says_so():
    assert (
        survey_history(CountryFactory()).summary().endswith("has not been assessed by the survey.")
    )


def _parse(svg: str) -> ET.Element:
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG}svg" and root.get("role") in ("img", "group")
    title, desc = root.find(f"{SVG}title"), root.find(f"{SVG}desc")
    assert title is not None and title.text and desc is not None and desc.text
    assert root.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
    return root


@settings(max_examples=40, deadline=None)
@given(
    names=st.lists(st.text(min_size=1, max_size=30), min_size=1, max_size=7),
    ys=st.lists(st.one_of(st.none(), st.floats(0, 1)), min_size=1, max_size=12),
)
def test_any_line_chart_is_valid_svg_with_one_group_per_series(names, ys):
    series = [Series(name, [(2000 + i, y) for i, y in enumerate(ys)]) for name in names]
    root = _parse(
        line_chart(
            title="A <title> & more",
            description="Said in words",
            series=series,
            x_ticks=[2000 + i for i in range(len(ys))],
            y_ticks=[0, 0.5, 1],
        )
    )
    groups = [g for g in root.iter(f"{SVG}g") if "chart-series" in (g.get("class") or "")]
    assert len(groups) == len(names)
    shown = sum(y is not None for y in ys)
    assert all(len(list(g)) >= shown for g in groups)  # a marker per known point at least


def test_a_bar_chart_is_valid_svg_with_a_link_per_linked_bar():
    root = _parse(
        bar_chart(
            title="Cases by region",
            description="Asia 3, Africa 1",
            bars=[Bar("Asia", 3, "/cases/?region=Asia"), Bar("Africa & <more>", 1)],
        )
    )
    assert root.get("role") == "group"  # its links are controls: no image holds them
    links = list(root.iter(f"{SVG}a"))
    assert [a.get("href") for a in links] == ["/cases/?region=Asia"]


def test_the_country_page_shows_the_history_its_table_the_note_the_source_and_peers(client):
    country = CountryFactory(is_lldc=True)
    peer = CountryFactory(name="Peerland", is_lldc=True)
    far = CountryFactory(name="Farland", is_lldc=True)
    for year, egdi in [(2020, "0.30000"), (2024, "0.50000")]:
        score(country, year, egdi)
    score(peer, 2024, "0.52000")
    score(far, 2024, "0.95000")
    CaseStudyFactory(country=peer, published=True)
    CaseStudyFactory(country=far, published=True)
    page = client.get(country.get_absolute_url())
    html = page.content.decode()
    assert page.status_code == 200
    assert "EGDI rose from 0.30 in 2020 to 0.50 in 2024." in html
    assert html.count('role="img"') == 2
    assert '<th scope="col">LLDC average (EGDI)</th>' in html
    assert "About these figures" in html and "E-Government Readiness Index" in html
    assert "United Nations E-Government Survey (UN DESA)" in html
    peers = html[html.index("Peers to learn from") :]
    assert peers.index("Peerland") < peers.index("Farland")


def test_compare_puts_up_to_four_countries_side_by_side_and_names_what_it_did_not_find(client):
    from tests.factories import ParticipationFactory, ThemeFactory

    a, b = CountryFactory(name="Aland"), CountryFactory(name="Beland")
    score(a, 2022, "0.40000", rank=90)
    score(a, 2024, "0.50000", rank=80)
    score(b, 2024, "0.70000", rank=40)
    theme = ThemeFactory(name="Digital identity")
    case = CaseStudyFactory(country=b, published=True)
    case.themes.add(theme)
    ParticipationFactory(country=a)
    page = client.get("/countries/compare/", {"country": [a.iso3, "beland", "Nowhere"]})
    html = page.content.decode()
    assert page.status_code == 200
    assert "No country is called “Nowhere”" in html
    assert html.count('role="img"') == 1
    assert '0.4000 <span class="muted">(rank 90)</span>' in html
    row = html[html.index("Digital identity") :]
    assert row.index("<td>0</td>") < row.index(f"?country={b.iso3}&amp;theme={theme.slug}")
    events = html[html.index("Events attended") :]
    assert f'country={a.iso3}">1</a>' in events


def test_compare_takes_four_countries_at_most(client):
    countries = [CountryFactory() for _ in range(5)]
    page = client.get("/countries/compare/", {"country": [c.iso3 for c in countries]})
    html = page.content.decode()
    assert "Only the first 4 countries are compared." in html
    assert countries[3].name in html and countries[4].name not in html


@pytest.mark.parametrize("rows", [1, 4])
def test_compare_reads_the_same_number_of_queries_for_one_country_or_four(client, rows):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    countries = [CountryFactory() for _ in range(rows)]
    for country in countries:
        score(country, 2024, "0.50000")
        CaseStudyFactory(country=country, published=True)
    asked = {"country": [c.iso3 for c in countries]}
    client.get("/countries/compare/", asked)  # the case counts kept under the index version
    with CaptureQueriesContext(connection) as queries:
        page = client.get("/countries/compare/", asked)
    assert page.status_code == 200
    # the countries named with their scores (and the scores prefetched); the cases by theme;
    # the events attended; the index version (the kept case counts' key); the choices of
    # the country fields
    assert len(queries.captured_queries) == 6, [q["sql"] for q in queries.captured_queries]


def test_the_country_page_lists_its_presentations_and_the_organization_page_its_people(client):
    from paks.models import Document
    from tests.factories import DocumentFactory, OrganizationFactory, PersonFactory

    country = CountryFactory()
    case = CaseStudyFactory(country=country, published=True)
    DocumentFactory(case=case, title="Slides on one-stop shops", kind=Document.Kind.PRESENTATION)
    DocumentFactory(case=CaseStudyFactory(country=country), title="Draft slides")
    assert "Slides on one-stop shops" in client.get(country.get_absolute_url()).content.decode()
    assert "Draft slides" not in client.get(country.get_absolute_url()).content.decode()
    org = OrganizationFactory(country=country)
    PersonFactory(name="Ana Lima", organization=org)
    html = client.get(org.get_absolute_url()).content.decode()
    assert "Speakers and chairs" in html and "Ana Lima" in html
