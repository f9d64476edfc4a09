"""Find the rows a sheet's cells name: countries by ISO3, ISO2, M49 code, slug or name (also
the names the UN reference lists use), organizations, themes, SDGs and events by slug or name.

One `Matcher` serves one import: it reads each table once, so a 1,000-row sheet costs a few
queries, not thousands. Names compare without case, accents or spacing mattering. A value
mapping (`values.ValueMapping`) has it read a value the sheet names as another, existing one.
"""

from __future__ import annotations

import csv
import functools
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from countries.models import Country, Organization
from countries.reference import EGOV_CSV, M49_CSV
from events.models import Event
from taxonomy.models import SDG, Theme

if TYPE_CHECKING:
    from paks.imports.values import ValueMapping

# Cells that list several values separate them so (a comma may be part of a name).
LIST_SEPARATORS = re.compile(r"[;|\n]")
M49_NUMBER = re.compile(r"^\d{1,3}(\.0+)?$")
SDG_NAME = re.compile(r"^(?:sdg|goal)?\s*#?\s*(\d{1,2})$")


class Unmatched(ValueError):
    """A cell names nothing known; the message names the column and the value.

    `kind` says what the value should have named (one of `values.KINDS`, so that a value
    mapping can map it), None for what no mapping maps (a choice, a file); `value` is the
    sheet's text (of the one part, in a cell that lists several).
    """

    def __init__(self, message: str, *, kind: str | None = None, value: str = "") -> None:
        super().__init__(message)
        self.kind = kind
        self.value = value


def unmatched(
    kind: str, text: str, replacement: str | None, *, column: str, message: str, mapped: str
) -> Unmatched:
    """Why `text` named nothing: `message`, or, when the value mapping replaced it, that its
    replacement (`mapped` says how) is no better."""
    if replacement is not None:
        message = f'Column "{column}": "{text}" is mapped to "{replacement}", which {mapped}.'
    return Unmatched(message, kind=kind, value=text)


def key(value: object) -> str:
    """How two spellings of a name compare: no case, no accents, single spaces."""
    text = unicodedata.normalize("NFKD", str(value)).encode("ascii", "ignore").decode()
    return " ".join(text.casefold().split())


