"""Load the UN reference tables (M49 countries, E-Government Survey scores) from countries/data/.

Loading is idempotent (`core.reference.sync_rows`): a second run with the same files reports
everything unchanged.
"""

from __future__ import annotations

import csv
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils.text import slugify

from core.reference import LoadResult, sync_rows
from countries.models import Country, EGovScore

DATA_DIR = Path(__file__).resolve().parent / "data"
M49_CSV = DATA_DIR / "unsd_m49_en.csv"
EGOV_CSV = DATA_DIR / "egov_data_2003_2024.csv"


def _flag(value: str) -> bool:
    # The M49 table marks membership of a grouping with "x" and leaves the cell empty otherwise.
    return value.strip().lower() == "x"


def _decimal(value: str) -> Decimal | None:
    value = value.strip()
    return Decimal(value) if value else None


def _country_rows(path: Path) -> list[dict[str, Any]]:
    # The UNSD export starts with a byte-order mark; utf-8-sig drops it from the first header.
    with path.open(encoding="utf-8-sig", newline="") as f:
        return [
            {
                "iso3": r["ISO-alpha3 Code"].strip(),
                "iso2": r["ISO-alpha2 Code"].strip(),
                "m49": r["M49 Code"].strip(),
                "name": r["Country or Area"].strip(),
                "slug": slugify(r["Country or Area"].strip()),
                "region_code": r["Region Code"].strip(),
                "region_name": r["Region Name"].strip(),
                "subregion_code": r["Sub-region Code"].strip(),
                "subregion_name": r["Sub-region Name"].strip(),
                "intermediate_region_code": r["Intermediate Region Code"].strip(),
                "intermediate_region_name": r["Intermediate Region Name"].strip(),
                "is_ldc": _flag(r["Least Developed Countries (LDC)"]),
                "is_lldc": _flag(r["Land Locked Developing Countries (LLDC)"]),
                "is_sids": _flag(r["Small Island Developing States (SIDS)"]),
            }
            for r in csv.DictReader(f)
        ]


@transaction.atomic
def load_countries(path: Path | str | None = None) -> LoadResult:
    """Load the UN M49 table (countries, regions, LDC/LLDC/SIDS flags), keyed by ISO alpha-3."""
    rows = _country_rows(Path(path) if path else M49_CSV)
    return sync_rows(Country, key_fields=("iso3",), rows=rows, table="Countries")


@transaction.atomic
def load_egov_scores(path: Path | str | None = None) -> LoadResult:
    """Load UN E-Government Survey scores, keyed by (country, survey year).

    Needs the countries first; a row whose ISO code is not in the table is an error, since the
    survey covers UN Member States only and all of them are in the M49 table.
    """
    country_ids = dict(Country.objects.values_list("iso3", "pk"))
    rows: list[dict[str, Any]] = []
    with Path(path or EGOV_CSV).open(encoding="utf-8-sig", newline="") as f:
        for line, r in enumerate(csv.DictReader(f), start=2):
            iso3 = r["iso3"].strip()
            if iso3 not in country_ids:
                raise ValueError(f"line {line}: unknown country {iso3!r}; load the countries first")
            rank = r["egov_rank"].strip()
            rows.append(
                {
                    "country_id": country_ids[iso3],
                    "survey_year": int(r["survey_year"]),
                    "rank": int(rank) if rank else None,
                    "egdi": Decimal(r["egdi"].strip()),
                    "osi": Decimal(r["osi"].strip()),
                    "hci": Decimal(r["hci"].strip()),
                    "tii": Decimal(r["tii"].strip()),
                    "epi": _decimal(r["epart_index"]),
                }
            )
    return sync_rows(
        EGovScore,
        key_fields=("country_id", "survey_year"),
        rows=rows,
        table="E-Government Survey scores",
    )
