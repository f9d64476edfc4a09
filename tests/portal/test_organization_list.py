"""The organizations index: words, kind and country combine; counts equal the database's;
bad values change nothing but the message; the queries do not grow with the rows."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from countries.models import Organization
from tests.factories import (
    CaseStudyFactory,
    CountryFactory,
    EventOrganizerFactory,
    OrganizationFactory,
)

URL = "/organizations/"


def listed(html: str) -> set[str]:
    return {org.name for org in Organization.objects.all() if f">{org.name}</a>" in html}


class TestFiltersCombine(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.a, cls.b = CountryFactory(name="Aland"), CountryFactory(name="Beland")
        kinds = [Organization.Kind.GOVERNMENT, Organization.Kind.ACADEMIA]
        names = ["Digital Agency", "Data Institute", "Digital University", "Postal Office"]
        for n, name in enumerate(names):
            OrganizationFactory(
                name=name,
                acronym=name.split()[0][:3].upper(),
                kind=kinds[n % 2],
                country=(cls.a, cls.b)[n // 2],
            )

    @settings(max_examples=30, deadline=None)
    @given(
        words=st.sampled_from(["", "digital", "DATA", "dig uni", "nothing", "POS"]),
        kind=st.sampled_from(["", "government", "academia"]),
        country=st.sampled_from(["", "a", "b"]),
    )
    def test_every_combination_lists_what_the_reference_finds(self, words, kind, country):
        iso3 = {"": "", "a": self.a.iso3, "b": self.b.iso3}[country]
        html = self.client.get(URL, {"q": words, "kind": kind, "country": iso3}).content.decode()

        def matches(org: Organization) -> bool:
            text = f"{org.name} {org.acronym}".lower()
            return (
                all(w.lower() in text for w in words.split())
                and (not kind or org.kind == kind)
                and (not iso3 or org.country.iso3 == iso3)
            )

        expected = {o.name for o in Organization.objects.all() if matches(o)}
        assert listed(html) == expected
        assert f"<h2>{len(expected)} organization" in html


@pytest.mark.django_db
def test_counts_are_published_cases_and_public_events(client):
    org = OrganizationFactory(name="Counted Agency")
    CaseStudyFactory(organization=org, country=org.country, published=True)
    CaseStudyFactory(organization=org, country=org.country)  # a draft
    EventOrganizerFactory(organization=org)
    EventOrganizerFactory(organization=org, event__is_public=False)
    html = client.get(URL).content.decode()
    row = html[html.index("Counted Agency") :]
    assert f'?organization={org.slug}">1</a>' in row
    assert f'organizer={org.slug}">1</a>' in row


@pytest.mark.django_db
def test_an_unknown_kind_or_country_says_so_and_lists_nothing_wrong(client):
    OrganizationFactory()
    page = client.get(URL, {"kind": "nonsense", "country": "ZZZ"})
    assert page.status_code == 200
    assert "Select a valid choice" in page.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("rows", [1, 60])
def test_the_queries_do_not_grow_with_the_rows(client, rows):
    country = CountryFactory()
    for _ in range(rows):
        org = OrganizationFactory(country=country)
        CaseStudyFactory(published=True, organization=org, country=country)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(URL).status_code == 200
    # the countries that have organizations (the country filter's choices); the count for
    # the paginator; the page of organizations with their country and counts
    assert len(queries.captured_queries) == 3, [q["sql"] for q in queries.captured_queries]
