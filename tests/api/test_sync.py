"""Keeping a mirror in step: `updated_since`, cursor pages, tombstones and ETags.

The last tests build mirrors only from what changed and what went, after sequences of
creates, edits, archives and deletes that Hypothesis draws, and compare them with the
API's full listings.
"""

import datetime

import pytest
from django.core.cache import cache
from django.db import transaction
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, Phase, given, note, settings
from hypothesis import strategies as st
from rest_framework.test import APIClient

from paks.models import CaseStudy, Document
from paks.services import (
    archive_case,
    create_case,
    delete_case,
    delete_document,
    publish_case,
    submit_case,
    update_case,
)
from tests.factories import (
    CaseStudyFactory,
    CountryFactory,
    DocumentFactory,
    EditorFactory,
    EventFactory,
    FocalPointFactory,
    OrganizationFactory,
    SDGFactory,
    ThemeFactory,
)

pytestmark = pytest.mark.django_db

LISTS = [
    "case-list",
    "workspace-case-list",
    "document-list",
    "event-list",
    "country-list",
    "organization-list",
    "theme-list",
    "sdg-list",
    "deleted-list",
]


def client_for(user=None):
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def read_all(client, url, params=None):
    """Every item of a list, following `next`."""
    items, response = [], client.get(url, params or {})
    while True:
        assert response.status_code == 200, response.content[:300]
        body = response.json()
        items += body["results"]
        if not body["next"]:
            return items
        response = client.get(body["next"])


@pytest.mark.parametrize("name", LISTS)
def test_every_list_answers_in_the_order_of_change_with_cursor_pages(name):
    editor = EditorFactory()
    url = reverse(f"api-v1:{name}")
    response = client_for(editor).get(url, {"updated_since": "2000-01-01T00:00:00Z"})
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"count", "next", "previous", "results"}


@pytest.mark.parametrize("name", LISTS)
@pytest.mark.parametrize("value", ["yesterday", "2026-13-01T00:00:00Z", "2026-12-01T25:00:00Z", ""])
def test_a_malformed_moment_answers_400_and_an_unknown_cursor_404_naming_them(name, value):
    client = client_for(EditorFactory())
    response = client.get(reverse(f"api-v1:{name}"), {"updated_since": value})
    assert response.status_code == 400
    assert response.json()["field"] == "updated_since"
    response = client.get(reverse(f"api-v1:{name}"), {"cursor": "not-a-cursor"})
    assert response.status_code == 404  # no such page, as DRF answers, naming the parameter
    assert response.json()["field"] == "cursor"


@pytest.mark.parametrize(
    "value", ["0505-05-27T21:32:26+23:02", "0001-01-01T00:00:00+05:00", "9999-12-31T23:59:59-12:00"]
)
def test_any_moment_iso_8601_can_write_is_read_on_both_databases(value):
    # PostgreSQL takes offsets up to 15:59 only; found by the schema's fuzzing.
    ThemeFactory()
    response = client_for().get(reverse("api-v1:theme-list"), {"updated_since": value})
    assert response.status_code == 200
    assert len(response.json()["results"]) == (0 if value.startswith("9999") else 1)


def test_updated_since_lists_what_changed_at_or_after_the_moment_oldest_first():
    old = OrganizationFactory(name="Old agency")
    moment = timezone.now()
    new = OrganizationFactory(name="New agency")
    old.website = "https://old.example.org"
    old.save()
    client = client_for()
    items = read_all(
        client, reverse("api-v1:organization-list"), {"updated_since": moment.isoformat()}
    )
    assert [i["slug"] for i in items] == [new.slug, old.slug]
    # A date is its first moment (UTC); a time without a zone is UTC.
    day = (moment - datetime.timedelta(days=1)).date().isoformat()
    items = read_all(client, reverse("api-v1:organization-list"), {"updated_since": day})
    assert {i["slug"] for i in items} == {old.slug, new.slug}


