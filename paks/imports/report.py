"""Read a sheet from a file and say, row by row, what its import did or would do."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, npgettext
from import_export.formats.base_formats import CSV, JSON, XLSX, Format
from import_export.results import Result, RowResult
from tablib import Dataset

FORMATS: dict[str, type[Format]] = {"csv": CSV, "xlsx": XLSX, "json": JSON}

OUTCOMES = {
    RowResult.IMPORT_TYPE_NEW: "created",
    RowResult.IMPORT_TYPE_UPDATE: "updated",
    RowResult.IMPORT_TYPE_SKIP: "skipped",
    RowResult.IMPORT_TYPE_DELETE: "deleted",
    RowResult.IMPORT_TYPE_INVALID: "refused",
    RowResult.IMPORT_TYPE_ERROR: "refused",
}


class UnreadableFile(Exception):
    pass


def read_dataset(path: Path, file_format: str | None = None) -> Dataset:
    """The sheet in `path`, read as its extension (or `file_format`) says."""
    name = (file_format or path.suffix.lstrip(".")).lower()
    if name not in FORMATS:
        raise UnreadableFile(f"Cannot read {path.name}: say --format csv, xlsx or json.")
    return read_sheet(path.read_bytes(), name, name=path.name)


def read_sheet(data: bytes, file_format: str, *, name: str) -> Dataset:
    """A sheet's rows from its bytes, read as `file_format` (csv, xlsx or json)."""
    reader = FORMATS[file_format](encoding="utf-8-sig")
    try:
        content: str | bytes = data if reader.is_binary() else data.decode("utf-8-sig")
        dataset: Dataset = reader.create_dataset(content)
    except Exception as exc:  # each format's parser raises its own errors
        # Translators: a file's name, its format (CSV, XLSX or JSON), then the parser's error.
        message = _("Cannot read %(file)s as %(format)s: %(error)s")
        raise UnreadableFile(
            message % {"file": name, "format": file_format.upper(), "error": exc}
        ) from exc
    return dataset


def reasons(error: ValidationError) -> list[str]:
    if hasattr(error, "error_dict"):
        # Translators: a column of the sheet (as the import names it), then why a row's cell
        # was refused.
        in_column = _("%(column)s: %(reason)s")
        return [
            message
            if name in (NON_FIELD_ERRORS, "__all__") or name in message
            else in_column % {"column": name, "reason": message}
            for name, messages in error.message_dict.items()
            for message in messages
        ]
    return list(error.messages)


@dataclass
class RowReport:
    number: int  # the row's place in the sheet, the header not counted
    outcome: str
    text: str


def row_reports(result: Result) -> list[RowReport]:
    reports = []
    for number, row in enumerate(result.rows, start=1):
        outcome = OUTCOMES.get(row.import_type, row.import_type)
        if row.validation_error is not None:
            text = "; ".join(reasons(row.validation_error))
        elif row.errors:
            text = "; ".join(str(error.error) for error in row.errors)
        else:
            text = row.object_repr or ""
        reports.append(RowReport(number, outcome, text))
    return reports


def counts(result: Result) -> Counter[str]:
    found = Counter(report.outcome for report in row_reports(result))
    found["refused"] += len(result.base_errors)
    return found


def outcome_counts(found: Counter[str]) -> str:
    """How many rows were created, updated, skipped and refused, in words."""
    created, updated = found["created"], found["updated"]
    skipped, refused = found["skipped"], found["refused"]
    parts = [
        # Translators: counts of a sheet's rows, listed as "3 created, 0 updated, 1 skipped,
        # 0 refused" (English uses the same words whatever the number).
        npgettext("import rows", "%(count)s created", "%(count)s created", created)
        % {"count": created},
        npgettext("import rows", "%(count)s updated", "%(count)s updated", updated)
        % {"count": updated},
        npgettext("import rows", "%(count)s skipped", "%(count)s skipped", skipped)
        % {"count": skipped},
        npgettext("import rows", "%(count)s refused", "%(count)s refused", refused)
        % {"count": refused},
    ]
    return ", ".join(parts)


def summary(result: Result, *, dry_run: bool) -> str:
    found = counts(result)
    total = result.total_rows
    values = {"total": total, "done": outcome_counts(found)}
    if found["refused"]:
        text = ngettext(
            # Translators: "done" lists the rows' outcomes ("3 created, 0 updated, ..."). English
            # writes "rows" whatever the number.
            "%(total)s rows: %(done)s. Nothing was saved.",
            "%(total)s rows: %(done)s. Nothing was saved.",
            total,
        )
    elif dry_run:
        text = ngettext(
            "%(total)s rows: %(done)s. Dry run: nothing was saved.",
            "%(total)s rows: %(done)s. Dry run: nothing was saved.",
            total,
        )
    else:
        text = ngettext("%(total)s rows: %(done)s.", "%(total)s rows: %(done)s.", total)
    return text % values


@dataclass(frozen=True)
class UnknownValue:
    """A value that rows named and nothing matched: to create, or to map to an existing one."""

    kind: str  # one of values.KINDS
    value: str  # as the sheet first wrote it
    rows: int  # how many rows name it


def unknown_values(result: Result) -> list[UnknownValue]:
    found: dict[str, dict[str, int]] = getattr(result, "unknown", {})
    return [
        UnknownValue(kind, value, rows)
        for kind, values in found.items()
        for value, rows in values.items()
    ]


def unknown_lines(result: Result) -> list[str]:
    """The unknown values, as `import_data` lists them after its rows."""
    unknown = unknown_values(result)
    if not unknown:
        return []
    return [
        "Unknown values: create them first, or map each to an existing one with --map-value:",
        *(f'  {u.kind} "{u.value}": {u.rows} {"row" if u.rows == 1 else "rows"}' for u in unknown),
    ]


def base_errors(result: Result) -> list[str]:
    return [str(error.error) for error in result.base_errors]


def run_import(
    resource: Any,
    dataset: Dataset,
    *,
    files: Any = None,
    dry_run: bool,
    user: Any,
    file_name: str,
) -> Result:
    """Import (or dry-run) a sheet as the admin's jobs and `import_data` both do: in one
    transaction a refused row rolls back; the ZIP of files, if any, closed after."""
    try:
        result: Result = resource.import_data(
            dataset, **import_kwargs(dry_run=dry_run, user=user, file_name=file_name)
        )
    finally:
        if files is not None:
            files.close()
    return result


def import_kwargs(**kwargs: Any) -> dict[str, Any]:
    """How the admin's confirmed import and the command call `import_data`: in one
    transaction that a single refused row rolls back."""
    return {
        "raise_errors": False,
        "use_transactions": True,
        "rollback_on_validation_errors": True,
        **kwargs,
    }
