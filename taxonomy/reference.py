"""Load the taxonomy (SDGs, themes) from taxonomy/data/, idempotently."""

from __future__ import annotations

import csv
from pathlib import Path

from django.db import transaction

from core.reference import LoadResult, sync_rows
from taxonomy.models import SDG, Theme

DATA_DIR = Path(__file__).resolve().parent / "data"
SDGS_CSV = DATA_DIR / "sdgs.csv"
THEMES_CSV = DATA_DIR / "themes.csv"


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as f:
        return [{k: v.strip() for k, v in row.items()} for row in csv.DictReader(f)]


@transaction.atomic
def load_sdgs(path: Path | str | None = None) -> LoadResult:
    """The 17 SDGs with official titles and colours, keyed by goal number."""
    rows = [
        {
            "number": int(r["number"]),
            "short_title": r["short_title"],
            "title": r["title"],
            "colour": r["colour"].upper(),
        }
        for r in _read(Path(path or SDGS_CSV))
    ]
    return sync_rows(SDG, key_fields=("number",), rows=rows, table="SDGs")


@transaction.atomic
def load_themes(path: Path | str | None = None) -> LoadResult:
    """The portal's theme taxonomy, keyed by slug (names and descriptions may be reworded)."""
    rows = [
        {"slug": r["slug"], "name": r["name"], "description": r["description"]}
        for r in _read(Path(path or THEMES_CSV))
    ]
    return sync_rows(Theme, key_fields=("slug",), rows=rows, table="Themes")
