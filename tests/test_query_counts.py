"""The exact number of queries of every public list page, feed, list endpoint and admin change
list, each query named in a comment, the same with 1 row as with many (STYLE.md, "Queries").

Public pages are measured warm (after a request that kept the case counts, the search's
labels and the cached sitemap under the current versions) and cold (the cache emptied), with
1 row and with 25 (more than a detail page lists); endpoints with 1 and 25 rows; change lists
with 1 and 20. The numbers are the same on SQLite and PostgreSQL (the case lists search
without words, which needs no planner settings on PostgreSQL).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.audit import record
from accounts.services import issue_token
from countries.services import invite
from paks.imports.models import ImportJob
from paks.search.index import reindex_batch
from paks.webhooks import models as webhooks
from tests.factories import (
    CaseStudyFactory,
    ContributionFactory,
    ContributionSpeakerFactory,
    CountryFactory,
    DocumentFactory,
    EditorFactory,
    EGovScoreFactory,
    EventFactory,
    EventOrganizerFactory,
    FocalPointFactory,
    OrganizationFactory,
    ParticipationFactory,
    PersonFactory,
    SDGFactory,
    SessionFactory,
    ThemeFactory,
    UserFactory,
)
from tests.translation_factories import CaseTranslationFactory

pytestmark = pytest.mark.django_db

MANY = 25  # more than a detail page lists (core.lists.SHOWN) and than a page of a list


def sql_of(client: Client, url: str) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return [q["sql"] for q in queries.captured_queries]


def published(**kwargs: Any) -> Any:
    return CaseStudyFactory(published=True, **kwargs)


def days(n: int) -> datetime.datetime:
    return timezone.now() + datetime.timedelta(days=n)


# --- Public pages and feeds ----------------------------------------------------------------


@dataclass(frozen=True)
class Page:
    """A public page: what it lists (`setup`'s object), its address, and one more row."""

    url: Callable[[Any], str]
    add: Callable[[Any, int], Any]
    warm: int  # after a first request: the kept case counts and the cached sitemap are read
    cold: int  # with an empty cache: they are computed
    setup: Callable[[], Any] = lambda: None


def _home_row(_: Any, n: int) -> None:
    published()
    EventFactory(start=days(n + 1))
    EventFactory(start=days(-n - 1))


def _event_detail_row(event: Any, n: int) -> None:
    country = CountryFactory()  # one per row: the test countries' M49 codes run out at 99
    published(event=event, country=country)
    ParticipationFactory(event=event, country=country)
    FocalPointFactory(country=country, is_contact_public=True)
    EventOrganizerFactory(event=event, organization=OrganizationFactory(country=country))
    EventFactory(part_of=event)
    DocumentFactory(case=None, event=event)
    _programme_row(event, n, country)


def _someone(country: Any) -> Any:
    """A person with an organization and a country (their affiliation names both)."""
    return PersonFactory(organization=OrganizationFactory(country=country), country=country)


def _programme_row(event: Any, n: int, country: Any = None) -> None:
    """A session with a chair, a published contribution (two speakers, the case it presents,
    its slides) and a draft one with its own slides; a contribution given in no session."""
    country = country or CountryFactory()
    session = SessionFactory(event=event, start=event.start + datetime.timedelta(hours=n))
    session.chairs.add(_someone(country))
    given = ContributionFactory(
        event=event,
        session=session,
        country=country,
        published=True,
        case=published(country=country, organization=None),
        position=n,
    )
    for position in range(2):
        ContributionSpeakerFactory(contribution=given, person=_someone(country), position=position)
    DocumentFactory(case=None, event=event, contribution=given, page_count=12)
    draft = ContributionFactory(event=event, session=session, country=country)
    ContributionSpeakerFactory(contribution=draft, person=_someone(country))
    DocumentFactory(case=None, event=event, contribution=draft)
    ContributionFactory(event=event, country=country, published=True)


def _proceedings_row(event: Any, n: int) -> None:
    country = CountryFactory()
    _programme_row(event, n, country)
    published(event=event, country=country)
    ParticipationFactory(event=event, country=country)
    EventOrganizerFactory(event=event, organization=OrganizationFactory(country=country))
    DocumentFactory(case=None, event=event, kind="report")
    DocumentFactory(case=None, event=event, kind="agenda")


def _country_detail_row(country: Any, n: int) -> None:
    published(country=country)
    ParticipationFactory(country=country)
    EventFactory(country=country)
    OrganizationFactory(country=country)
    EGovScoreFactory(country=country, survey_year=2001 + n)
    FocalPointFactory(country=country, is_contact_public=True)


def _organization_detail_row(org: Any, n: int) -> None:
    published(organization=org, country=org.country)
    EventOrganizerFactory(organization=org)
    OrganizationFactory(parent=org)


def _with_theme(theme: Any, n: int) -> None:
    published().themes.add(theme)
    EventFactory().themes.add(theme)


def _with_sdg(sdg: Any, n: int) -> None:
    published().sdgs.add(sdg)
    EventFactory().sdgs.add(sdg)


def _case_with_a_new_theme(_: Any, n: int) -> None:
    published().themes.add(ThemeFactory())


def _case_with_an_sdg(_: Any, n: int) -> None:
    published().sdgs.add(SDGFactory(number=n % 17 + 1))


def _case_detail_row(case: Any, n: int) -> None:
    DocumentFactory(case=case)
    published(country=case.country)


# The pages are English and their cases and events too: a list reads the published
# translations of the cases and events it shows only where they are written in another
# language than the page's (one query more; tests/portal/test_translated_lists.py).
PAGES = {
    "home": Page(
        url=lambda _: reverse("paks:home"),
        add=_home_row,
        # the index version (the kept case counts' key); the public events counted; the
        # public presentations counted; the map's countries; the 6 latest cases with their
        # country and organization; the next (or latest) event; themes; SDGs
        warm=8,
        cold=9,  # and the cases counted per country (and so per region and in all)
    ),
    "case list": Page(
        url=lambda _: reverse("paks:case-list") + "?per_page=50",
        add=lambda _, n: published(),
        # the search (tests/search/test_search.py counts it): the index version; the
        # statement giving the page (and the facet counts and total when they are not kept);
        # the page's cases with country and organization
        warm=3,
        cold=3,
    ),
    "case detail": Page(
        setup=lambda: published(),
        url=lambda case: case.get_absolute_url(),
        add=_case_detail_row,
        # the case with country, organization and event; its themes, SDGs and links; its
        # published translations with their translators; its public documents; the 4 latest
        # related cases (same theme or country)
        warm=7,
        cold=7,
    ),
    "event list": Page(
        url=lambda _: reverse("events:list") + "?when=past",
        add=lambda _, n: EventFactory(country=CountryFactory(), start=days(-n - 10)),
        # the filter's choices: years with events, countries (host or participant),
        # organizers, themes, SDGs; then the upcoming and past counts in one statement (the
        # tabs, and the paginator's count) and the page of events with their country
        warm=7,
        cold=7,
    ),
    "event detail": Page(
        setup=lambda: EventFactory(),
        url=lambda event: event.get_absolute_url(),
        add=_event_detail_row,
        # the event with its country and the event it is part of; its organizers with their
        # organizations, themes, SDGs, translations with their translators; its sessions,
        # their chairs with organization and country; its published contributions with
        # country and case, their speakers with organization and country, their public
        # documents; the 21 latest cases presented there with country and organization; a
        # page of its own documents; a page of participations with their countries; those
        # countries' public focal points with user and organization; a page of the public
        # events held with it
        warm=15,
        cold=15,
    ),
    "event programme": Page(
        setup=lambda: EventFactory(),
        url=lambda event: reverse("events:programme", args=[event.slug]),
        add=_programme_row,
        # the event with its country and the event it is part of; its sessions, their chairs
        # with organization and country; its published contributions with country and case,
        # their speakers with organization and country
        warm=5,
        cold=5,
    ),
    "event proceedings": Page(
        setup=lambda: EventFactory(),
        url=lambda event: reverse("events:proceedings", args=[event.slug]),
        add=_proceedings_row,
        # the event with its country and the event it is part of; its organizers with their
        # organizations; its sessions, their chairs with organization and country; its
        # published contributions with country and case, their speakers with organization
        # and country, their public documents; its own documents; its participations with
        # their countries; the published cases presented there with country and organization
        warm=10,
        cold=10,
    ),
    "event calendar": Page(
        setup=lambda: EventFactory(),
        url=lambda event: reverse("events:ical", args=[event.slug]),
        add=_programme_row,
        # the event with its country and the event it is part of; its sessions, their chairs
        # with organization and country; its published contributions with country and case,
        # their speakers with organization and country
        warm=5,
        cold=5,
    ),
    "country list": Page(
        url=lambda _: reverse("countries:list"),
        add=lambda _, n: published(country=CountryFactory()),
        # the index version (the kept case counts' key); the countries
        warm=2,
        cold=3,  # and the cases counted per country
    ),
    "country detail": Page(
        setup=lambda: CountryFactory(),
        url=lambda country: country.get_absolute_url(),
        add=_country_detail_row,
        # the country; its survey scores; its public focal points with user and organization;
        # the index version (the kept case counts' key); 21 events it took part in; 21
        # events it hosted; its 20 latest cases with their organization; its organizations;
        # the survey averages of its region and groups per edition; the latest scores of
        # its peers (same region or group, with published cases); its 21 latest public
        # presentations with their case and event
        warm=11,
        cold=12,  # and the cases counted per country
    ),
    "organization detail": Page(
        setup=lambda: OrganizationFactory(),
        url=lambda org: org.get_absolute_url(),
        add=_organization_detail_row,
        # the organization with its country and parent; its 21 latest roles in public events
        # with the event; its 21 latest cases with their country; its units; its 21 first
        # public focal points with user and country; its 21 first speakers and chairs
        warm=6,
        cold=6,
    ),
    "theme list": Page(
        url=lambda _: reverse("paks:theme-list"),
        add=_case_with_a_new_theme,
        # the index version (the kept case counts' key); the themes
        warm=2,
        cold=3,  # and the cases counted per theme
    ),
    "theme detail": Page(
        setup=lambda: ThemeFactory(),
        url=lambda theme: theme.get_absolute_url(),
        add=_with_theme,
        # the theme; the index version (the kept case counts' key); its 21 latest public
        # events with their country; its 20 latest cases with country and organization
        warm=4,
        cold=5,  # and the cases counted per theme
    ),
    "SDG list": Page(
        url=lambda _: reverse("paks:sdg-list"),
        add=_case_with_an_sdg,
        # the index version (the kept case counts' key); the SDGs
        warm=2,
        cold=3,  # and the cases counted per SDG
    ),
    "SDG detail": Page(
        setup=lambda: SDGFactory(),
        url=lambda sdg: sdg.get_absolute_url(),
        add=_with_sdg,
        # the SDG; the index version (the kept case counts' key); its 21 latest public
        # events with their country; its 20 latest cases with country and organization
        warm=4,
        cold=5,  # and the cases counted per SDG
    ),
    "about": Page(
        url=lambda _: reverse("paks:about"),
        add=lambda _, n: (published(), EventFactory()),
        # the index version (the kept case counts' key); the number of public events
        warm=2,
        cold=3,  # and the cases counted per country (in all, and how many countries)
    ),
    "cases feed (RSS)": Page(
        url=lambda _: reverse("feed-cases-rss"),
        add=lambda _, n: published(),
        cold=1,
        warm=1,  # the 30 latest cases with country and organization
    ),
    "cases feed (Atom)": Page(
        url=lambda _: reverse("feed-cases-atom"),
        add=lambda _, n: published(),
        cold=1,
        warm=1,  # the 30 latest cases with country and organization
    ),
    "events feed (RSS)": Page(
        url=lambda _: reverse("feed-events-rss"),
        add=lambda _, n: EventFactory(country=CountryFactory()),
        cold=1,
        warm=1,  # the 30 latest events with their country
    ),
    "events feed (Atom)": Page(
        url=lambda _: reverse("feed-events-atom"),
        add=lambda _, n: EventFactory(country=CountryFactory()),
        cold=1,
        warm=1,  # the 30 latest events with their country
    ),
    "calendar": Page(
        url=lambda _: reverse("events:ical-all"),
        add=lambda _, n: EventFactory(country=CountryFactory(), start=days(n)),
        cold=1,
        warm=1,  # the events of the window with their country
    ),
    "calendar of a year": Page(
        url=lambda _: reverse("events:ical-year", args=[timezone.now().year]),
        add=lambda _, n: EventFactory(start=timezone.now().replace(month=1, day=2, hour=n % 24)),
        cold=1,
        warm=1,  # the year's events with their country
    ),
    "sitemap index": Page(
        url=lambda _: reverse("sitemap"),
        add=lambda _, n: (published(), EventFactory()),
        warm=1,  # the index version (the cache key); the page is in the cache
        # built: the index version (the cache key); per section, cases and events a count
        # and their latest change, countries, organizations, themes and SDGs a count
        cold=9,
    ),
    "sitemap of cases": Page(
        url=lambda _: reverse("sitemap-section", args=["cases"]),
        add=lambda _, n: published(),
        warm=1,  # the index version (the cache key); the page is in the cache
        cold=3,  # built: the index version (the cache key); the count; the page of cases
    ),
    "sitemap of events": Page(
        url=lambda _: reverse("sitemap-section", args=["events"]),
        add=lambda _, n: EventFactory(),
        warm=1,  # the index version (the cache key); the page is in the cache
        cold=3,  # built: the index version (the cache key); the count; the page of events
    ),
    "sitemap of countries": Page(
        url=lambda _: reverse("sitemap-section", args=["countries"]),
        add=lambda _, n: CountryFactory(),
        warm=1,  # the index version (the cache key); the page is in the cache
        cold=3,  # built: the index version (the cache key); the count; the page of countries
    ),
    "sitemap of organizations": Page(
        url=lambda _: reverse("sitemap-section", args=["organizations"]),
        add=lambda _, n: OrganizationFactory(),
        warm=1,  # the index version (the cache key); the page is in the cache
        cold=3,  # built: the index version (the cache key); the count; the page of organizations
    ),
    "sitemap of themes": Page(
        url=lambda _: reverse("sitemap-section", args=["themes"]),
        add=lambda _, n: ThemeFactory(),
        warm=1,  # the index version (the cache key); the page is in the cache
        cold=3,  # built: the index version (the cache key); the count; the page of themes
    ),
    "sitemap of SDGs": Page(
        url=lambda _: reverse("sitemap-section", args=["sdgs"]),
        add=lambda _, n: SDGFactory(number=n % 17 + 1),
        warm=1,  # the index version (the cache key); the page is in the cache
        cold=3,  # built: the index version (the cache key); the count; the page of SDGs
    ),
}


@pytest.mark.parametrize("name", PAGES)
def test_public_page_reads_an_exact_number_of_queries_whatever_its_rows(client, name):
    page = PAGES[name]
    subject = page.setup()
    page.add(subject, 0)
    for n in (1, MANY):
        url = page.url(subject)
        client.get(url)  # keeps what it may (case counts, search labels) at this index version
        warm = sql_of(client, url)
        assert len(warm) == page.warm, (n, warm)
        cache.clear()
        cold = sql_of(client, url)
        assert len(cold) == page.cold, (n, cold)
        for more in range(n, MANY):
            page.add(subject, more)


# --- API list endpoints --------------------------------------------------------------------


@dataclass(frozen=True)
class Endpoint:
    path: str
    add: Callable[[int], Any]
    queries: int
    signed_in: bool = False


def _api(name: str) -> str:
    return reverse(f"api-v1:{name}")


ENDPOINTS = {
    "cases": Endpoint(
        path="case-list",
        add=lambda n: published(),
        # the search (tests/search/test_search.py counts it): the index version; the
        # statement giving the page (and the facet counts and total when they are not kept);
        # the page's cases with country and organization
        queries=3,
    ),
    "documents": Endpoint(
        path="document-list",
        add=lambda n: DocumentFactory(case=published()),
        queries=2,  # the count; the page of documents with their case and event
    ),
    "events": Endpoint(
        path="event-list",
        add=lambda n: EventFactory(country=CountryFactory(), part_of=EventFactory()),
        queries=2,  # the count; the page of events with their country and parent event
    ),
    "countries": Endpoint(
        path="country-list",
        add=lambda n: CountryFactory(),
        queries=2,  # the count; the page of countries
    ),
    "organizations": Endpoint(
        path="organization-list",
        add=lambda n: OrganizationFactory(parent=OrganizationFactory()),
        queries=2,  # the count; the page of organizations with their country and parent
    ),
    "themes": Endpoint(
        path="theme-list",
        add=lambda n: ThemeFactory(),
        queries=2,  # the count; the page of themes
    ),
    "sdgs": Endpoint(
        path="sdg-list",
        add=lambda n: SDGFactory(number=n % 17 + 1),
        queries=2,  # the count; the page of SDGs
    ),
    "workspace cases": Endpoint(
        path="workspace-case-list",
        add=lambda n: CaseStudyFactory(),
        signed_in=True,
        # the session; its user; the user's own permissions and its groups' (an editor sees
        # every country's cases); the count; the page of cases with country and organization
        queries=6,
    ),
}


@pytest.mark.parametrize("name", ENDPOINTS)
def test_list_endpoint_reads_an_exact_number_of_queries_whatever_its_rows(client, name):
    endpoint = ENDPOINTS[name]
    if endpoint.signed_in:
        client.force_login(EditorFactory())
    endpoint.add(0)
    url = _api(endpoint.path) + "?page_size=50&per_page=50"
    client.get(url)  # keeps the search's labels at this index version
    one = sql_of(client, url)
    assert len(one) == endpoint.queries, one
    for n in range(1, MANY):
        endpoint.add(n)
    client.get(url)
    many = sql_of(client, url)
    assert len(many) == endpoint.queries, many


# --- Admin change lists --------------------------------------------------------------------


def _access(model: Any) -> Callable[[int], Any]:
    def make(n: int) -> Any:
        fields = {"user_agent": "test", "ip_address": "10.0.0.1", "username": f"person{n}"}
        fields |= {"http_accept": "*/*", "path_info": "/account/sign-in/"}
        if model is AccessAttempt:
            fields |= {"get_data": "", "post_data": "", "failures_since_start": 1}
        return model.objects.create(**fields)

    return make


def _invitation(n: int) -> Any:
    org = OrganizationFactory()
    return invite(
        email=f"invited{n}@gov.example",
        country=org.country,
        organization=org,
        invited_by=EditorFactory(),
    )


def _event_with_relations(n: int) -> Any:
    event = ParticipationFactory(event=EventFactory(country=CountryFactory())).event
    EventOrganizerFactory(event=event)
    return event


@dataclass(frozen=True)
class ChangeList:
    add: Callable[[int], Any]
    queries: int


# Every query of a change list page with a superuser (who needs no permission queries):
SESSION = 2  # the session; its user
COUNTS = 2  # the rows that match the filters and all rows (the admin's "x of y selected")
PAGE = 1  # the page of rows, with what list_select_related joins
LISTED = SESSION + COUNTS + PAGE
# then what the list's filters, date hierarchy and actions read, named for each below.
CHANGE_LISTS = {
    "auth.group": ChangeList(lambda n: Group.objects.create(name=f"Group {n}"), LISTED),
    "axes.accessattempt": ChangeList(
        _access(AccessAttempt),
        # the date hierarchy's first and last day, its days; the paths filter's values
        LISTED + 3,
    ),
    "axes.accesslog": ChangeList(
        _access(AccessLog),
        # the date hierarchy's first and last day, its days; the paths filter's values
        LISTED + 3,
    ),
    "axes.accessfailurelog": ChangeList(
        _access(AccessFailureLog),
        # the date hierarchy's first and last day, its days; the paths filter's values
        LISTED + 3,
    ),
    "django_tasks_database.dbtaskresult": ChangeList(
        lambda n: reindex_batch.enqueue([]),
        LISTED + 2,  # the priority and queue filters' values
    ),
    "taxonomy.theme": ChangeList(lambda n: ThemeFactory(), LISTED),
    "taxonomy.sdg": ChangeList(lambda n: SDGFactory(number=n % 17 + 1), LISTED),
    "accounts.user": ChangeList(lambda n: UserFactory(), LISTED + 1),  # the groups filter's groups
    "accounts.apitoken": ChangeList(lambda n: issue_token(user=UserFactory(), name="CMS"), LISTED),
    "accounts.auditevent": ChangeList(
        lambda n: record("signed_in", actor=UserFactory()),
        LISTED + 2,  # the date hierarchy's first and last day, its days
    ),
    "accounts.invitation": ChangeList(_invitation, LISTED + 1),  # the region filter's regions
    "countries.country": ChangeList(
        lambda n: CountryFactory(),
        LISTED + 2,  # the region and sub-region filters' values
    ),
    "countries.egovscore": ChangeList(
        lambda n: EGovScoreFactory(),
        LISTED + 2,  # the survey year and region filters' values
    ),
    "countries.organization": ChangeList(
        # the counts and the page count focal points per organization in the same statement
        lambda n: FocalPointFactory(organization=OrganizationFactory(parent=OrganizationFactory())),
        LISTED + 1,  # the region filter's regions
    ),
    "countries.focalpoint": ChangeList(
        lambda n: FocalPointFactory(),
        # the date hierarchy's first and last day, its days; the region filter's regions
        LISTED + 3,
    ),
    "events.event": ChangeList(
        # the counts and the page count participating countries in the same statement
        _event_with_relations,
        # the themes filter's themes; the date hierarchy's first and last day, its days
        LISTED + 3,
    ),
    "paks.casestudy": ChangeList(
        lambda n: CaseStudyFactory(event=EventFactory()),
        # the themes and SDGs filters' values; the date hierarchy's first and last day, its
        # days; the region and year filters' values
        LISTED + 6,
    ),
    "paks.casetranslation": ChangeList(
        lambda n: CaseTranslationFactory(),
        # the country filter's countries (those of translated cases)
        LISTED + 1,
    ),
    "paks.contribution": ChangeList(
        lambda n: ContributionFactory(),
        # the event and country filters' values
        LISTED + 2,
    ),
    "events.session": ChangeList(
        lambda n: SessionFactory(),
        # the date hierarchy's first and last day, its days
        LISTED + 2,
    ),
    "events.person": ChangeList(
        lambda n: PersonFactory(),
        # the country filter's countries
        LISTED + 1,
    ),
    "paks.document": ChangeList(
        lambda n: DocumentFactory(event=EventFactory()),
        # the date hierarchy's first and last day, its days; the media type filter's values
        LISTED + 3,
    ),
    "webhooks.endpoint": ChangeList(
        lambda n: webhooks.Endpoint.objects.create(
            owner=UserFactory(), url=f"https://h.example/{n}"
        ),
        LISTED,
    ),
    "webhooks.delivery": ChangeList(
        lambda n: webhooks.Delivery.objects.create(
            endpoint=webhooks.Endpoint.objects.create(
                owner=UserFactory(), url="https://h.example/"
            ),
            event="case.published",
            payload={},
        ),
        # the date hierarchy's first and last day, its days; the event filter's values
        LISTED + 3,
    ),
    "imports.importjob": ChangeList(
        lambda n: ImportJob.objects.create(
            kind="cases",
            sheet_format="csv",
            file_name=f"sheet-{n}.csv",
            requested_by=EditorFactory(),
        ),
        # the date hierarchy's first and last day, its days
        LISTED + 2,
    ),
}
# Registered, but with no change list of database rows to count.
WITHOUT_ROWS = {
    "django_rq.dashboard": "the task queues' dashboard, read from Redis, not the database",
}


def test_every_registered_model_admin_has_its_change_list_counted_here():
    registered = {model._meta.label_lower for model in admin.site._registry}
    assert registered == set(CHANGE_LISTS) | set(WITHOUT_ROWS)


@pytest.mark.parametrize("label", CHANGE_LISTS)
def test_admin_change_list_reads_an_exact_number_of_queries_whatever_its_rows(client, label):
    change_list = CHANGE_LISTS[label]
    app_label, model_name = label.split(".")
    url = reverse(f"admin:{app_label}_{model_name}_changelist")
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    change_list.add(0)
    client.get(url)  # content types and the admin's other per-process lookups
    one = sql_of(client, url)
    assert len(one) == change_list.queries, one
    for n in range(1, 20):
        change_list.add(n)
    many = sql_of(client, url)
    assert len(many) == change_list.queries, many
