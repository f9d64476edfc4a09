"""The world map of the public pages: published good practices per country as an inline SVG
choropleth, drawn on the server (no script, no library loaded by the browser).

The shapes are Natural Earth's 1:110m countries, projected once by `scripts/worldmap/` into
`paks/data/worldmap/countries.json` (see its PROVENANCE.md) and read once per process. Each
country with a figure is a link (an SVG `<a>`, which the keyboard reaches) named by its
`<title>`, "Bhutan: 3 good practices"; the others are drawn plain and hidden from screen
readers. Small States with no shape at that scale are drawn as a dot. Every shade is a class
of the site's stylesheet with a presentation attribute as its default (the site's CSP allows
no inline style), and the page puts the figures in a table after the map.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from itertools import pairwise
from pathlib import Path
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from countries.models import Country
from countries.names import sort_key

DATA = Path(__file__).resolve().parent / "data" / "worldmap" / "countries.json"

Box = tuple[float, float, float, float]  # x0, y0, x1, y1 in the map's units

CLASSES = 5
# Light to dark; the lightest is 3:1 against NONE (WCAG's contrast for graphics), and each
# is about 1.4:1 against the next. The stylesheet may restyle them (.map-c1 ... .map-c5).
RAMP = ("#4a86bd", "#336ea6", "#1f578e", "#104073", "#052a52")
NONE = "#e1e7ed"  # a country with no figure
OUTSIDE = "#ffffff"  # a country beyond the region a view is about, outlined in OUTLINE
OUTLINE = "#c9d2db"
BORDER = "#ffffff"
DOT = "#6b7785"  # the ring of a small State's dot when it has no figure
# Which shades n classes take: as far apart as they can be.
SPREAD = {1: (2,), 2: (1, 3), 3: (0, 2, 4), 4: (0, 1, 3, 4), 5: (0, 1, 2, 3, 4)}
# The whole world is drawn to half a unit (half a pixel at the page's widest), a third
# lighter once compressed than the data's tenth, which a region's view needs to zoom in.
WORLD_GRID = 5  # tenths of a unit
# A region's view is padded by this share of its size and kept between these shapes; it
# takes in the region's dots up to this share of its outlines' size away (Heard Island
# stays out of Oceania's view, which would reach the Indian Ocean to show it).
PADDING = 0.04
NEAR, NEAR_AT_LEAST = 0.5, 50
WIDEST, TALLEST = 2.4, 1.0  # width / height


@dataclass(frozen=True)
class Shape:
    """A country or area of the atlas: an outline (`d`), or a point where it is too small."""

    m49: str | None  # None for the few areas the atlas draws without a code (e.g. Kosovo)
    name: str  # as the atlas names it
    d: str = ""
    d_world: str = ""  # `d` on the whole world's coarser grid
    box: Box | None = None  # the whole outline's bounds
    main: Box | None = None  # the bounds of its main parts (France without French Guiana)
    at: tuple[float, float] | None = None
    wrap: float | None = None  # where a point west of Greenwich falls past 180° east

    @property
    def focus_box(self) -> Box:
        if self.at:
            x, y = self.at
            return (x, y, x, y)
        assert self.box is not None
        return self.main or self.box


@dataclass(frozen=True)
class Atlas:
    view: Box
    shapes: tuple[Shape, ...]
    by_m49: Mapping[str, Shape]


_TOKENS = re.compile(r"[Mlz]|-?(?:\d+\.?\d*|\.\d+)")


def _tenths(value: int) -> str:
    """A number of tenths, short: 5 -> ".5", -15 -> "-1.5", 20 -> "2"."""
    whole, tenth = divmod(abs(value), 10)
    digits = (str(whole) if whole or not tenth else "") + (f".{tenth}" if tenth else "")
    return ("-" if value < 0 else "") + digits


def _joined(numbers: Iterable[str]) -> str:
    """Numbers with the fewest separators, as the conversion script writes them."""
    out = previous = ""
    for n in numbers:
        if out and not n.startswith("-") and not (n.startswith(".") and "." in previous):
            out += " "
        out += n
        previous = n
    return out


def coarsen(d: str, grid: int) -> str:
    """`d` (absolute moves, relative lines, in tenths) with every point put on a grid of
    `grid` tenths; points that meet are merged and rings that shrink to a line left out.
    The outline itself if nothing of it would be left."""
    rings: list[list[tuple[int, int]]] = []
    command, numbers = "", []
    for token in [*_TOKENS.findall(d), "M"]:
        if token not in "Mlz":
            numbers.append(round(float(token) * 10))
            continue
        if command == "M":
            rings.append([(numbers[0], numbers[1])])
        elif command == "l":
            x, y = rings[-1][0]
            for dx, dy in zip(numbers[::2], numbers[1::2], strict=True):
                x, y = x + dx, y + dy
                rings[-1].append((x, y))
        command, numbers = token, []
    out = []
    for ring in rings:
        points: list[tuple[int, int]] = []
        for x, y in ring:
            point = (round(x / grid) * grid, round(y / grid) * grid)
            if not points or points[-1] != point:
                points.append(point)
        if len(points) > 1 and points[0] == points[-1]:
            points.pop()
        if len(points) < 3:
            continue
        steps = []
        for (x0, y0), (x1, y1) in pairwise(points):
            steps += [_tenths(x1 - x0), _tenths(y1 - y0)]
        start = _joined([_tenths(points[0][0]), _tenths(points[0][1])])
        out.append(f"M{start}l{_joined(steps)}z")
    return "".join(out) or d


def _box(value: Sequence[float] | None) -> Box | None:
    return (value[0], value[1], value[2], value[3]) if value else None


@cache
def atlas() -> Atlas:
    """The map data, read once per process."""
    data = json.loads(DATA.read_text(encoding="utf-8"))
    x, y, w, h = data["viewBox"]
    shapes = tuple(
        Shape(
            m49=c["m49"],
            name=c["name"],
            d=c.get("d", ""),
            d_world=coarsen(c["d"], WORLD_GRID) if "d" in c else "",
            box=_box(c.get("box")),
            main=_box(c.get("main")),
            at=(c["at"][0], c["at"][1]) if "at" in c else None,
            wrap=c.get("wrap"),
        )
        for c in data["countries"]
    )
    return Atlas(
        view=(x, y, x + w, y + h),
        shapes=shapes,
        by_m49={s.m49: s for s in shapes if s.m49},
    )


@dataclass(frozen=True)
class Shade:
    """A class of the legend: the counts from `low` to `high`, drawn in `colour`."""

    number: int  # 1 to 5, light to dark
    low: int
    high: int

    @property
    def css(self) -> str:
        return f"map-c{self.number}"

    @property
    def colour(self) -> str:
        return RAMP[self.number - 1]

    @property
    def label(self) -> str:
        return str(self.low) if self.low == self.high else f"{self.low}\N{EN DASH}{self.high}"

    @property
    def swatch(self) -> SafeString:
        """A square of the shade, drawn (not a background) so that it prints."""
        return _swatch(self.css, self.colour)


def _swatch(css: str, colour: str) -> SafeString:
    return mark_safe(
        f'<svg class="map-swatch" viewBox="0 0 16 16" width="16" height="16" aria-hidden="true">'
        f'<rect class="{css}" x=".5" y=".5" width="15" height="15" fill="{colour}" '
        f'stroke="{DOT}"/></svg>'
    )


def shades(values: Iterable[int]) -> list[Shade]:
    """Up to five classes over the counts: one per value when there are five or fewer, else
    quantiles (each holds about a fifth of the countries; ties keep a value in one class)."""
    ordered = sorted(v for v in values if v > 0)
    if not ordered:
        return []
    distinct = sorted(set(ordered))
    if len(distinct) <= CLASSES:
        bounds = [(v, v) for v in distinct]
    else:
        highs = sorted(
            {ordered[math.ceil(len(ordered) * k / CLASSES) - 1] for k in range(1, CLASSES + 1)}
        )
        bounds, low = [], ordered[0]
        for high in highs:
            bounds.append((low, high))
            low = high + 1
    return [
        Shade(number=n + 1, low=low, high=high)
        for n, (low, high) in zip(SPREAD[len(bounds)], bounds, strict=True)
    ]


def shade_of(count: int, classes: Sequence[Shade]) -> Shade | None:
    return next((s for s in classes if s.low <= count <= s.high), None)


@dataclass(frozen=True)
class Row:
    """A line of the table after the map."""

    country: Country
    count: int
    shade: Shade | None
    drawn: bool  # False: no shape at this scale, or beyond the region's view

    @property
    def cases_url(self) -> str:
        return f"{reverse('paks:case-list')}?{urlencode({'country': self.country.iso3})}"


@dataclass(frozen=True)
class WorldMap:
    svg: SafeString
    shades: list[Shade]
    rows: list[Row]  # the countries with a figure, by name

    @property
    def none_swatch(self) -> SafeString:
        return _swatch("map-c0", NONE)


def _num(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".") or "0"


def _overlaps(a: Box, b: Box) -> bool:
    return a[0] <= b[2] and b[0] <= a[2] and a[1] <= b[3] and b[1] <= a[3]


def _union(boxes: Iterable[Box]) -> Box:
    x0s, y0s, x1s, y1s = zip(*boxes, strict=True)
    return (min(x0s), min(y0s), max(x1s), max(y1s))


def _view(focus: Sequence[Shape], world: Box) -> tuple[Box, dict[str, tuple[float, float]]]:
    """The part of the map showing `focus`, and where its dots go: the main parts of its
    outlines and the dots near them (at their place, or past 180° east: Samoa beside Fiji),
    padded, neither too wide nor too tall."""
    outlines = [s.focus_box for s in focus if s.d]
    if not outlines:
        return world, {}
    core = _union(outlines)
    reach_x = max(NEAR * (core[2] - core[0]), NEAR_AT_LEAST)
    reach_y = max(NEAR * (core[3] - core[1]), NEAR_AT_LEAST)
    near = (core[0] - reach_x, core[1] - reach_y, core[2] + reach_x, core[3] + reach_y)
    placed: dict[str, tuple[float, float]] = {}
    for shape in focus:
        if shape.at and shape.m49:
            y = shape.at[1]
            for x in (shape.at[0], shape.wrap):
                if x is not None and _overlaps((x, y, x, y), near):
                    placed[shape.m49] = (x, y)
                    break
    x0, y0, x1, y1 = _union([core, *((x, y, x, y) for x, y in placed.values())])
    pad = PADDING * max(x1 - x0, y1 - y0, 20)
    x0, y0, x1, y1 = x0 - pad, y0 - pad, x1 + pad, y1 + pad
    w, h = x1 - x0, y1 - y0
    if w / h < TALLEST:
        x0, x1 = x0 - (h * TALLEST - w) / 2, x1 + (h * TALLEST - w) / 2
    elif w / h > WIDEST:
        y0, y1 = y0 - (w / WIDEST - h) / 2, y1 + (w / WIDEST - h) / 2
    # Kept inside the world (and the dots past its edge) where it fits, so that no side
    # shows empty sea it could avoid.
    w, h = x1 - x0, y1 - y0
    bounds = _union([world, *((x, y, x, y) for x, y in placed.values())])
    if w <= bounds[2] - bounds[0]:
        x0 = min(max(x0, bounds[0]), bounds[2] - w)
    if h <= bounds[3] - bounds[1]:
        y0 = min(max(y0, bounds[1]), bounds[3] - h)
    return (x0, y0, x0 + w, y0 + h), placed


def _description(total: int, countries: int, classes: Sequence[Shade]) -> str:
    """The map's text alternative: what it shows, in words."""
    if not countries:
        return _("No good practices yet: every country is grey.")
    # Translators: the parts of the map's description below, "3 good practices in
    # 2 countries, shaded in 2 classes from 1 to 2; …".
    good_practices = ngettext("%(count)s good practice", "%(count)s good practices", total)
    in_countries = ngettext("%(count)s country", "%(count)s countries", countries)
    # Translators: classes (ranges of figures) of a map's colours, as in "shaded in 5 classes".
    shaded = ngettext("%(count)s class", "%(count)s classes", len(classes))
    summary = _(
        # Translators: the map's description. A country "without any" has no good practice.
        "%(good_practices)s in %(countries)s, shaded in %(classes)s from %(low)s to "
        "%(high)s; countries without any are grey."
    ) % {
        "good_practices": good_practices % {"count": total},
        "countries": in_countries % {"count": countries},
        "classes": shaded % {"count": len(classes)},
        "low": classes[0].label,
        "high": classes[-1].label,
    }
    return " ".join(
        (
            summary,
            _("Each shaded country is a link to its page."),
            _("The table after the map gives every figure."),
        )
    )


