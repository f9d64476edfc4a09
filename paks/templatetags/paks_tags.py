"""Template helpers for the public pages."""

from __future__ import annotations

from typing import Any

import markdown as md
import nh3
from django import template
from django.http import QueryDict
from django.utils.safestring import SafeString, mark_safe

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
    """The current query string with one facet value added or, if present, removed."""
    params: QueryDict = context["request"].GET.copy()
    values = params.getlist(key)
    value = str(value)
    params.setlist(key, [v for v in values if v != value] if value in values else [*values, value])
    params.pop("page", None)
    return "?" + params.urlencode() if params else "?"


@register.filter
def attr_values(search: Any, name: str) -> tuple[Any, ...]:
    """The values a search holds for one facet, to carry them through the words form."""
    return tuple(getattr(search, name, ()))
