"""Everything public as open data: each list as a table with a schema, downloadable as CSV
and JSON (streamed), described together as a Frictionless Data Package and as a DCAT-AP
catalogue that open-data portals harvest.

A table is its columns (name, Table Schema type, description, how to read it from a row)
and the rows: plain values read in chunks, never model instances, so that a download of
every case completes long before a worker's timeout. Every response says how many rows it
holds (`X-Total-Count`), so a client can tell a file cut short from a complete one.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest, StreamingHttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.csvexport import BATCH, streaming_csv
from countries.models import Country, EGovScore, Organization
from events.models import Event
from paks.models import CaseStudy
from paks.search.backends import all_matching_cases, check_values
from paks.search.base import CaseSearch
from taxonomy.models import SDG, Theme

if TYPE_CHECKING:
    from django.utils.functional import _StrPromise

# The package's own title and description, and each column's, are metadata for the
# programs that read the files, kept in English; a table's title and description, and its
# sources' titles, are also shown on the open data page, in the page's language.
TITLE = "Public Administration Knowledge Space: open data"
DESCRIPTION = (
    "Country cases (good practices) in e-government, the events where countries presented "
    "them, the organizations involved, countries with their UN groupings and E-Government "
    "Survey scores, and the themes and Sustainable Development Goals cases are filed under."
)
LICENCE = {
    "name": "CC-BY-4.0",
    "title": "Creative Commons Attribution 4.0",
    "path": "https://creativecommons.org/licenses/by/4.0/",
}
SURVEY_SOURCE: dict[str, str | _StrPromise] = {
    "title": gettext_lazy("United Nations E-Government Survey (UN DESA)"),
    "path": "https://publicadministration.un.org/egovkb/en-us/Data-Center",
}
M49_SOURCE: dict[str, str | _StrPromise] = {
    "title": gettext_lazy(
        "Standard country or area codes for statistical use (M49), UN Statistics Division"
    ),
    "path": "https://unstats.un.org/unsd/methodology/m49/",
}
CHUNK = 2000
SEPARATOR = "; "  # between the values of a list in one cell


@dataclass(frozen=True)
class Column:
    name: str
    type: str  # a Table Schema type: string, integer, number, boolean, date, datetime
    description: str
    read: Callable[[dict[str, Any]], Any]


def _field(name: str) -> Callable[[dict[str, Any]], Any]:
    return lambda row: row[name]


@dataclass(frozen=True)
class Table:
    name: str
    title: str
    description: str
    columns: tuple[Column, ...]
    rows: Callable[[HttpRequest], tuple[QuerySet[Any], list[str]]]  # values() rows, problems
    sources: tuple[dict[str, str | _StrPromise], ...] = ()
    # Lists read per row id in one query per chunk (themes of cases, say).
    extra: Callable[[list[dict[str, Any]]], None] | None = None

    def path(self, suffix: str) -> str:
        return reverse("opendata:table", kwargs={"name": self.name, "suffix": suffix})

    def schema(self) -> dict[str, Any]:
        """Its Frictionless Table Schema."""
        return {
            "fields": [
                {"name": c.name, "type": c.type, "description": c.description} for c in self.columns
            ]
        }

    def records(self, rows: QuerySet[Any]) -> Iterator[list[Any]]:
        """Each row's cells, read in chunks."""
        chunk: list[dict[str, Any]] = []
        for row in rows.iterator(chunk_size=CHUNK):
            chunk.append(row)
            if len(chunk) == CHUNK:
                yield from self._cells(chunk)
                chunk = []
        if chunk:
            yield from self._cells(chunk)

    def _cells(self, chunk: list[dict[str, Any]]) -> Iterator[list[Any]]:
        if self.extra is not None:
            self.extra(chunk)
        for row in chunk:
            yield [_plain(column.read(row)) for column in self.columns]


def _plain(value: Any) -> Any:
    """The same cell in CSV and JSON: times in ISO 8601 (UTC), decimals as numbers."""
    if isinstance(value, datetime.datetime):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    return value


def _absolute(request: HttpRequest, view: str, **kwargs: Any) -> Callable[[dict[str, Any]], str]:
    """A column of each row's page address, reversed once."""
    placeholder = "0placeholder0"
    key, value_name = next(iter(kwargs.items()))
    template = request.build_absolute_uri(reverse(view, kwargs={key: placeholder}))
    prefix, suffix = template.split(placeholder)
    return lambda row: f"{prefix}{row[value_name]}{suffix}"


