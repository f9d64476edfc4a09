"""A value mapping, for sheets that name a country, organization, theme, SDG or event in a
way the portal does not know ("Min. of ICT"): each such value is read as an existing one
("organization: Min. of ICT = Ministry of ICT of Kenya"), so that the sheet is imported
unedited instead of refused.

A mapping is text, one line a value: `kind: value in the sheet = existing value` (or `->`),
case, accents and spaces not counted, blank lines ignored. `import_data --map-value` parses
it here and the import's `Matcher` reads each mapped value as its replacement; whether a
replacement names an existing row is said by the import, in the rows that use it.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from paks.imports.columns import SEPARATOR, MappingError
from paks.imports.matching import key

# What a mapped value names, in the order the import lists the values it does not know.
KINDS = ("country", "organization", "theme", "sdg", "event")
# Translators: how a line of a value mapping is written, described in words; the editor
# types the kind in English (country, organization, theme, sdg, event), then ":" and "=".
LINE_FORMAT = gettext_lazy("kind: value in the sheet = existing value")


@dataclass(frozen=True)
class MappedValue:
    line: int  # as the editor typed it, counting blank lines
    kind: str  # one of KINDS
    value: str  # as the sheet writes it
    replacement: str  # as the portal knows it


@dataclass(frozen=True)
class ValueMapping:
    values: tuple[MappedValue, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.values)

    def text(self) -> str:
        """One line a value, as `parse_values` reads it again."""
        return "\n".join(f"{v.kind}: {v.value} = {v.replacement}" for v in self.values)

    def describe(self) -> str:
        return ", ".join(f'{v.kind} "{v.value}" = "{v.replacement}"' for v in self.values)

    def replacement(self, kind: str, value: object) -> str | None:
        """What the mapping reads `value` as, when it maps it."""
        return self._replacements.get((kind, key(value)))

    @functools.cached_property
    def _replacements(self) -> dict[tuple[str, str], str]:
        # Asked for every cell of every row: compare each mapped value's key once.
        return {(v.kind, key(v.value)): v.replacement for v in self.values}


def parse_values(text: str | Sequence[str]) -> ValueMapping:
    """The mapping in `text`: a text, or one string a line (the command's options)."""
    lines = text.splitlines() if isinstance(text, str) else text
    values: list[MappedValue] = []
    for number, line in enumerate(lines, start=1):
        if line.strip():
            values.append(_parse_line(number, line.strip(), values))
    return ValueMapping(tuple(values))


def _parse_line(number: int, line: str, earlier: Sequence[MappedValue]) -> MappedValue:
    def refused(reason: str) -> MappingError:
        # Translators: a line of the value mapping the editor typed, then why it is refused.
        return MappingError(_("Line %(number)s: %(reason)s") % {"number": number, "reason": reason})

    kinds = ", ".join(KINDS)
    parts = SEPARATOR.split(line, maxsplit=1)
    if len(parts) != 2:
        raise refused(_('"%(line)s" is not "%(format)s".') % {"line": line, "format": LINE_FORMAT})
    named, replacement = parts
    kind, colon, value = named.partition(":")
    kind, value, replacement = (" ".join(p.split()) for p in (kind, value, replacement))
    if not (colon and kind):
        raise refused(
            _('"%(line)s" names no kind: write "%(format)s", the kind one of %(kinds)s.')
            % {"line": line, "format": LINE_FORMAT, "kinds": kinds}
        )
    if key(kind) not in KINDS:
        raise refused(
            _('"%(kind)s" is no kind of value; the kinds: %(kinds)s.')
            % {"kind": kind, "kinds": kinds}
        )
    kind = key(kind)
    if not value:
        raise refused(_('"%(line)s" gives no value in the sheet.') % {"line": line})
    if not replacement:
        raise refused(
            _('"%(line)s" gives no existing value to read "%(value)s" as.')
            % {"line": line, "value": value}
        )
    for mapped in earlier:
        if mapped.kind == kind and key(mapped.value) == key(value):
            raise refused(
                _('%(kind)s "%(value)s" is mapped on line %(number)s already.')
                % {"kind": kind, "value": value, "number": mapped.line}
            )
    return MappedValue(number, kind, value, replacement)
