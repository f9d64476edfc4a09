"""Charts drawn on the server as SVG: no script, no library loaded by the browser.

Each chart is an `<svg role="img">` named by its `<title>` and described by its `<desc>`;
the page puts the figures in a table beside it, which is what a screen reader or a
printout reads. Series are told apart by colour, dash and marker shape (not by colour
alone), and every colour is drawn as a class the site's stylesheet can restyle, with a
presentation attribute as the default.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import count
from typing import TYPE_CHECKING

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

if TYPE_CHECKING:
    from django.utils.functional import _StrPromise

# Okabe and Ito's palette: told apart with every common colour-vision deficiency.
PALETTE = ("#0072b2", "#d55e00", "#009e73", "#cc79a7", "#e69f00", "#56b4e9", "#000000")
DASHES = ("", "6 3", "2 3", "8 3 2 3", "4 4", "1 2", "")
MARKERS = ("circle", "square", "diamond", "triangle", "circle", "square", "diamond")

_ids = count(1)


@dataclass(frozen=True)
class Series:
    """One line: a name for the legend, and (x, y) points; y None leaves a gap."""

    name: str | _StrPromise
    points: Sequence[tuple[float, float | None]]
    emphasis: bool = False  # the chart's subject: drawn thicker


@dataclass(frozen=True)
class Bar:
    label: str | _StrPromise
    value: float
    href: str = ""  # where the bar's label leads, if anywhere


def _number(value: float) -> str:
    """A coordinate, short: 12.5, not 12.500000001."""
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _path(points: Sequence[tuple[float, float]]) -> str:
    return "M" + "L".join(f"{_number(x)} {_number(y)}" for x, y in points) + "Z"


def _marker(shape: str, x: float, y: float, size: float = 3.5) -> str:
    """A point's mark; the shape tells series apart where colour cannot."""
    paint = 'fill="currentColor" stroke="none"'
    s = size * 1.3
    if shape == "square":
        corners = [(x - size, y - size), (x + size, y - size), (x + size, y + size)]
        return f'<path d="{_path([*corners, (x - size, y + size)])}" {paint}/>'
    if shape == "diamond":
        return f'<path d="{_path([(x, y - s), (x + s, y), (x, y + s), (x - s, y)])}" {paint}/>'
    if shape == "triangle":
        return (
            f'<path d="{_path([(x, y - s), (x + s, y + s * 0.8), (x - s, y + s * 0.8)])}" {paint}/>'
        )
    return f'<circle cx="{_number(x)}" cy="{_number(y)}" r="{_number(size)}" {paint}/>'


def _open(
    kind: str,
    title: str | _StrPromise,
    description: str | _StrPromise,
    width: int,
    height: int,
    *,
    role: str = "img",
) -> tuple[str, str]:
    """The opening tag with its accessible name and description, and the id prefix. A chart
    whose marks are links is a group of them, not an image (an image holds no controls)."""
    prefix = f"chart-{next(_ids)}"
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart chart-{kind}" role="{role}" '
        f'viewBox="0 0 {width} {height}" width="100%" preserveAspectRatio="xMidYMid meet" '
        f'aria-labelledby="{prefix}-title {prefix}-desc" font-family="inherit" font-size="13">'
        f'<title id="{prefix}-title">{escape(title)}</title>'
        f'<desc id="{prefix}-desc">{escape(description)}</desc>'
    )
    return head, prefix