def _country_figure(name: str, count: int) -> str:
    """A country's link name on the map: "Bhutan: 3 good practices"."""
    return ngettext(
        "%(country)s: %(count)s good practice", "%(country)s: %(count)s good practices", count
    ) % {"country": name, "count": count}


def choropleth(
    counts_by_country: Mapping[int, int],
    countries: Iterable[Country],
    *,
    focus: Iterable[Country] | None = None,
    title: str | None = None,
    id_prefix: str = "worldmap",
) -> WorldMap:
    """The map of published good practices, `counts_by_country` (country id -> count), for
    the `countries` given, which name the links and the table; counts of other countries
    are left out. `title` names it (by default "Good practices by country").

    With `focus` (a region's countries) the view zooms to them and shades only them."""
    if title is None:
        title = _("Good practices by country")
    world_atlas = atlas()
    named = {c.pk: c for c in countries}
    in_focus = None if focus is None else {c.m49 for c in focus}
    figures = {
        named[pk]: n
        for pk, n in counts_by_country.items()
        if n > 0 and pk in named and (in_focus is None or named[pk].m49 in in_focus)
    }
    classes = shades(figures.values())
    by_m49 = {c.m49: (c, n) for c, n in figures.items()}

    view = world_atlas.view
    placed: dict[str, tuple[float, float]] = {}  # where a region's view draws its dots
    if in_focus is not None:
        focused = [s for s in world_atlas.shapes if s.m49 in in_focus]
        view, placed = _view(focused, world_atlas.view)
    scale = (view[2] - view[0]) / (world_atlas.view[2] - world_atlas.view[0])

    def outline(shape: Shape) -> str:
        return f'<path d="{shape.d if in_focus is not None else shape.d_world}"/>'

    def dot(shape: Shape, radius: float) -> str:
        x, y = placed.get(shape.m49 or "") or shape.at or (0, 0)
        return f'<circle cx="{_num(x)}" cy="{_num(y)}" r="{_num(radius * scale)}"/>'

    def visible(shape: Shape) -> bool:
        if shape.at:
            x, y = placed.get(shape.m49 or "") or shape.at
            return _overlaps((x, y, x, y), view)
        return shape.box is not None and _overlaps(shape.box, view)

    plain: list[str] = []
    outside: list[str] = []
    dots: list[str] = []
    links: list[tuple[bytes, str]] = []  # (country name's sort key, link), to put them in order
    link_dots: list[tuple[bytes, str]] = []
    drawn: set[str] = set()
    for shape in world_atlas.shapes:
        if not visible(shape):
            continue
        figure = by_m49.get(shape.m49 or "")
        if figure is None:
            if shape.at:
                dots.append(dot(shape, 1.6))
            elif in_focus is not None and shape.m49 not in in_focus:
                outside.append(outline(shape))
            else:
                plain.append(outline(shape))
            continue
        country, n = figure
        shade = shade_of(n, classes)
        assert shade is not None
        link = (
            f'<a href="{escape(country.get_absolute_url())}" class="{shade.css}" '
            f'fill="{shade.colour}"><title>{escape(_country_figure(country.local_name, n))}</title>'
            f"{dot(shape, 3.2) if shape.at else outline(shape)}</a>"
        )
        (link_dots if shape.at else links).append((sort_key(country.local_name), link))
        drawn.add(country.m49)

    rows = [
        Row(country=c, count=n, shade=shade_of(n, classes), drawn=c.m49 in drawn)
        for c, n in sorted(figures.items(), key=lambda item: sort_key(item[0].local_name))
    ]

    x0, y0, x1, y1 = view
    described = _description(sum(figures.values()), len(figures), classes)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="worldmap" role="group" '
        f'viewBox="{_num(x0)} {_num(y0)} {_num(x1 - x0)} {_num(y1 - y0)}" '
        f'aria-labelledby="{id_prefix}-title" aria-describedby="{id_prefix}-desc" '
        f'stroke="{BORDER}" stroke-width="{_num(0.5 * scale)}" stroke-linejoin="round">',
        f'<title id="{id_prefix}-title">{escape(title)}</title>',
        f'<desc id="{id_prefix}-desc">{escape(described)}</desc>',
        f'<g class="map-c0" fill="{NONE}" aria-hidden="true">',
    ]
    if outside:
        parts += [f'<g class="map-out" fill="{OUTSIDE}" stroke="{OUTLINE}">', *outside, "</g>"]
    parts += plain
    if dots:
        parts += [
            f'<g class="map-dot" stroke="{DOT}" stroke-width="{_num(0.4 * scale)}">',
            *dots,
            "</g>",
        ]
    parts.append("</g>")
    if links or link_dots:
        parts.append('<g class="map-cases">')
        parts += [link for _name, link in sorted(links)]
        parts += [link for _name, link in sorted(link_dots)]
        parts.append("</g>")
    parts.append("</svg>")
    # Every text was escaped above; the paths come from the project's own data file.
    return WorldMap(svg=mark_safe("".join(parts)), shades=classes, rows=rows)
