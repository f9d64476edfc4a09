"""Which of a sheet's columns an import reads, and a mapping for sheets whose headers are
another's ("Nom du pays = country"), so that such a sheet is imported unedited.

A mapping is text, one line a column: `sheet header = field` (or `->`), case and spaces
not counted on either side, blank lines ignored. The admin's form and `import_data --map`
both parse it here, and the resource renames the sheet's headers with it before reading.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from paks.imports.matching import key

SEPARATOR = re.compile(r"->|=")
# How a header names a column (`resources.column_name`): "Lessons learned" is lessons_learned.
ColumnName = Callable[[object], str]


class MappingError(Exception):
    """A mapping line that cannot be applied; the message names the line."""


@dataclass(frozen=True)
class MappedColumn:
    line: int  # as the editor typed it, counting blank lines
    header: str
    field: str  # the field's column name, as the resource knows it


@dataclass(frozen=True)
class ColumnMapping:
    columns: tuple[MappedColumn, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.columns)

    def text(self) -> str:
        """One line a column, as it is carried to the confirm step and parsed again."""
        return "\n".join(f"{c.header} = {c.field}" for c in self.columns)

    def describe(self) -> str:
        return ", ".join(f"{c.header} = {c.field}" for c in self.columns)

    def field_for(self, header: object) -> str | None:
        for column in self.columns:
            if key(column.header) == key(header):
                return column.field
        return None

    def check_headers(self, headers: Iterable[object], column_name: ColumnName) -> None:
        """Each mapped header is one of the sheet's, and names no field another column
        gives already."""
        headers = [h for h in headers if h is not None]
        have = {key(h) for h in headers}
        for column in self.columns:
            if key(column.header) not in have:
                raise MappingError(
                    _(
                        'Line %(line)s: the sheet has no column "%(header)s". '
                        "Its columns: %(columns)s."
                    )
                    % {
                        "line": column.line,
                        "header": column.header,
                        "columns": ", ".join(str(h) for h in headers),
                    }
                )
        mapped = {key(c.header) for c in self.columns}
        for header in headers:
            if key(header) in mapped:
                continue
            taken = next((c for c in self.columns if c.field == column_name(header)), None)
            if taken is not None:
                raise MappingError(
                    _(
                        'Line %(line)s: the sheet\'s column "%(header)s" is %(field)s already; '
                        'map "%(mapped)s" to another field.'
                    )
                    % {
                        "line": taken.line,
                        "header": header,
                        "field": taken.field,
                        "mapped": taken.header,
                    }
                )


def parse_mapping(
    lines: str | Sequence[str], *, fields: Sequence[str], column_name: ColumnName
) -> ColumnMapping:
    """The mapping in `lines` (a text or one string a line) for an import of `fields`."""
    if isinstance(lines, str):
        lines = lines.splitlines()
    columns: list[MappedColumn] = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        parts = SEPARATOR.split(line, maxsplit=1)
        header, name = (p.strip() for p in parts) if len(parts) == 2 else (line.strip(), "")
        if not header or not name:
            raise MappingError(
                _('Line %(line)s: "%(text)s" is not "sheet header = field".')
                % {"line": number, "text": line.strip()}
            )
        target = column_name(name)
        if target not in fields:
            raise MappingError(
                _('Line %(line)s: "%(name)s" is no field of this import. Its fields: %(fields)s.')
                % {"line": number, "name": name, "fields": ", ".join(fields)}
            )
        for earlier in columns:
            if key(earlier.header) == key(header):
                raise MappingError(
                    _('Line %(line)s: "%(header)s" is mapped on line %(earlier)s already.')
                    % {"line": number, "header": header, "earlier": earlier.line}
                )
            if earlier.field == target:
                raise MappingError(
                    _(
                        'Line %(line)s: "%(header)s" and "%(other)s" (line %(earlier)s) are both '
                        "mapped to %(field)s; one column a field."
                    )
                    % {
                        "line": number,
                        "header": header,
                        "other": earlier.header,
                        "earlier": earlier.line,
                        "field": target,
                    }
                )
        columns.append(MappedColumn(number, " ".join(header.split()), target))
    return ColumnMapping(tuple(columns))


@dataclass
class ColumnReport:
    """What an import made of a sheet's columns: shown with its dry run and its report."""

    unused: list[str] = field(default_factory=list)  # the sheet's headers no field reads
    fields: list[tuple[str, bool]] = field(default_factory=list)  # (field, required)
    mapping: ColumnMapping = field(default_factory=ColumnMapping)

    @property
    def required(self) -> list[str]:
        return [name for name, required in self.fields if required]

    def not_imported(self) -> str:
        if not self.unused:
            return ""
        return _("Not imported: columns %(columns)s.") % {"columns": ", ".join(self.unused)}
