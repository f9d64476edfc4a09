"""The same page in each of the portal's languages: the language switcher and hreflang."""

from __future__ import annotations

from dataclasses import dataclass

from django import template
from django.conf import settings
from django.http import HttpRequest
from django.urls import NoReverseMatch, get_script_prefix, reverse
from django.utils import translation

register = template.Library()


@dataclass(frozen=True)
class Version:
    code: str
    name: str  # in its own language: "Français", "العربية"
    url: str  # the address with the query, as the switcher links to it
    current: bool
    bidi: bool


def _english_address(request: HttpRequest) -> str:
    """This page's address in English (no prefix), with its query; the home page's where
    the page has no language in its address (a 404, the API, the admin)."""
    match = request.resolver_match
    with translation.override(settings.LANGUAGE_CODE):
        if match is not None and match.view_name:
            try:
                address = reverse(match.view_name, args=match.args, kwargs=match.kwargs)
            except NoReverseMatch:
                return reverse("paks:home")
            query = request.META.get("QUERY_STRING", "")
            return f"{address}?{query}" if query else address
        return reverse("paks:home")


def _in(code: str, english: str) -> str:
    """The English address with a language's prefix: the patterns themselves are the same
    in every language, so one reverse serves the six."""
    if code == settings.LANGUAGE_CODE:
        return english
    script = get_script_prefix()
    return f"{script}{code}/{english.removeprefix(script)}"


@register.simple_tag(takes_context=True)
def language_versions(context: template.Context) -> list[Version]:
    """This page in every language, in the UN's order, each named in its own language."""
    request = context.get("request")
    if request is None:
        return []
    current = translation.get_language()
    english = _english_address(request)
    versions = []
    for code, _name in settings.LANGUAGES:
        info = translation.get_language_info(code)
        versions.append(
            Version(code, info["name_local"], _in(code, english), code == current, info["bidi"])
        )
    return versions
