"""The world map (home page, /map/, /map/?region=…) and the home page's figures: the map's
data covers the M49 table, the SVG is well-formed and accessible, every link names the
country's figure as the database counts it, and the table after the map lists everything."""

from __future__ import annotations

import datetime
import re
import xml.etree.ElementTree as ET
from itertools import pairwise
from typing import Any

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from hypothesis import example, given, settings
from hypothesis import strategies as st

from countries.models import Country
from countries.reference import M49_CSV, _country_rows
from events.models import Event
from paks.models import CaseStudy, Document
from paks.worldmap import DATA, NONE, RAMP, WORLD_GRID, atlas, coarsen, shade_of, shades
from tests.factories import CaseStudyFactory, CountryFactory, DocumentFactory, EventFactory

SVG = "{http://www.w3.org/2000/svg}"
MANY = 25

# M49 areas the atlas has no feature for (PROVENANCE.md): in the table, never on the map.
NOT_DRAWN = {"074", "162", "166", "175", "254", "312", "474", "535", "638", "744", "772"}


def country(name: str, iso3: str, m49: str, region: str = "Asia") -> Country:
    return CountryFactory(
        name=name, iso3=iso3, iso2=iso3[:2], m49=m49, region_name=region, slug=name.lower()
    )


def published(n: int, place: Country) -> None:
    for _ in range(n):
        CaseStudyFactory(published=True, country=place, organization=None)


def svg_of(html: str) -> ET.Element:
    found = re.search(r"<svg [^>]*class=\"worldmap\".*?</svg>", html, re.S)
    assert found, "no map on the page"
    return ET.fromstring(found.group(0))  # raises if the SVG is not well-formed XML


def links_of(svg: ET.Element) -> dict[str, str]:
    """Each link of the map: its address and its accessible name (its <title>)."""
    links = {}
    for a in svg.iter(f"{SVG}a"):
        title = a.find(f"{SVG}title")
        assert title is not None, ET.tostring(a)
        assert a.find(f"{SVG}path") is not None or a.find(f"{SVG}circle") is not None
        links[a.get("href", "")] = title.text or ""
    return links


def table_of(html: str) -> dict[str, tuple[int, bool]]:
    """The rows of the table after the map: country -> (its count, whether the map shows it)."""
    table = html[html.index('<details class="map-table"') :]
    table = table[: table.index("</details>")]
    rows = {}
    for name, count in re.findall(r'<tr><th scope="row">(.*?)</th><td>(.*?)</td></tr>', table):
        text = re.sub(r"<[^>]+>", "", name)
        rows[text.replace(" (not on this map)", "")] = (
            int(re.sub(r"<[^>]+>", "", count)),
            "(not on this map)" not in text,
        )
    return rows