def test_cursor_pages_hold_every_item_once_whatever_changes_between_pages():
    themes = [ThemeFactory() for _ in range(7)]
    client = client_for()
    url = reverse("api-v1:theme-list")
    first = client.get(url, {"updated_since": "2000-01-01", "page_size": 3}).json()
    # A theme read on the first page changes: it moves to the end, read again there.
    changed = next(t for t in themes if t.slug == first["results"][0]["slug"])
    changed.description = "Changed while the mirror reads."
    changed.save()
    seen = [t["slug"] for t in first["results"]]
    response = client.get(first["next"])
    while True:
        body = response.json()
        seen += [t["slug"] for t in body["results"]]
        if not body["next"]:
            break
        response = client.get(body["next"])
    assert sorted(set(seen)) == sorted(t.slug for t in themes)
    assert seen.count(changed.slug) == 2 and seen[-1] == changed.slug


def test_the_case_list_in_change_order_does_not_mix_with_search_parameters():
    CaseStudyFactory(published=True)
    response = client_for().get(
        reverse("api-v1:case-list"), {"updated_since": "2000-01-01", "q": "registry"}
    )
    assert response.status_code == 400
    assert response.json()["field"] == "q"


def test_the_case_list_in_change_order_holds_published_cases_only():
    published = CaseStudyFactory(published=True)
    CaseStudyFactory(status="draft", country=published.country)
    items = read_all(client_for(), reverse("api-v1:case-list"), {"updated_since": "2000-01-01"})
    assert [i["slug"] for i in items] == [published.slug]


# Tombstones ---------------------------------------------------------------------------------


def test_an_archived_case_and_its_documents_leave_a_public_tombstone():
    editor = EditorFactory()
    case = CaseStudyFactory(published=True)
    document = DocumentFactory(case=case)
    archive_case(case=case, editor=editor)
    items = read_all(client_for(), reverse("api-v1:deleted-list"))
    assert {(i["kind"], i["key"], i["reason"]) for i in items} == {
        ("case", case.slug, "withdrawn"),
        ("document", str(document.pk), "withdrawn"),
    }


def test_a_deleted_drafts_tombstone_is_read_only_by_its_countrys_focal_points_and_editors():
    focal_point = FocalPointFactory()
    other = FocalPointFactory()
    case = create_case(user=focal_point.user, data={"title": "Draft", "summary": "s", "year": 2024})
    delete_case(case=case, user=focal_point.user, expected_version=case.version)
    url = reverse("api-v1:deleted-list")
    assert read_all(client_for(), url) == []
    assert read_all(client_for(other.user), url) == []
    [mine] = read_all(client_for(focal_point.user), url)
    assert (mine["kind"], mine["key"], mine["reason"]) == ("case", case.slug, "deleted")
    assert len(read_all(client_for(EditorFactory()), url)) == 1


def test_a_hidden_event_withdraws_its_public_documents_and_showing_it_again_brings_them_back():
    event = EventFactory(is_public=True)
    document = DocumentFactory(case=None, event=event)
    event.is_public = False
    event.save()
    anyone = client_for()
    kinds = {(i["kind"], i["key"]) for i in read_all(anyone, reverse("api-v1:deleted-list"))}
    assert kinds == {("event", event.slug), ("document", str(document.pk))}
    event.is_public = True
    event.save()
    assert read_all(anyone, reverse("api-v1:deleted-list")) == []
    listed = read_all(
        anyone, reverse("api-v1:document-list"), {"updated_since": timezone.now().date()}
    )
    assert [d["id"] for d in listed] == [document.pk]


def test_a_private_events_deletion_is_not_told_to_the_public():
    event = EventFactory(is_public=False)
    event.delete()
    assert read_all(client_for(), reverse("api-v1:deleted-list")) == []
    assert len(read_all(client_for(EditorFactory()), reverse("api-v1:deleted-list"))) == 1


def test_the_tombstone_feed_filters_by_kind():
    organization = OrganizationFactory()
    organization.delete()
    url = reverse("api-v1:deleted-list")
    assert [i["key"] for i in read_all(client_for(), url, {"kind": "organization"})] == [
        organization.slug
    ]
    assert read_all(client_for(), url, {"kind": "case"}) == []
    response = client_for().get(url, {"kind": "planet"})
    assert response.status_code == 400 and response.json()["field"] == "kind"


# ETags ----------------------------------------------------------------------------------------


