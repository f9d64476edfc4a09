"""Open data: every table downloads as CSV and JSON that read back equal to the database, the
case table follows the search's words and filters, the data package validates with
frictionless, and the DCAT-AP catalogue is JSON-LD that names every table."""

import csv
import io
import json
from pathlib import Path

import pytest
import rdflib
from frictionless import Package

from countries.models import Country
from paks import opendata
from paks.search.backends import search_cases
from paks.search.base import CaseSearch
from tests.factories import (
    CaseStudyFactory,
    CountryFactory,
    EGovScoreFactory,
    EventFactory,
    OrganizationFactory,
    ParticipationFactory,
    SDGFactory,
    ThemeFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def content():
    theme, sdg = ThemeFactory(name="Open data"), SDGFactory(number=16)
    country = CountryFactory(name="Aland", is_sids=True)
    EGovScoreFactory(country=country, survey_year=2024)
    org = OrganizationFactory(country=country, name="=Formula Agency")
    for n in range(3):
        case = CaseStudyFactory(
            country=country,
            organization=org,
            published=True,
            title=f"Chatbot {n}" if n else "Land registry",
            summary='A line, with a comma; and "quotes"',
        )
        case.themes.add(theme)
        case.sdgs.add(sdg)
    CaseStudyFactory(country=country, title="Chatbot draft")
    event = EventFactory()
    ParticipationFactory(event=event, country=country)
    EventFactory(is_public=False)


def read_csv(response) -> list[dict[str, str]]:
    body = b"".join(response.streaming_content).decode()
    return list(csv.DictReader(io.StringIO(body)))


def read_json(response) -> dict:
    return json.loads(b"".join(response.streaming_content))


@pytest.mark.parametrize("name", list(opendata.TABLES))
def test_every_table_reads_back_equal_in_csv_and_json(client, content, name, rf):
    csv_response = client.get(f"/data/{name}.csv")
    json_response = client.get(f"/data/{name}.json")
    assert csv_response.status_code == json_response.status_code == 200
    rows, data = read_csv(csv_response), read_json(json_response)
    table = opendata.TABLES[name](rf.get("/"))
    expected = list(table.records(table.rows(rf.get("/"))[0]))  # straight from the database
    assert len(rows) == len(data["results"]) == data["count"] == len(expected) > 0
    assert int(csv_response["X-Total-Count"]) == len(expected) and data["complete"] is True
    columns = [c.name for c in table.columns]
    assert list(rows[0]) == columns
    for row, record in zip(rows, expected, strict=True):
        for column, value in zip(columns, record, strict=True):
            if column != "url":
                text = "" if value is None else str(value)
                assert row[column] in (text, f"'{text}"), column  # formulas disarmed
    for row, record in zip(data["results"], expected, strict=True):
        assert list(row) == columns
        for column, value in zip(columns, record, strict=True):
            if column != "url":
                assert row[column] == value


def test_the_case_table_is_what_the_search_finds_and_disarms_formulas(client, content):
    rows = read_csv(client.get("/data/cases.csv", {"q": "chatbot", "group": "sids"}))
    found = search_cases(
        CaseSearch.from_params({"q": "chatbot", "group": "sids", "per_page": "100"})
    )
    assert {r["slug"] for r in rows} == {h.case.slug for h in found.hits}
    assert len(rows) == 2
    assert rows[0]["organization_name"] == "'=Formula Agency"
    theme = ThemeFactory._meta.model.objects.get(name="Open data")
    assert rows[0]["themes"] == theme.slug and rows[0]["sdgs"] == "16"


def test_only_public_events_with_their_countries(client, content):
    data = read_json(client.get("/data/events.json"))
    assert data["count"] == 1
    country = Country.objects.get(name="Aland")
    assert data["results"][0]["participating_countries"] == country.iso3


def test_the_data_package_validates_with_frictionless(client, content, tmp_path: Path):
    descriptor = json.loads(client.get("/data/datapackage.json").content)
    assert {r["name"] for r in descriptor["resources"]} == set(opendata.TABLES)
    for resource in descriptor["resources"]:
        body = b"".join(client.get(f"/data/{resource['name']}.csv").streaming_content)
        (tmp_path / f"{resource['name']}.csv").write_bytes(body)
        resource["path"] = f"{resource['name']}.csv"  # read here, not over the network
    (tmp_path / "datapackage.json").write_text(json.dumps(descriptor))
    report = Package(str(tmp_path / "datapackage.json")).validate()
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])


def test_the_catalogue_is_dcat_json_ld_with_a_dataset_and_two_distributions_per_table(client):
    response = client.get("/data/catalog.jsonld")
    assert response["Content-Type"] == "application/ld+json"
    graph = rdflib.Graph().parse(data=response.content, format="json-ld")
    dcat = rdflib.Namespace("http://www.w3.org/ns/dcat#")
    datasets = list(graph.subjects(rdflib.RDF.type, dcat.Dataset))
    assert len(datasets) == len(opendata.TABLES)
    for dataset in datasets:
        assert len(list(graph.objects(dataset, dcat.distribution))) == 2


def test_the_open_data_page_links_every_download(client):
    html = client.get("/data/").content.decode()
    for name in opendata.TABLES:
        assert f'href="/data/{name}.csv"' in html and f'href="/data/{name}.json"' in html


def test_an_unknown_table_or_format_is_404(client):
    assert client.get("/data/nothing.csv").status_code == 404
    assert client.get("/data/cases.xml").status_code == 404


def test_a_search_can_be_followed_as_an_atom_feed_of_what_it_finds(client, content):
    page = client.get("/cases/", {"q": "chatbot", "group": "sids"}).content.decode()
    assert 'href="/feeds/cases.atom?q=chatbot&amp;group=sids"' in page
    assert 'href="/data/cases.csv?q=chatbot&amp;group=sids"' in page
    feed = client.get("/feeds/cases.atom", {"q": "chatbot", "group": "sids"}).content.decode()
    assert "<title>PAKS: new good practices for “chatbot” in SIDS</title>" in feed
    assert feed.count("<entry>") == 2 and "Land registry" not in feed
    everything = client.get("/feeds/cases.atom").content.decode()
    assert everything.count("<entry>") == 3


def test_every_one_of_100000_cases_is_exported(client):
    """The whole table streams complete: the header's count, every row, in one request."""
    from django.utils import timezone

    from paks.models import CaseStudy

    country = CountryFactory()
    now = timezone.now()
    CaseStudy.objects.bulk_create(
        (
            CaseStudy(
                title=f"Case {n}",
                slug=f"case-{n}",
                country=country,
                year=2000 + n % 25,
                summary="Summary",
                status=CaseStudy.Status.PUBLISHED,
                published_at=now,
            )
            for n in range(100_000)
        ),
        batch_size=5000,
    )
    response = client.get("/data/cases.csv")
    lines = b"".join(response.streaming_content).decode().splitlines()
    assert response["X-Total-Count"] == "100000"
    assert len(lines) == 100_001  # the header and every case
    assert len({line.split(",", 1)[0] for line in lines[1:]}) == 100_000


@pytest.mark.parametrize(
    ("page", "tables"),
    [
        ("/events/", ["events"]),
        ("/countries/", ["countries", "egov-survey-scores"]),
        ("/organizations/", ["organizations"]),
        ("/themes/", ["themes"]),
        ("/sdgs/", ["sdgs"]),
    ],
)
def test_every_public_list_links_its_downloads(client, page, tables):
    html = client.get(page).content.decode()
    for table in tables:
        assert f'href="/data/{table}.csv"' in html and f'href="/data/{table}.json"' in html