def get(client: Any, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


# --- The data file ------------------------------------------------------------------------


def test_the_map_data_is_small_and_covers_every_m49_country_as_a_shape_a_dot_or_a_known_gap():
    assert DATA.stat().st_size < 150 * 1024
    data = atlas()
    assert data.view == (0, 0, 1000, 432)
    shapes = {s.m49 for s in data.shapes if s.d}
    dots = {s.m49 for s in data.shapes if s.at}
    assert len(data.shapes) == 240 and len(dots) == 64
    assert not shapes & dots
    codes = {row["m49"] for row in _country_rows(M49_CSV)}
    assert len(codes) == 248
    assert codes - shapes - dots == NOT_DRAWN | {"010"}  # and Antarctica, left out
    # Dots are for small States: Tonga, Samoa, the Maldives, Malta, Barbados ...
    assert {"776", "882", "462", "470", "052"} <= dots
    assert "010" not in shapes  # Antarctica is left out
    for shape in data.shapes:
        x0, y0, x1, y1 = shape.focus_box
        assert -1 <= x0 <= x1 <= 1001 and -1 <= y0 <= y1 <= 441, shape


def test_every_outline_reads_back_exactly_and_the_world_grid_only_makes_it_lighter():
    for shape in atlas().shapes:
        if shape.d:
            assert coarsen(shape.d, 1) == shape.d, shape.name
            assert shape.d_world and len(shape.d_world) <= len(shape.d), shape.name
            assert re.fullmatch(r"(M[-.\d ]+l[-.\d ]+z)+", shape.d_world), shape.name
    tiny = "M10 10l.1 0 0 .1-.1 0z"  # a ring that would shrink to a point keeps its outline
    assert coarsen(tiny, WORLD_GRID) == tiny


# --- Shading --------------------------------------------------------------------------------


def _luminance(colour: str) -> float:
    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def _contrast(a: str, b: str) -> float:
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def test_every_shade_stands_out_from_a_country_without_cases_and_the_stylesheet_agrees():
    assert all(_contrast(colour, NONE) >= 3 for colour in RAMP)  # WCAG 1.4.11, graphics
    css = (DATA.parents[3] / "static" / "css" / "paks.css").read_text()
    for n, colour in enumerate(RAMP, start=1):
        assert f".map-c{n} {{ fill: {colour}; }}" in css
    assert f".worldmap .map-c0 {{ fill: {NONE}; }}" in css


@settings(max_examples=200, deadline=None)
@given(values=st.lists(st.integers(min_value=1, max_value=500), max_size=60))
@example(values=[1, 1, 1, 1, 2, 3, 5, 8, 13, 21, 40])
@example(values=[7])
def test_shades_put_every_count_in_exactly_one_of_at_most_five_ordered_classes(values):
    classes = shades(values)
    assert len(classes) <= 5
    assert [c.number for c in classes] == sorted({c.number for c in classes})
    for lower, upper in pairwise(classes):
        assert lower.high < upper.low
    for v in values:
        assert sum(1 for c in classes if c.low <= v <= c.high) == 1
        assert shade_of(v, classes) is not None
    if values:
        assert classes[0].low == min(values) and classes[-1].high == max(values)
    if len(set(values)) <= 5:  # few values: one class each
        assert [(c.low, c.high) for c in classes] == [(v, v) for v in sorted(set(values))]


# --- The map page ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_map_is_well_formed_svg_named_and_described_with_no_inline_style(client):
    published(2, country("Bhutan", "BTN", "064"))
    html = get(client, reverse("insight:map"))
    svg = svg_of(html)
    assert svg.get("role") == "group"
    title = svg.find(f"{SVG}title")
    desc = svg.find(f"{SVG}desc")
    assert title is not None and svg.get("aria-labelledby") == title.get("id")
    assert desc is not None and svg.get("aria-describedby") == desc.get("id")
    assert title.text == "Good practices by country"
    assert desc.text and desc.text.startswith("2 good practices in 1 country")
    # The site's CSP allows no inline style: presentation attributes and classes only.
    assert "style=" not in html and "<style" not in html
    # Countries without cases are drawn, hidden from screen readers and never links.
    plain = [g for g in svg.iter(f"{SVG}g") if g.get("aria-hidden") == "true"]
    assert len(plain) == 1 and not list(plain[0].iter(f"{SVG}a"))
    assert len(list(plain[0].iter(f"{SVG}path"))) > 150


@pytest.mark.django_db
def test_each_country_with_cases_is_a_link_whose_name_states_the_database_figure(client):
    places = {
        "btn": country("Bhutan", "BTN", "064"),
        "bgd": country("Bangladesh", "BGD", "050"),
        "ton": country("Tonga", "TON", "776", region="Oceania"),  # a dot
        "tkl": country("Tokelau", "TKL", "772", region="Oceania"),  # no shape at all
    }
    published(3, places["btn"])
    published(1, places["bgd"])
    published(2, places["ton"])
    published(1, places["tkl"])
    CaseStudyFactory(country=places["bgd"], organization=None)  # a draft counts for nothing
    country("Nepal", "NPL", "524")  # no case: drawn, not a link

    links = links_of(svg_of(get(client, reverse("insight:map"))))

    def name(code: str) -> str:
        place = places[code]
        n = CaseStudy.objects.published().filter(country=place).count()
        return f"{place.name}: {n} good practice{'' if n == 1 else 's'}"

    assert links == {f"/countries/{code}/": name(code) for code in ("btn", "bgd", "ton")}
    assert links["/countries/btn/"] == "Bhutan: 3 good practices"
    assert links["/countries/bgd/"] == "Bangladesh: 1 good practice"


@pytest.mark.django_db
def test_the_table_after_the_map_lists_every_country_even_those_the_map_cannot_draw(client):
    published(1, country("Tokelau", "TKL", "772", region="Oceania"))
    published(2, country("Tonga", "TON", "776", region="Oceania"))
    published(4, country("Bhutan", "BTN", "064"))
    html = get(client, reverse("insight:map"))
    assert html.index("</svg>") < html.index('<details class="map-table" open>')
    assert table_of(html) == {"Bhutan": (4, True), "Tokelau": (1, False), "Tonga": (2, True)}
    assert '<a href="/countries/tkl/">Tokelau</a>' in html
    assert '<a href="/cases/?country=TKL">1</a>' in html


@pytest.mark.django_db
def test_a_regions_map_zooms_to_its_countries_and_lists_only_them(client):
    published(2, country("Bhutan", "BTN", "064"))
    published(1, country("Uganda", "UGA", "800", region="Africa"))
    published(3, country("Samoa", "WSM", "882", region="Oceania"))
    published(1, country("Fiji", "FJI", "242", region="Oceania"))

    world = svg_of(get(client, reverse("insight:map")))
    html = get(client, reverse("insight:map") + "?region=Asia")
    asia = svg_of(html)
    x, y, w, h = (float(v) for v in asia.get("viewBox", "").split())
    assert w < 600 and (x, y, w, h) != tuple(float(v) for v in world.get("viewBox", "").split())
    bhutan = atlas().by_m49["064"].box
    assert bhutan and x <= bhutan[0] and bhutan[2] <= x + w and y <= bhutan[1] <= y + h
    assert links_of(asia) == {"/countries/btn/": "Bhutan: 2 good practices"}
    assert list(table_of(html)) == ["Bhutan"]
    assert "<h1>Good practices in Asia</h1>" in html

    # Oceania's view continues east past 180°: Samoa's dot beside Fiji, not at the far west.
    oceania = svg_of(get(client, reverse("insight:map") + "?region=Oceania"))
    samoa = next(a for a in oceania.iter(f"{SVG}a") if a.get("href") == "/countries/wsm/")
    dot = samoa.find(f"{SVG}circle")
    assert dot is not None and float(dot.get("cx", "0")) > 1000

    assert client.get(reverse("insight:map") + "?region=Atlantis").status_code == 404


# --- The home page --------------------------------------------------------------------------


def _figures(html: str) -> dict[str, int]:
    block = html[html.index('<dl class="headline home-figures">') :]
    block = block[: block.index("</dl>")]
    pairs = re.findall(r"<dt>(.*?)</dt><dd>(.*?)</dd>", block)
    return {dt: int(re.sub(r"<[^>]+>", "", dd)) for dt, dd in pairs}


@pytest.mark.django_db
def test_the_home_page_shows_the_four_headline_figures_as_the_database_counts_them(client):
    bhutan, nepal = country("Bhutan", "BTN", "064"), country("Nepal", "NPL", "524")
    published(2, bhutan)
    published(1, nepal)
    draft = CaseStudyFactory(country=country("Peru", "PER", "604"), organization=None)
    public_event = EventFactory(is_public=True)
    EventFactory(is_public=True)
    EventFactory(is_public=False)
    DocumentFactory(case=CaseStudy.objects.published().first())
    DocumentFactory(case=CaseStudy.objects.published().last(), kind=Document.Kind.REPORT)
    DocumentFactory(case=draft)
    DocumentFactory(case=None, event=public_event)

    html = get(client, reverse("paks:home"))

    presentations = Document.objects.public().filter(kind=Document.Kind.PRESENTATION)
    assert _figures(html) == {
        "Good practices": CaseStudy.objects.published().count(),
        "Countries with a good practice": 2,
        "Events": Event.objects.public().count(),
        "Presentations": presentations.count(),
    }
    assert _figures(html) == {
        "Good practices": 3,
        "Countries with a good practice": 2,
        "Events": 2,
        "Presentations": 2,
    }
    assert links_of(svg_of(html)) == {
        "/countries/btn/": "Bhutan: 2 good practices",
        "/countries/npl/": "Nepal: 1 good practice",
    }
    assert list(table_of(html)) == ["Bhutan", "Nepal"]
    assert '<details class="map-table">' in html  # folded on the home page


@pytest.mark.django_db
def test_the_home_page_names_the_next_event_or_else_the_latest_one(client):
    now = timezone.now()
    EventFactory(title="Long past forum", start=now - datetime.timedelta(days=400))
    EventFactory(title="Recent workshop", start=now - datetime.timedelta(days=20))
    EventFactory(title="Hidden meeting", start=now + datetime.timedelta(days=3), is_public=False)
    html = get(client, reverse("paks:home"))
    assert "Latest event</h2>" in html and "Recent workshop" in html
    assert "Long past forum" not in html and "Hidden meeting" not in html

    EventFactory(title="Later conference", start=now + datetime.timedelta(days=90))
    EventFactory(title="Next webinar", start=now + datetime.timedelta(days=10))
    html = get(client, reverse("paks:home"))
    assert "Next event</h2>" in html and "Next webinar" in html
    assert "Later conference" not in html and "Recent workshop" not in html
    # Under way (started yesterday, ends tomorrow): still the next one to attend.
    EventFactory(title="Today's session", start=now - datetime.timedelta(days=1))
    html = get(client, reverse("paks:home"))
    assert "Today&#x27;s session" in html and "Next webinar" not in html


# --- Queries --------------------------------------------------------------------------------


def sql_of(client: Any, url: str) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return [q["sql"] for q in queries.captured_queries]


def _row(n: int) -> None:
    """A country with a published case and a presentation, an event ahead and one past."""
    place = CountryFactory()
    case = CaseStudyFactory(published=True, country=place, organization=None)
    DocumentFactory(case=case)
    EventFactory(start=timezone.now() + datetime.timedelta(days=n + 1))
    EventFactory(start=timezone.now() - datetime.timedelta(days=n + 1))


PAGES = {
    # the index version (the kept case counts' key); the next event with its country; the
    # public events counted; the public presentations counted; the countries with a case
    # (named on the map); the 6 latest cases with their country and organization; themes; SDGs
    "home": (reverse("paks:home"), 8),
    # the index version; the countries with a case
    "map": (reverse("insight:map"), 2),
    # the index version; the region's countries
    "region map": (reverse("insight:map") + "?region=Asia", 2),
}


@pytest.mark.django_db
@pytest.mark.parametrize("name", PAGES)
def test_the_home_and_map_pages_read_an_exact_number_of_queries_whatever_their_rows(client, name):
    url, warm_queries = PAGES[name]
    _row(0)
    for n in (1, MANY):
        client.get(url)  # keeps the case counts at this index version
        warm = sql_of(client, url)
        assert len(warm) == warm_queries, (n, warm)
        cache.clear()
        cold = sql_of(client, url)
        # and the cases counted per country (and so per region and in all)
        assert len(cold) == warm_queries + 1, (n, cold)
        for more in range(n, MANY):
            _row(more)