def _joined(name: str) -> Callable[[dict[str, Any]], str]:
    return lambda row: SEPARATOR.join(str(v) for v in row.get(name, ()))


def _attach(chunk: list[dict[str, Any]], name: str, pairs: Iterable[tuple[int, Any]]) -> None:
    by_id: dict[int, list[Any]] = {}
    for pk, value in pairs:
        by_id.setdefault(pk, []).append(value)
    for row in chunk:
        row[name] = by_id.get(row["pk"], [])


# Cases -------------------------------------------------------------------------------------


def _case_rows(request: HttpRequest) -> tuple[QuerySet[Any], list[str]]:
    search = check_values(CaseSearch.from_params(request.GET))
    problems = [message for _field_name, message in search.problems]
    rows = all_matching_cases(search).values(
        "pk",
        "slug",
        "title",
        "country__iso3",
        "country__name",
        "organization__slug",
        "organization__name",
        "year",
        "event__slug",
        "language",
        "summary",
        "published_at",
    )
    return rows, problems


def _case_lists(chunk: list[dict[str, Any]]) -> None:
    ids = [row["pk"] for row in chunk]
    themes = CaseStudy.themes.through.objects.filter(casestudy_id__in=ids)
    _attach(
        chunk, "themes", themes.values_list("casestudy_id", "theme__slug").order_by("theme__slug")
    )
    sdgs = CaseStudy.sdgs.through.objects.filter(casestudy_id__in=ids)
    _attach(chunk, "sdgs", sdgs.values_list("casestudy_id", "sdg__number").order_by("sdg__number"))


def cases_table(request: HttpRequest) -> Table:
    return Table(
        name="cases",
        title=_("Good practices"),
        description=_(
            "Published country cases; on the site's search, the rows its words and filters find."
        ),
        columns=(
            Column("slug", "string", "Identifier in the site's addresses.", _field("slug")),
            Column("title", "string", "Title.", _field("title")),
            Column(
                "country_iso3",
                "string",
                "ISO 3166-1 alpha-3 code of the country.",
                _field("country__iso3"),
            ),
            Column("country", "string", "Country name.", _field("country__name")),
            Column(
                "organization",
                "string",
                "Slug of the organization that carries it out.",
                _field("organization__slug"),
            ),
            Column(
                "organization_name",
                "string",
                "Name of that organization.",
                _field("organization__name"),
            ),
            Column("year", "integer", "Year of the initiative.", _field("year")),
            Column(
                "themes", "string", f"Theme slugs, separated by “{SEPARATOR}”.", _joined("themes")
            ),
            Column("sdgs", "string", f"SDG numbers, separated by “{SEPARATOR}”.", _joined("sdgs")),
            Column(
                "event", "string", "Slug of the event it was presented at.", _field("event__slug")
            ),
            Column("language", "string", "Language code of the text.", _field("language")),
            Column("summary", "string", "Short abstract.", _field("summary")),
            Column(
                "published_at", "datetime", "When it was published (UTC).", _field("published_at")
            ),
            Column(
                "url", "string", "Its page.", _absolute(request, "paks:case-detail", slug="slug")
            ),
        ),
        rows=_case_rows,
        extra=_case_lists,
    )


def workspace_cases_table(request: HttpRequest, cases: QuerySet[CaseStudy]) -> Table:
    """A focal point's (or an editor's) own cases in every status: the public table's columns
    with the status, version and dates of the review. Not part of the open data package."""
    public = cases_table(request)

    def rows(_request: HttpRequest) -> tuple[QuerySet[Any], list[str]]:
        columns = ["pk", "slug", "title", "country__iso3", "country__name"]
        columns += ["organization__slug", "organization__name", "year", "event__slug"]
        columns += ["language", "summary", "published_at", "status", "version"]
        columns += ["created_at", "updated_at", "submitted_at"]
        return cases.order_by("-updated_at", "pk").values(*columns), []

    return Table(
        name="my-cases",
        title=_("My countries' cases"),
        description=_("The cases of the countries you keep current, in every status."),
        columns=(
            *public.columns,
            Column(
                "status",
                "string",
                "draft, submitted, changes_requested, published or archived.",
                _field("status"),
            ),
            Column("version", "integer", "Raised by every edit.", _field("version")),
            Column("created_at", "datetime", "When it was created (UTC).", _field("created_at")),
            Column("updated_at", "datetime", "When it last changed (UTC).", _field("updated_at")),
            Column(
                "submitted_at",
                "datetime",
                "When it was last submitted for review (UTC).",
                _field("submitted_at"),
            ),
        ),
        rows=rows,
        extra=_case_lists,
    )


