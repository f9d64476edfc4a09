"""Load the UN reference tables (M49 countries, E-Government Survey scores) from countries/data/.

Loading is idempotent: rows are matched on their natural key, new ones are created, changed
ones updated, and a second run with the same files reports everything unchanged.
"""

from __future__ import annotations

import csv
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.db import models, transaction
from django.utils.text import slugify

from countries.models import Country, EGovScore

DATA_DIR = Path(__file__).resolve().parent / "data"
M49_CSV = DATA_DIR / "unsd_m49_en.csv"
EGOV_CSV = DATA_DIR / "egov_data_2003_2024.csv"

# bulk_update writes one CASE per field; batches keep the statements a sensible size.
BATCH_SIZE = 500


@dataclass(frozen=True)
class LoadResult:
    """What one loader did to one table."""

    table: str
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    @property
    def total(self) -> int:
        return self.created + self.updated + self.unchanged

    def __str__(self) -> str:
        return (
            f"{self.table}: {self.created} created, {self.updated} updated, "
            f"{self.unchanged} unchanged"
        )


def sync_rows(
    model: type[models.Model],
    *,
    key_fields: tuple[str, ...],
    rows: Iterable[Mapping[str, Any]],
    table: str | None = None,
) -> LoadResult:
    """Create or update `model` rows matched on `key_fields` (attribute names), in bulk.

    Rows already in the table but absent from `rows` are left alone: reference loaders add
    and correct, they never delete what editors may have linked to.
    """
    existing: dict[Hashable, models.Model] = {
        tuple(getattr(obj, f) for f in key_fields): obj for obj in model._default_manager.all()
    }
    to_create: list[models.Model] = []
    to_update: list[models.Model] = []
    changed_fields: set[str] = set()
    unchanged = 0
    for row in rows:
        key = tuple(row[f] for f in key_fields)
        obj = existing.get(key)
        if obj is None:
            to_create.append(model(**row))
            continue
        diff = [name for name, value in row.items() if getattr(obj, name) != value]
        if not diff:
            unchanged += 1
            continue
        for name in diff:
            setattr(obj, name, row[name])
        changed_fields.update(diff)
        to_update.append(obj)
    if to_create:
        model._default_manager.bulk_create(to_create, batch_size=BATCH_SIZE)
    if to_update:
        model._default_manager.bulk_update(to_update, sorted(changed_fields), batch_size=BATCH_SIZE)
    return LoadResult(
        table=table or str(model._meta.verbose_name_plural).capitalize(),
        created=len(to_create),
        updated=len(to_update),
        unchanged=unchanged,
    )


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