def line_chart(
    *,
    title: str | _StrPromise,
    description: str | _StrPromise,
    series: Sequence[Series],
    x_ticks: Sequence[float],
    y_ticks: Sequence[float],
    y_format: Callable[[float], str] = lambda v: f"{v:.2f}",
    width: int = 420,
    height: int = 250,
) -> SafeString:
    """Lines over shared x values (years, say) against a y scale from the first to the last
    of `y_ticks`. The legend is the page's (`legend`), where text stays readable on a phone."""
    left, right, top, bottom = 44, 12, 10, 28
    x_min, x_max = min(x_ticks), max(x_ticks)
    y_min, y_max = min(y_ticks), max(y_ticks)
    plot_w, plot_h = width - left - right, height - top - bottom

    def x_at(x: float) -> float:
        return left + (plot_w * (x - x_min) / (x_max - x_min) if x_max > x_min else plot_w / 2)

    def y_at(y: float) -> float:
        return top + plot_h * (1 - (y - y_min) / (y_max - y_min) if y_max > y_min else 0.5)

    head, _prefix = _open("line", title, description, width, height)
    parts = [head, '<g class="chart-axes" fill="#555" stroke="#ccc" stroke-width="1">']
    for tick in y_ticks:
        level = _number(y_at(tick))
        parts.append(f'<line x1="{left}" x2="{width - right}" y1="{level}" y2="{level}"/>')
        parts.append(
            f'<text x="{left - 6}" y="{level}" text-anchor="end" dominant-baseline="middle" '
            f'stroke="none">{escape(y_format(tick))}</text>'
        )
    # A label where it does not touch the one before (years may stand close together);
    # the last one always, in place of its neighbour if need be.
    placed: list[float] = []
    for tick in reversed(x_ticks):
        if not placed or placed[-1] - x_at(tick) >= 40:
            placed.append(x_at(tick))
    for tick in x_ticks:
        if x_at(tick) not in placed:
            continue
        parts.append(
            f'<text x="{_number(x_at(tick))}" y="{height - 8}" text-anchor="middle" '
            f'stroke="none">{_number(tick)}</text>'
        )
    parts.append("</g>")
    for n, line in enumerate(series):
        colour, dash, marker = PALETTE[n % 7], DASHES[n % 7], MARKERS[n % 7]
        stroke = 3 if line.emphasis else 2
        parts.append(
            f'<g class="chart-series chart-series-{n + 1}" color="{colour}" stroke="{colour}">'
        )
        runs: list[list[tuple[float, float]]] = [[]]
        for x, y in line.points:
            if y is None or (isinstance(y, float) and math.isnan(y)):
                runs.append([])
            else:
                runs[-1].append((x_at(x), y_at(y)))
        for run in runs:
            if len(run) > 1:
                path = "M" + "L".join(f"{_number(x)} {_number(y)}" for x, y in run)
                dashed = f' stroke-dasharray="{dash}"' if dash else ""
                parts.append(
                    f'<path d="{path}" fill="none" stroke-width="{stroke}"{dashed} '
                    'stroke-linejoin="round"/>'
                )
            parts.extend(_marker(marker, x, y) for x, y in run)
        parts.append("</g>")
    parts.append("</svg>")
    return mark_safe("".join(parts))  # every text was escaped above


def legend(series: Sequence[Series]) -> SafeString:
    """The key to a line chart, as HTML: each name beside its line's colour, dash and marker."""
    items = []
    for n, line in enumerate(series):
        colour, dash, marker = PALETTE[n % 7], DASHES[n % 7], MARKERS[n % 7]
        dashed = f' stroke-dasharray="{dash}"' if dash else ""
        sample = (
            f'<svg class="chart-key" viewBox="0 0 32 12" width="32" height="12" aria-hidden="true" '
            f'color="{colour}"><path d="M1 6H31" stroke="{colour}" stroke-width="2"{dashed}/>'
            f"{_marker(marker, 16, 6)}</svg>"
        )
        items.append(f"<li>{sample} {escape(line.name)}</li>")
    return mark_safe(f'<ul class="chart-legend">{"".join(items)}</ul>')


def bar_chart(
    *,
    title: str | _StrPromise,
    description: str | _StrPromise,
    bars: Sequence[Bar],
    value_format: Callable[[float], str] = lambda v: f"{v:g}",
    width: int = 360,
    row: int = 36,
) -> SafeString:
    """Horizontal bars in the order given, each under its label (which may be a link): a
    narrow chart whose words stay readable on a phone."""
    top = 2
    height = top + row * max(len(bars), 1) + 2
    largest = max((bar.value for bar in bars), default=0) or 1
    plot_w = width - 48
    # About 7.2 units a character at this size: a longer label is cut, whole in the table.
    fits = int(width / 7.2)
    linked = any(bar.href for bar in bars)
    head, _prefix = _open(
        "bar", title, description, width, height, role="group" if linked else "img"
    )
    parts = [head]
    for n, bar in enumerate(bars):
        y = top + n * row
        length = max(plot_w * bar.value / largest, 1)
        name = str(bar.label)  # a lazy translation, made text in the active language
        label = escape(name if len(name) <= fits else name[: fits - 1] + "…")
        text = f'<text x="0" y="{_number(y + 13)}" fill="currentColor">{label}</text>'
        if bar.href:
            text = f'<a href="{escape(bar.href)}">{text}</a>'
        parts.append(
            f"<g>{text}"
            f'<rect class="chart-bar" x="0" y="{_number(y + 18)}" width="{_number(length)}" '
            f'height="12" fill="{PALETTE[0]}"/>'
            f'<text x="{_number(length + 6)}" y="{_number(y + 28)}" fill="currentColor">'
            f"{escape(value_format(bar.value))}</text></g>"
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # every text was escaped above