# Events ------------------------------------------------------------------------------------


def _event_rows(request: HttpRequest) -> tuple[QuerySet[Any], list[str]]:
    rows = (
        Event.objects.public()
        .order_by("-start", "pk")
        .values(
            "pk",
            "slug",
            "title",
            "language",
            "kind",
            "start",
            "end",
            "all_day",
            "timezone",
            "mode",
            "venue",
            "city",
            "country__iso3",
            "part_of__slug",
            "expected_participants",
            "actual_participants",
        )
    )
    return rows, []


def _event_lists(chunk: list[dict[str, Any]]) -> None:
    from events.models import EventOrganizer, Participation

    ids = [row["pk"] for row in chunk]
    _attach(
        chunk,
        "organizers",
        EventOrganizer.objects.filter(event_id__in=ids).values_list(
            "event_id", "organization__slug"
        ),
    )
    _attach(
        chunk,
        "countries",
        Participation.objects.filter(event_id__in=ids)
        .order_by("country__iso3")
        .values_list("event_id", "country__iso3"),
    )


def events_table(request: HttpRequest) -> Table:
    return Table(
        name="events",
        title=_("Events"),
        description=_("Public workshops, conferences, study visits and trainings."),
        columns=(
            Column("slug", "string", "Identifier in the site's addresses.", _field("slug")),
            Column("title", "string", "Title.", _field("title")),
            Column(
                "language",
                "string",
                "Language code of the title.",
                _field("language"),
            ),
            Column(
                "kind", "string", "Conference, workshop, study_visit, training …", _field("kind")
            ),
            Column("start", "datetime", "Start (UTC).", _field("start")),
            Column("end", "datetime", "End (UTC).", _field("end")),
            Column("all_day", "boolean", "Known by its dates only.", _field("all_day")),
            Column("timezone", "string", "IANA time zone of the venue.", _field("timezone")),
            Column("mode", "string", "in_person, online or hybrid.", _field("mode")),
            Column("venue", "string", "Venue.", _field("venue")),
            Column("city", "string", "City.", _field("city")),
            Column(
                "host_country_iso3",
                "string",
                "ISO alpha-3 code of the host country.",
                _field("country__iso3"),
            ),
            Column(
                "part_of",
                "string",
                "Slug of the event it was held on the occasion of.",
                _field("part_of__slug"),
            ),
            Column(
                "organizers",
                "string",
                f"Organization slugs, separated by “{SEPARATOR}”.",
                _joined("organizers"),
            ),
            Column(
                "participating_countries",
                "string",
                f"ISO alpha-3 codes, separated by “{SEPARATOR}”.",
                _joined("countries"),
            ),
            Column(
                "expected_participants",
                "integer",
                "Expected participants.",
                _field("expected_participants"),
            ),
            Column(
                "actual_participants",
                "integer",
                "Participants who came.",
                _field("actual_participants"),
            ),
            Column("url", "string", "Its page.", _absolute(request, "events:detail", slug="slug")),
        ),
        rows=_event_rows,
        extra=_event_lists,
    )


# Reference tables ----------------------------------------------------------------------------


def countries_table(request: HttpRequest) -> Table:
    def rows(_request: HttpRequest) -> tuple[QuerySet[Any], list[str]]:
        return (
            Country.objects.order_by("name")
            .annotate(
                good_practices=Count("cases", filter=Q(cases__status=CaseStudy.Status.PUBLISHED))
            )
            .values(
                "iso3",
                "iso2",
                "m49",
                "name",
                "region_name",
                "subregion_name",
                "is_ldc",
                "is_lldc",
                "is_sids",
                "good_practices",
            ),
            [],
        )

    return Table(
        name="countries",
        title=_("Countries and areas"),
        description=_(
            "Countries and areas with their M49 region and UN groupings, and their number of "
            "published good practices."
        ),
        columns=(
            Column("iso3", "string", "ISO 3166-1 alpha-3 code.", _field("iso3")),
            Column("iso2", "string", "ISO 3166-1 alpha-2 code.", _field("iso2")),
            Column("m49", "string", "UN M49 numeric code.", _field("m49")),
            Column("name", "string", "Name.", _field("name")),
            Column("region", "string", "M49 region.", _field("region_name")),
            Column("subregion", "string", "M49 sub-region.", _field("subregion_name")),
            Column("ldc", "boolean", "A least developed country.", _field("is_ldc")),
            Column("lldc", "boolean", "A landlocked developing country.", _field("is_lldc")),
            Column("sids", "boolean", "A small island developing State.", _field("is_sids")),
            Column(
                "good_practices", "integer", "Published good practices.", _field("good_practices")
            ),
            Column(
                "url", "string", "Its page.", _absolute(request, "countries:detail", iso3="iso3")
            ),
        ),
        rows=rows,
        sources=(M49_SOURCE,),
    )