def detail_urls():
    case = CaseStudyFactory(published=True)
    document = DocumentFactory(case=case)
    event = EventFactory(is_public=True)
    organization = OrganizationFactory()
    theme, sdg = ThemeFactory(), SDGFactory(number=5)
    return [
        reverse("api-v1:case-detail", args=[case.slug]),
        reverse("api-v1:document-detail", args=[document.pk]),
        reverse("api-v1:event-detail", args=[event.slug]),
        reverse("api-v1:country-detail", args=[case.country.iso3]),
        reverse("api-v1:organization-detail", args=[organization.slug]),
        reverse("api-v1:theme-detail", args=[theme.slug]),
        reverse("api-v1:sdg-detail", args=[sdg.number]),
    ]


def test_every_detail_has_an_etag_and_answers_304_to_a_client_that_has_it():
    client = client_for()
    for url in detail_urls():
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["ETag"], url
        again = client.get(url, HTTP_IF_NONE_MATCH=response["ETag"])
        assert again.status_code == 304, url
        assert again.content == b""


# Mirrors ------------------------------------------------------------------------------------


class Mirror:
    """A member system's copy of one list, kept only from changes and tombstones."""

    def __init__(self, client, list_name, key, kind, reasons):
        self.client, self.key, self.kind, self.reasons = client, key, kind, reasons
        self.url = reverse(f"api-v1:{list_name}")
        self.items = {}
        self.since = "2000-01-01T00:00:00Z"
        self.tombstones_since = "2000-01-01T00:00:00Z"

    def sync(self):
        for item in read_all(self.client, self.url, {"updated_since": self.since}):
            self.items[str(item[self.key])] = item
            self.since = max(self.since, item["updated_at"], key=_moment)
        for tombstone in read_all(
            self.client,
            reverse("api-v1:deleted-list"),
            {"updated_since": self.tombstones_since, "kind": self.kind},
        ):
            if tombstone["reason"] in self.reasons:
                self.items.pop(tombstone["key"], None)
            self.tombstones_since = max(self.tombstones_since, tombstone["removed_at"], key=_moment)

    def keys(self):
        return set(self.items)


def _moment(text):
    return datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))


class World:
    """Cases and documents of two countries, changed through the services."""

    def __init__(self):
        self.editor = EditorFactory()
        self.focal_point = FocalPointFactory(country=CountryFactory(iso3="AAA"))
        CountryFactory(iso3="BBB")
        self.n = 0

    def cases(self, *statuses):
        return list(CaseStudy.objects.filter(status__in=statuses).order_by("pk"))

    def run(self, operation, pick):
        fp, editor = self.focal_point.user, self.editor
        self.n += 1
        match operation:
            case "draft":
                create_case(user=fp, data={"title": f"Case {self.n}", "summary": "s", "year": 2024})
            case "publish":
                drafts = self.cases("draft")
                if drafts:
                    case = drafts[pick % len(drafts)]
                    case = submit_case(case=case, user=fp)
                    publish_case(case=case, editor=editor)
            case "edit":
                cases = self.cases("draft", "published")
                if cases:
                    case = cases[pick % len(cases)]
                    update_case(
                        case=case,
                        user=editor,
                        data={"title": f"Edited {self.n}"},
                        expected_version=case.version,
                    )
            case "archive":
                published = self.cases("published")
                if published:
                    archive_case(case=published[pick % len(published)], editor=editor)
            case "delete":
                drafts = self.cases("draft")
                if drafts:
                    case = drafts[pick % len(drafts)]
                    delete_case(case=case, user=fp, expected_version=case.version)
            case "attach":
                cases = self.cases("draft", "published", "archived")
                if cases:
                    DocumentFactory(case=cases[pick % len(cases)], title=f"Slides {self.n}")
            case "detach":
                documents = list(Document.objects.order_by("pk"))
                if documents:
                    delete_document(document=documents[pick % len(documents)], user=editor)


OPERATIONS = ["draft", "publish", "edit", "archive", "delete", "attach", "detach", "sync"]


