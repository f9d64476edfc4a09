"""Sheets for the import tests, written as a person would save them: CSV, XLSX or JSON."""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import tablib

from countries.models import Country, Organization
from taxonomy.models import SDG, Theme

CASE_HEADERS = ("Title", "Country", "Organization", "Year", "Language", "Summary", "Themes", "SDGs")


def sheet(headers: Sequence[str], rows: Sequence[Sequence[Any]], file_format: str) -> bytes:
    data = tablib.Dataset(*[tuple(r) for r in rows], headers=list(headers))
    exported = data.export(file_format)
    return exported.encode() if isinstance(exported, str) else exported


def write(tmp_path: Path, name: str, headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> Path:
    path = tmp_path / name
    path.write_bytes(sheet(headers, rows, path.suffix.lstrip(".")))
    return path


def case_rows(count: int, organizations: Sequence[Organization]) -> list[list[Any]]:
    """`count` cases spread over the organizations, naming each one's country by a different
    code in turn (ISO3, ISO2, M49, name) and the themes and SDGs from the reference tables."""
    themes = list(Theme.objects.order_by("slug"))
    sdgs = list(SDG.objects.order_by("number"))
    spellings = itertools.cycle(
        (
            lambda c: c.iso3,
            lambda c: c.iso2.lower(),
            lambda c: str(int(c.m49)),  # as a spreadsheet keeps it: no leading zeros
            lambda c: c.name.upper(),
        )
    )
    rows = []
    for n, spell in zip(range(count), spellings, strict=False):
        organization = organizations[n % len(organizations)]
        country: Country = organization.country  # type: ignore[assignment]
        theme_a, theme_b = themes[n % len(themes)], themes[(n + 3) % len(themes)]
        rows.append(
            [
                f"Imported practice {n:04d}: one-stop service portal",
                spell(country),
                organization.name if n % 2 else organization.acronym,
                2015 + n % 10,
                "en",
                f"How case {n:04d} brought services online for {country.name}.",
                f"{theme_a.slug}; {theme_b.name}",
                f"{sdgs[n % len(sdgs)].number}; SDG 16",
            ]
        )
    return rows