def scores_table(request: HttpRequest) -> Table:
    def rows(_request: HttpRequest) -> tuple[QuerySet[Any], list[str]]:
        return (
            EGovScore.objects.order_by("survey_year", "country__iso3").values(
                "country__iso3", "survey_year", "rank", "egdi", "osi", "hci", "tii", "epi"
            ),
            [],
        )

    return Table(
        name="egov-survey-scores",
        title=_("E-Government Survey scores"),
        description=_("Each country's figures in each edition of the UN E-Government Survey."),
        columns=(
            Column(
                "country_iso3",
                "string",
                "ISO alpha-3 code of the country.",
                _field("country__iso3"),
            ),
            Column("survey_year", "integer", "Edition.", _field("survey_year")),
            Column(
                "rank",
                "integer",
                "Rank in the edition (1 is best; empty when not assessed).",
                _field("rank"),
            ),
            Column("egdi", "number", "E-Government Development Index, 0 to 1.", _field("egdi")),
            Column("osi", "number", "Online Service Index, 0 to 1.", _field("osi")),
            Column("hci", "number", "Human Capital Index, 0 to 1.", _field("hci")),
            Column(
                "tii", "number", "Telecommunication Infrastructure Index, 0 to 1.", _field("tii")
            ),
            Column("epi", "number", "E-Participation Index, 0 to 1.", _field("epi")),
        ),
        rows=rows,
        sources=(SURVEY_SOURCE,),
    )


def organizations_table(request: HttpRequest) -> Table:
    def rows(_request: HttpRequest) -> tuple[QuerySet[Any], list[str]]:
        return (
            Organization.objects.order_by("name", "pk").values(
                "slug", "name", "acronym", "kind", "country__iso3", "parent__slug", "website"
            ),
            [],
        )

    return Table(
        name="organizations",
        title=_("Organizations"),
        description=_("Ministries, agencies, UN entities, academia and others."),
        columns=(
            Column("slug", "string", "Identifier in the site's addresses.", _field("slug")),
            Column("name", "string", "Official name.", _field("name")),
            Column("acronym", "string", "Acronym.", _field("acronym")),
            Column("kind", "string", "government, un_entity, academia …", _field("kind")),
            Column(
                "country_iso3",
                "string",
                "ISO alpha-3 code of its country.",
                _field("country__iso3"),
            ),
            Column("parent", "string", "Slug of the body it is part of.", _field("parent__slug")),
            Column("website", "string", "Its own site.", _field("website")),
            Column(
                "url",
                "string",
                "Its page.",
                _absolute(request, "countries:organization-detail", slug="slug"),
            ),
        ),
        rows=rows,
    )


def themes_table(request: HttpRequest) -> Table:
    def rows(_request: HttpRequest) -> tuple[QuerySet[Any], list[str]]:
        return Theme.objects.order_by("name").values("slug", "name", "description"), []

    return Table(
        name="themes",
        title=_("Themes"),
        description=_("The themes good practices are filed under."),
        columns=(
            Column("slug", "string", "Identifier.", _field("slug")),
            Column("name", "string", "Name.", _field("name")),
            Column("description", "string", "What it covers.", _field("description")),
        ),
        rows=rows,
    )


def sdgs_table(request: HttpRequest) -> Table:
    def rows(_request: HttpRequest) -> tuple[QuerySet[Any], list[str]]:
        return SDG.objects.order_by("number").values("number", "short_title", "title"), []

    return Table(
        name="sdgs",
        title=_("Sustainable Development Goals"),
        description=_("The 17 goals of the 2030 Agenda."),
        columns=(
            Column("number", "integer", "Goal number.", _field("number")),
            Column("short_title", "string", "Short title.", _field("short_title")),
            Column("title", "string", "Title.", _field("title")),
        ),
        rows=rows,
    )


TABLES: dict[str, Callable[[HttpRequest], Table]] = {
    "cases": cases_table,
    "events": events_table,
    "countries": countries_table,
    "egov-survey-scores": scores_table,
    "organizations": organizations_table,
    "themes": themes_table,
    "sdgs": sdgs_table,
}


