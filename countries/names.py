"""Names of countries and of the UN's M49 regions in each of the portal's languages.

English names are M49's own, as stored (`Country.name`, `region_name` …). The other five
languages take CLDR's names, which Babel carries: CLDR keys countries by ISO 3166 alpha-2 and
regions by their M49 codes (`002` Africa, `014` Eastern Africa, `419` Latin America and the
Caribbean), so no name is typed by hand. A code CLDR lacks keeps the English name.
"""

from __future__ import annotations

import csv
import functools
from collections.abc import Mapping

import icu
from babel import Locale
from django.conf import settings
from django.utils.translation import get_language, to_locale


@functools.cache
def _territories(language: str) -> Mapping[str, str]:
    return Locale.parse(to_locale(language)).territories


def territory(code: str, english: str, language: str | None = None) -> str:
    """A country's (ISO alpha-2) or a region's (M49 code) name in `language`, by default
    the language of the request."""
    language = language or get_language() or settings.LANGUAGE_CODE
    if language == settings.LANGUAGE_CODE or not code:
        return english
    return _territories(language).get(code, english)


def every_name(code: str, english: str) -> list[str]:
    """The name in each of the portal's languages, English first, each once."""
    names = [english]
    for language, _name in settings.LANGUAGES:
        name = territory(code, english, language)
        if name not in names:
            names.append(name)
    return names


@functools.cache
def _collator(language: str) -> icu.Collator:
    """ICU's collator for a language (CLDR's order: pinyin for Chinese), made once: making
    one loads its rules, using it does not change it."""
    return icu.Collator.createInstance(icu.Locale(to_locale(language)))


def sort_key(name: str, language: str | None = None) -> bytes:
    """An order for names in `language`, by default the request's, as its readers expect it:
    accents second to letters ("Égypte" among the E's), Chinese by pinyin, Arabic in the
    order of its alphabet."""
    key: bytes = _collator(language or get_language() or settings.LANGUAGE_CODE).getSortKey(name)
    return key


@functools.cache
def _region_codes() -> dict[str, str]:
    """M49's regions, sub-regions and intermediate regions: code by English name."""
    from countries.reference import M49_CSV  # the table the countries are loaded from

    codes = {}
    with M49_CSV.open(encoding="utf-8-sig", newline="") as f:
        for row in csv.DictReader(f):
            for level in ("Region", "Sub-region", "Intermediate Region"):
                if row[f"{level} Code"].strip():
                    codes[row[f"{level} Name"].strip()] = row[f"{level} Code"].strip()
    return codes


def region(english: str, language: str | None = None) -> str:
    """An M49 region's name (as stored, in English) in `language`, by default the request's."""
    return territory(_region_codes().get(english, ""), english, language)
