"""Template helpers for the public pages."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from typing import Any
from urllib.parse import quote_plus

import markdown as md
import nh3
from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.http import QueryDict
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from events.models import Event
from events.translations import Shown, shown_of

register = template.Library()

# What case sections may contain after Markdown: text structure and links, nothing active.
ALLOWED_TAGS = {
    "p", "br", "strong", "em", "ul", "ol", "li", "a", "blockquote", "code", "pre",
    "h3", "h4", "h5", "table", "thead", "tbody", "tr", "th", "td", "hr",
}  # fmt: skip


@register.filter
def markdown(text: str) -> SafeString:
    """Markdown rendered, then sanitized: headings start at h3 below the page's own h2s."""
    html = md.markdown(text or "", extensions=["tables", "sane_lists"], output_format="html")
    html = html.replace("<h1>", "<h3>").replace("</h1>", "</h3>")
    html = html.replace("<h2>", "<h3>").replace("</h2>", "</h3>")
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes={"a": {"href", "title"}},
        url_schemes={"http", "https", "mailto"},
        link_rel="nofollow noopener",
    )
    return mark_safe(clean)  # sanitized by nh3 just above


@register.simple_tag(takes_context=True)
def query_with(context: dict[str, Any], **changes: Any) -> str:
    """The current query string with some parameters replaced (None removes one)."""
    params: QueryDict = context["request"].GET.copy()
    for key, value in changes.items():
        params.pop(key, None)
        if value not in (None, ""):
            params[key] = value
    return "?" + params.urlencode() if params else "?"


@register.simple_tag(takes_context=True)
def query_toggle(context: dict[str, Any], key: str, value: Any) -> str:
    """The current query string with one facet value added or, if present, removed, and
    without its page: what QueryDict.urlencode writes for that change, in the same order.

    A search page has some sixty of these links; the query's other parameters are encoded
    once a request, not copied and encoded again for each link."""
    request = context["request"]
    encoded: list[tuple[str, list[str], list[str]]] | None
    encoded = getattr(request, "_paks_query_toggle", None)
    if encoded is None:
        encoded = [
            (name, values, [f"{quote_plus(name)}={quote_plus(v)}" for v in values])
            for name, values in request.GET.lists()
            if name != "page"
        ]
        request._paks_query_toggle = encoded
    value = str(value)
    pieces: list[str] = []
    for name, values, written in encoded:
        if name != key:
            pieces += written
            continue
        changed = [v for v in values if v != value] if value in values else [*values, value]
        pieces += [f"{quote_plus(name)}={quote_plus(v)}" for v in changed]
    if not any(name == key for name, _values, _written in encoded):
        pieces.append(f"{quote_plus(key)}={quote_plus(value)}")
    return "?" + "&".join(pieces)


@register.simple_tag(takes_context=True)
def facet_items(context: dict[str, Any], name: str, values: Iterable[Any]) -> SafeString:
    """A facet's values as list items, each a link that adds or removes it and its count.

    Written here rather than looped over in the template: a search page lists some sixty
    values, and the template's nodes for each took a third of the page's time."""
    items = []
    # Translators: read out before a chosen filter value, which the link removes.
    remove = gettext("Remove filter:")
    for value in values:
        href = query_toggle(context, name, value.value)
        if value.selected:
            item = format_html(
                '<li><a href="{}" aria-current="true" class="selected">'
                '<span class="visually-hidden">{} </span>{}</a> '
                '<span class="muted">({})</span></li>',
                href,
                remove,
                value.label,
                value.count,
            )
        else:
            item = format_html(
                '<li><a href="{}">{}</a> <span class="muted">({})</span></li>',
                href,
                value.label,
                value.count,
            )
        items.append(item)
    return mark_safe("".join(items))  # each item escaped by format_html


@register.filter
def attr_values(search: Any, name: str) -> tuple[Any, ...]:
    """The values a search holds for one facet, to carry them through the words form."""
    return tuple(getattr(search, name, ()))


# As json_script: inside <script> these three could close the element or open a comment.
JSON_IN_HTML_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


@register.filter
def json_ld(data: Mapping[str, Any] | None) -> SafeString:
    """A JSON-LD block for search engines. A data block is never run, so the page's CSP (which
    wants a nonce on scripts) does not apply to it and it needs none."""
    if not data:
        return mark_safe("")
    text = json.dumps(data, cls=DjangoJSONEncoder).translate(JSON_IN_HTML_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))


BULLET = re.compile(r"[-*] +(?P<item>.*)")
# Up to three digits: "2010. A year of ..." opens a sentence, not item 2010 of a list.
NUMBERED = re.compile(r"(?P<number>\d{1,3})[.)] +(?P<item>.*)")


@register.filter
def text_blocks(text: str) -> SafeString:
    """Plain text as HTML, escaped: lines starting "- " or "* " become a bulleted list, lines
    starting "1. " a numbered one, and the other lines paragraphs (a blank line ends one)."""
    blocks: list[tuple[str, list[str], int]] = []  # (kind, lines, first number)
    for line in (text or "").splitlines():
        kind, item, number = _line_kind(line.strip())
        if kind == "blank":
            blocks.append(("blank", [], 0))
        elif blocks and blocks[-1][0] == kind:
            blocks[-1][1].append(item)
        else:
            blocks.append((kind, [item], number))
    return mark_safe("".join(_block_html(*block) for block in blocks if block[0] != "blank"))


def _line_kind(line: str) -> tuple[str, str, int]:
    if not line:
        return "blank", "", 0
    if bullet := BULLET.fullmatch(line):
        return "ul", bullet["item"], 0
    if numbered := NUMBERED.fullmatch(line):
        return "ol", numbered["item"], int(numbered["number"])
    return "p", line, 0


def _block_html(kind: str, lines: list[str], number: int) -> SafeString:
    if kind == "p":
        return format_html(
            "<p>{}</p>", format_html_join(mark_safe("<br>"), "{}", ((x,) for x in lines))
        )
    items = format_html_join("", "<li>{}</li>", ((x,) for x in lines))
    if kind == "ol" and number != 1:
        return format_html('<ol start="{}">{}</ol>', number, items)
    return format_html("<{}>{}</{}>", kind, items, kind)


@register.filter
def thumbnail_alt(document: Any) -> str:
    """Words for a document's thumbnail: a picture's own title, or which page it shows."""
    if document.media_type.startswith("image/") or document.kind == "photo":
        return str(document.title)
    unit = document.page_unit
    if unit == "slide":
        text = gettext("First slide of “%(title)s”")
    elif unit == "sheet":
        text = gettext("First sheet of “%(title)s”")
    else:
        text = gettext("First page of “%(title)s”")
    return text % {"title": document.title}


def _attr(item: Any, name: str) -> Any:
    """As a template's `item.name`: a key of a mapping, else an attribute."""
    return item[name] if isinstance(item, Mapping) else getattr(item, name)


@register.simple_tag
def link_list(items: Iterable[Any], separator: str = "; ") -> SafeString:
    """Links to each item's `path`, named by its `title`, escaped: a list to place inside a
    translated sentence, where a template loop cannot go."""
    links = ((_attr(i, "path"), _attr(i, "title")) for i in items)
    return format_html_join(separator, '<a href="{}">{}</a>', links)


@register.filter
def names(items: Iterable[Any]) -> str:
    """The items' `name`s, one after the other: a list to place inside a translated sentence."""
    return ", ".join(str(_attr(item, "name")) for item in items)


@register.filter
def shown(event: Event) -> Shown:
    """The event's title and summary as a list shows them (`show_events`), else as written,
    with their language (for `lang`)."""
    return shown_of(event)