def check_mirrors(steps):
    cache.clear()  # the throttles count every example's requests otherwise
    with transaction.atomic():
        world = World()
        anyone = client_for()
        focal = client_for(world.focal_point.user)
        mirrors = [
            Mirror(anyone, "case-list", "slug", "case", {"deleted", "withdrawn"}),
            Mirror(anyone, "document-list", "id", "document", {"deleted", "withdrawn"}),
            Mirror(focal, "workspace-case-list", "slug", "case", {"deleted"}),
            # A focal point goes on seeing its countries' archived cases and their documents.
            Mirror(focal, "document-list", "id", "document", {"deleted"}),
        ]
        for operation, pick in steps:
            if operation == "sync":
                for mirror in mirrors:
                    mirror.sync()
            else:
                # As after a request: the search index follows on commit.
                with TestCase.captureOnCommitCallbacks(execute=True):
                    world.run(operation, pick)
        for mirror in mirrors:
            mirror.sync()
        public_cases = {h["case"]["slug"] for h in read_all(anyone, reverse("api-v1:case-list"))}
        assert mirrors[0].keys() == public_cases
        assert mirrors[1].keys() == {
            str(d["id"]) for d in read_all(anyone, reverse("api-v1:document-list"))
        }
        assert mirrors[2].keys() == {
            c["slug"] for c in read_all(focal, reverse("api-v1:workspace-case-list"))
        }
        assert mirrors[3].keys() == {
            str(d["id"]) for d in read_all(focal, reverse("api-v1:document-list"))
        }
        # And the mirrored items are the current ones, not earlier versions.
        titles = {c.slug: c.title for c in CaseStudy.objects.all()}
        assert all(item["title"] == titles[slug] for slug, item in mirrors[0].items.items())
        transaction.set_rollback(True)


@settings(
    max_examples=100,
    derandomize=True,
    deadline=None,
    database=None,
    phases=[Phase.explicit, Phase.generate, Phase.shrink],
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    steps=st.lists(
        st.tuples(st.sampled_from(OPERATIONS), st.integers(min_value=0, max_value=9)),
        max_size=14,
    )
)
def test_mirrors_built_from_changes_and_tombstones_equal_the_full_listings(steps):
    note(f"check_mirrors({steps!r})")
    check_mirrors(steps)


def test_a_mirror_follows_a_case_from_draft_to_publication_to_archive():
    check_mirrors(
        [
            ("draft", 0),
            ("attach", 0),
            ("sync", 0),
            ("publish", 0),
            ("sync", 0),
            ("edit", 0),
            ("attach", 0),
            ("sync", 0),
            ("archive", 0),
            ("draft", 0),
            ("delete", 0),
        ]
    )


# A focal point's own cases, downloaded ----------------------------------------------------


@pytest.mark.parametrize("surface", ["api", "workspace"])
def test_a_focal_point_downloads_its_countrys_cases_in_every_status_and_no_others(surface):
    import csv
    import io
    import json

    focal_point = FocalPointFactory()
    draft = CaseStudyFactory(country=focal_point.country, status="draft", title="Own draft")
    submitted = CaseStudyFactory(country=focal_point.country, submitted=True)
    CaseStudyFactory(status="draft", title="Another country's draft")
    client = client_for(focal_point.user)
    if surface == "api":
        base = reverse("api-v1:workspace-case-download", kwargs={"suffix": "csv"})
    else:
        client.force_login(focal_point.user)
        base = reverse("workspace:cases-download", args=["csv"])
    response = client.get(base)
    assert response.status_code == 200
    assert response["X-Total-Count"] == "2"
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert {(r["slug"], r["status"]) for r in rows} == {
        (draft.slug, "draft"),
        (submitted.slug, "submitted"),
    }
    response = client.get(base.replace(".csv", ".json"))
    body = json.loads(b"".join(response.streaming_content))
    assert body["complete"] is True and body["count"] == 2
    assert {r["title"] for r in body["results"]} >= {"Own draft"}


def test_the_download_of_own_cases_needs_a_signed_in_focal_point():
    url = reverse("api-v1:workspace-case-download", kwargs={"suffix": "csv"})
    assert client_for().get(url).status_code == 401
    response = APIClient().get(reverse("workspace:cases-download", args=["csv"]))
    assert response.status_code == 302  # to sign in