def download(request: HttpRequest, table: Table, suffix: str) -> StreamingHttpResponse:
    """The table as CSV or JSON, streamed, with its row count in `X-Total-Count`."""
    rows, problems = table.rows(request)
    total = rows.count()
    records = table.records(rows)
    if suffix == "csv":
        response = streaming_csv([c.name for c in table.columns], records, filename=table.name)
    else:
        names = [c.name for c in table.columns]
        response = StreamingHttpResponse(
            _json_lines(names, records, total), content_type="application/json"
        )
        stamp = timezone.now().strftime("%Y%m%d-%H%M")
        response["Content-Disposition"] = f'attachment; filename="{table.name}-{stamp}.json"'
    response["X-Total-Count"] = str(total)
    if problems:
        response["X-Problems"] = " ".join(problems).encode("ascii", "replace").decode()[:500]
    response["Link"] = (
        f'<{request.build_absolute_uri(reverse("opendata:datapackage"))}>; rel="describedby"'
    )
    return response


def _json_lines(names: list[str], records: Iterator[list[Any]], total: int) -> Iterator[str]:
    """{"count": n, "results": [...], "complete": true}: a file cut short lacks the end."""
    encoder = DjangoJSONEncoder()
    batch = [f'{{"count": {total}, "results": [']
    for n, record in enumerate(records):
        batch.append(
            ("" if n == 0 else ",\n") + encoder.encode(dict(zip(names, record, strict=True)))
        )
        if len(batch) >= BATCH:
            yield "".join(batch)
            batch = []
    batch.append('], "complete": true}\n')
    yield "".join(batch)


def datapackage(request: HttpRequest) -> dict[str, Any]:
    """The Frictionless Data Package describing every table."""
    tables = [make(request) for make in TABLES.values()]
    return {
        "profile": "tabular-data-package",
        "name": "paks-open-data",
        "title": TITLE,
        "description": DESCRIPTION,
        "homepage": request.build_absolute_uri(reverse("opendata:index")),
        "licenses": [LICENCE],
        "sources": [
            {"title": TITLE, "path": request.build_absolute_uri("/")},
            SURVEY_SOURCE,
            M49_SOURCE,
        ],
        "created": timezone.now().isoformat(timespec="seconds"),
        "resources": [
            {
                "profile": "tabular-data-resource",
                "name": table.name,
                "title": table.title,
                "description": table.description,
                "path": request.build_absolute_uri(table.path("csv")),
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "schema": table.schema(),
                **({"sources": list(table.sources)} if table.sources else {}),
            }
            for table in tables
        ],
    }


def catalogue(request: HttpRequest) -> dict[str, Any]:
    """The same tables as a DCAT-AP catalogue in JSON-LD, for open-data portals to harvest."""
    home = request.build_absolute_uri("/")
    tables = [make(request) for make in TABLES.values()]
    return {
        "@context": {
            "dcat": "http://www.w3.org/ns/dcat#",
            "dct": "http://purl.org/dc/terms/",
            "foaf": "http://xmlns.com/foaf/0.1/",
            "xsd": "http://www.w3.org/2001/XMLSchema#",
        },
        "@id": request.build_absolute_uri(reverse("opendata:catalogue")),
        "@type": "dcat:Catalog",
        "dct:title": TITLE,
        "dct:description": DESCRIPTION,
        "foaf:homepage": {"@id": home},
        "dct:publisher": {
            "@type": "foaf:Agent",
            "foaf:name": "Public Administration Knowledge Space",
        },
        "dct:license": {"@id": LICENCE["path"]},
        "dcat:dataset": [
            {
                "@id": request.build_absolute_uri(table.path("csv")) + "#dataset",
                "@type": "dcat:Dataset",
                "dct:title": table.title,
                "dct:description": table.description,
                "dct:publisher": {
                    "@type": "foaf:Agent",
                    "foaf:name": "Public Administration Knowledge Space",
                },
                "dct:license": {"@id": LICENCE["path"]},
                "dcat:distribution": [
                    {
                        "@type": "dcat:Distribution",
                        "dct:title": f"{table.title} ({suffix.upper()})",
                        "dcat:accessURL": {"@id": request.build_absolute_uri(table.path(suffix))},
                        "dcat:downloadURL": {"@id": request.build_absolute_uri(table.path(suffix))},
                        "dcat:mediaType": media,
                        "dct:format": suffix.upper(),
                        "dct:license": {"@id": LICENCE["path"]},
                    }
                    for suffix, media in (("csv", "text/csv"), ("json", "application/json"))
                ],
            }
            for table in tables
        ],
    }


def dumps(data: dict[str, Any]) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False, cls=DjangoJSONEncoder)