def cell_text(value: Any) -> str:
    """A cell as text: spreadsheets hand numbers back as floats (M49 4 -> 4.0)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def split_list(value: Any) -> list[str]:
    return [part.strip() for part in LIST_SEPARATORS.split(cell_text(value)) if part.strip()]


@functools.cache
def reference_country_names() -> dict[str, str]:
    """Every name the reference lists give a country (M49 and the E-Government Survey), by
    ISO3: the survey writes some names its own way."""
    names: dict[str, str] = {}
    with M49_CSV.open(encoding="utf-8-sig", newline="") as f:
        for row in csv.DictReader(f):
            names[key(row["Country or Area"])] = row["ISO-alpha3 Code"].strip()
    with EGOV_CSV.open(encoding="utf-8-sig", newline="") as f:
        for row in csv.DictReader(f):
            names.setdefault(key(row["country_name"]), row["iso3"].strip())
    return names


def _index(pairs: Iterable[tuple[str, Any]]) -> tuple[dict[str, Any], dict[str, list[Any]]]:
    """Unique keys to their row; keys shared by several rows to all of them."""
    found: dict[str, list[Any]] = defaultdict(list)
    for k, row in pairs:
        if k and row not in found[k]:
            found[k].append(row)
    unique = {k: rows[0] for k, rows in found.items() if len(rows) == 1}
    shared = {k: rows for k, rows in found.items() if len(rows) > 1}
    return unique, shared


class Matcher:
    """Looks cells up in tables read once; `remember` adds rows the import itself created."""

    def __init__(self, values: ValueMapping | None = None) -> None:
        self.values = values
        self._countries: dict[str, Country] | None = None
        self._organizations: tuple[dict[str, Organization], dict[str, list[Organization]]] | None
        self._organizations = None
        self._themes: dict[str, Theme] | None = None
        self._sdgs: dict[str, SDG] | None = None
        self._events: tuple[dict[str, Event], dict[str, list[Event]]] | None = None

    def _replaced(self, kind: str, text: str) -> tuple[str, str | None]:
        """The text to look up, and the replacement the value mapping gives, if any."""
        replacement = self.values.replacement(kind, text) if self.values else None
        return (text if replacement is None else replacement), replacement

    # Countries

    def _country_index(self) -> dict[str, Country]:
        if self._countries is None:
            countries = list(Country.objects.all())
            by_iso3 = {c.iso3: c for c in countries}
            index: dict[str, Country] = {}
            for name, iso3 in reference_country_names().items():
                if iso3 in by_iso3:
                    index[name] = by_iso3[iso3]
            for c in countries:
                for k in (c.iso3, c.iso2, c.m49, c.slug, c.name):
                    index[key(k)] = c
            self._countries = index
        return self._countries

    def country(self, value: Any, *, column: str = "country") -> Country:
        text = cell_text(value)
        looked_up, replacement = self._replaced("country", text)
        k = key(looked_up)
        if M49_NUMBER.match(k):
            # M49 codes lose their leading zeros in spreadsheets, and gain a ".0" in some.
            k = k.split(".")[0].zfill(3)
        found = self._country_index().get(k)
        if found is None:
            raise unmatched(
                "country",
                text,
                replacement,
                column=column,
                message=f'Column "{column}": no country has the code or name "{text}" '
                "(use its ISO3, ISO2 or M49 code or its name).",
                mapped="is the code or name of no country",
            )
        return found

    # Organizations

    def _organization_index(
        self,
    ) -> tuple[dict[str, Organization], dict[str, list[Organization]]]:
        if self._organizations is None:
            self._organizations = _index(
                (key(k), o)
                for o in Organization.objects.all()
                for k in (o.slug, o.name, o.short_name, o.acronym)
            )
        return self._organizations

    def organization(self, value: Any, *, column: str = "organization") -> Organization:
        text = cell_text(value)
        looked_up, replacement = self._replaced("organization", text)
        unique, shared = self._organization_index()
        k = key(looked_up)
        if k in shared:
            names = "; ".join(sorted(o.name for o in shared[k]))
            raise unmatched(
                "organization",
                text,
                replacement,
                column=column,
                message=f'Column "{column}": "{text}" names several organizations ({names}); '
                "use the full name or the slug.",
                mapped=f"names several organizations ({names}); use the full name or the slug",
            )
        found = unique.get(k)
        if found is None:
            raise unmatched(
                "organization",
                text,
                replacement,
                column=column,
                message=f'Column "{column}": no organization is named "{text}" '
                "(by its name, short name, acronym or slug); import it first.",
                mapped="names no organization",
            )
        return found

    def remember_organization(self, organization: Organization) -> None:
        unique, shared = self._organization_index()
        for k in {key(v) for v in (organization.slug, organization.name, organization.acronym)}:
            if not k:
                continue
            if k in unique and unique[k].pk != organization.pk:
                shared[k] = [unique.pop(k), organization]
            elif k in shared:
                shared[k].append(organization)
            else:
                unique[k] = organization

    # Themes, SDGs

    def themes(self, value: Any, *, column: str = "themes") -> list[Theme]:
        if self._themes is None:
            self._themes = {key(k): t for t in Theme.objects.all() for k in (t.slug, t.name)}
        found = []
        for part in split_list(value):
            looked_up, replacement = self._replaced("theme", part)
            theme = self._themes.get(key(looked_up))
            if theme is None:
                raise unmatched(
                    "theme",
                    part,
                    replacement,
                    column=column,
                    message=f'Column "{column}": no theme is named "{part}".',
                    mapped="names no theme",
                )
            found.append(theme)
        return found

    def sdgs(self, value: Any, *, column: str = "sdgs") -> list[SDG]:
        if self._sdgs is None:
            self._sdgs = {}
            for sdg in SDG.objects.all():
                self._sdgs[str(sdg.number)] = sdg
                self._sdgs[key(sdg.short_title)] = sdg
        found = []
        for part in split_list(value):
            looked_up, replacement = self._replaced("sdg", part)
            number = SDG_NAME.match(key(looked_up))
            found_sdg = self._sdgs.get(number.group(1).lstrip("0") if number else key(looked_up))
            if found_sdg is None:
                raise unmatched(
                    "sdg",
                    part,
                    replacement,
                    column=column,
                    message=f'Column "{column}": no SDG is "{part}" (write its number, 1 to 17).',
                    mapped="is no SDG (write its number, 1 to 17)",
                )
            found.append(found_sdg)
        return found

    # Events

    def event(self, value: Any, *, column: str = "event") -> Event:
        if self._events is None:
            self._events = _index(
                (key(k), e) for e in Event.objects.all() for k in (e.slug, e.title)
            )
        text = cell_text(value)
        looked_up, replacement = self._replaced("event", text)
        unique, shared = self._events
        if key(looked_up) in shared:
            raise unmatched(
                "event",
                text,
                replacement,
                column=column,
                message=f'Column "{column}": several events are titled "{text}"; use the slug.',
                mapped="is the title of several events; use the slug",
            )
        found = unique.get(key(looked_up))
        if found is None:
            raise unmatched(
                "event",
                text,
                replacement,
                column=column,
                message=f'Column "{column}": no event has the slug or title "{text}".',
                mapped="is the slug or title of no event",
            )
        return found

    def remember_event(self, event: Event) -> None:
        if self._events is not None:
            for k in {key(event.slug), key(event.title)}:
                self._events[0].setdefault(k, event)
