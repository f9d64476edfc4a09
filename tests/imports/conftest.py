"""The reference tables an import matches against: the UN M49 countries, themes and SDGs
from the data files, a few organizations, and the editor who imports."""

import pytest

from countries.models import Country, Organization
from countries.reference import load_countries
from taxonomy.reference import load_sdgs, load_themes
from tests.factories import EditorFactory, OrganizationFactory


@pytest.fixture
def reference(db):
    load_countries()
    load_themes()
    load_sdgs()


@pytest.fixture
def editor(db):
    return EditorFactory(email="editor@example.org")


@pytest.fixture
def organizations(reference) -> list[Organization]:
    """Ten ministries, each of a real country."""
    countries = list(Country.objects.order_by("iso3")[:10])
    return [
        OrganizationFactory(
            name=f"Ministry of Digital Government of {c.name}",
            slug=f"ministry-of-digital-government-{c.iso3.lower()}",
            acronym=f"MDG{c.iso3}",
            country=c,
        )
        for c in countries
    ]


@pytest.fixture(autouse=True)
def worker_at_once(settings):
    """The task worker checks and imports sheets and indexes cases; here each task runs as
    it is queued."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
