"""Load the taxonomy (SDGs, themes) from taxonomy/data/, idempotently."""

from __future__ import annotations

import csv
from collections import defaultdict
from pathlib import Path
from typing import Any

from django.db import transaction

from core.reference import LoadResult, sync_rows
from taxonomy.models import SDG, Theme

DATA_DIR = Path(__file__).resolve().parent / "data"
SDGS_CSV = DATA_DIR / "sdgs.csv"
THEMES_CSV = DATA_DIR / "themes.csv"
# The same rows' texts in the other UN languages, one row per language (PROVENANCE.md).
SDGS_TRANSLATIONS_CSV = DATA_DIR / "sdgs_translations.csv"
THEMES_TRANSLATIONS_CSV = DATA_DIR / "themes_translations.csv"


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as f:
        return [{k: v.strip() for k, v in row.items()} for row in csv.DictReader(f)]


def _translations(path: Path, key: str, fields: tuple[str, ...]) -> dict[str, dict[str, Any]]:
    """{row key: {language: {field: text}}} from a file of one row per key and language."""
    found: dict[str, dict[str, Any]] = defaultdict(dict)
    for row in _read(path):
        found[row[key]][row["language"]] = {f: row[f] for f in fields if row[f]}
    return found


@transaction.atomic
def load_sdgs(path: Path | str | None = None) -> LoadResult:
    """The 17 SDGs with official titles and colours, keyed by goal number."""
    translations = _translations(SDGS_TRANSLATIONS_CSV, "number", ("short_title", "title"))
    rows = [
        {
            "number": int(r["number"]),
            "short_title": r["short_title"],
            "title": r["title"],
            "colour": r["colour"].upper(),
            "translations": translations.get(r["number"], {}),
        }
        for r in _read(Path(path or SDGS_CSV))
    ]
    return sync_rows(SDG, key_fields=("number",), rows=rows, table="SDGs")


@transaction.atomic
def load_themes(path: Path | str | None = None) -> LoadResult:
    """The portal's theme taxonomy, keyed by slug (names and descriptions may be reworded)."""
    translations = _translations(THEMES_TRANSLATIONS_CSV, "slug", ("name", "description"))
    rows = [
        {
            "slug": r["slug"],
            "name": r["name"],
            "description": r["description"],
            "translations": translations.get(r["slug"], {}),
        }
        for r in _read(Path(path or THEMES_CSV))
    ]
    return sync_rows(Theme, key_fields=("slug",), rows=rows, table="Themes")
