"""Loading reference tables from data files, idempotently.

Rows are matched on their natural key, new ones are created, changed ones updated, and a
second run with the same files reports everything unchanged.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db import models

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
