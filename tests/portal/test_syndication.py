"""Feeds, sitemap and robots.txt: what machines read about the public site."""

import datetime
import xml.etree.ElementTree as ET

import icalendar
import pytest
from django.urls import reverse
from django.utils import timezone

from events import feeds as events_feeds
from paks.feeds import FEED_SIZE
from paks.services import archive_case, publish_case
from paks.sitemaps import CaseSitemap
from tests.factories import (
    CaseStudyFactory,
    EditorFactory,
    EventFactory,
    SDGFactory,
    ThemeFactory,
)

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


def test_case_feeds_list_published_cases_only(client):
    case = CaseStudyFactory(published=True, title="Digital centres")
    CaseStudyFactory(title="Draft practice")
    atom = client.get(reverse("feed-cases-atom"))
    assert atom["Content-Type"].startswith("application/atom+xml")
    entries = ET.fromstring(atom.content).findall(f"{ATOM}entry")
    assert [e.find(f"{ATOM}title").text for e in entries] == [
        f"Digital centres ({case.country.name})"
    ]
    rss = client.get(reverse("feed-cases-rss"))
    assert rss["Content-Type"].startswith("application/rss+xml")
    assert b"Digital centres" in rss.content
    assert b"Draft practice" not in rss.content


def test_event_feeds_list_public_events_only(client):
    EventFactory(title="Open workshop")
    EventFactory(title="Closed retreat", is_public=False)
    for name in ("feed-events-atom", "feed-events-rss"):
        body = client.get(reverse(name)).content
        assert b"Open workshop" in body
        assert b"Closed retreat" not in body


SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def sitemap_locations(client, url):
    """The addresses a sitemap (or a sitemap index) lists."""
    response = client.get(url)
    assert response.status_code == 200, url
    assert response["Content-Type"] == "application/xml"
    return [loc.text for loc in ET.fromstring(response.content).iter(f"{SITEMAP}loc")]


def everything_in_the_sitemap(client):
    return {
        page
        for sitemap in sitemap_locations(client, reverse("sitemap"))
        for page in sitemap_locations(client, sitemap.removeprefix("http://testserver"))
    }


def test_sitemap_lists_public_pages_and_no_drafts(client):
    case = CaseStudyFactory(published=True)
    draft = CaseStudyFactory()
    event = EventFactory()
    hidden = EventFactory(is_public=False)
    theme, sdg = ThemeFactory(), SDGFactory()
    pages = everything_in_the_sitemap(client)
    for row in (case, event, case.country, case.organization, theme, sdg):
        assert f"http://testserver{row.get_absolute_url()}" in pages
    assert f"http://testserver{draft.get_absolute_url()}" not in pages
    assert f"http://testserver{hidden.get_absolute_url()}" not in pages
    assert "http://testserver/" in pages


def test_sitemap_is_an_index_of_paginated_sections(client, monkeypatch):
    monkeypatch.setattr(CaseSitemap, "limit", 2)
    cases = CaseStudyFactory.create_batch(3, published=True)
    expected = []
    for suffix in ("", "-ar", "-zh-hans", "-fr", "-ru", "-es"):
        expected += [f"http://testserver/sitemap-static{suffix}.xml"]
        expected += [f"http://testserver/sitemap-cases{suffix}.xml"]
        expected += [f"http://testserver/sitemap-cases{suffix}.xml?p=2"]
        expected += [
            f"http://testserver/sitemap-{section}{suffix}.xml"
            for section in ("events", "countries", "organizations", "themes", "sdgs")
        ]
    assert sitemap_locations(client, reverse("sitemap")) == expected
    first = sitemap_locations(client, "/sitemap-cases.xml")
    second = sitemap_locations(client, "/sitemap-cases.xml?p=2")
    assert first + second == [f"http://testserver{c.get_absolute_url()}" for c in cases]
    assert client.get("/sitemap-cases.xml?p=3").status_code == 404
    assert client.get("/sitemap-taxonomy.xml").status_code == 404


XHTML = "{http://www.w3.org/1999/xhtml}"


def test_each_language_has_its_sitemap_and_every_address_names_its_six_versions(client):
    case = CaseStudyFactory(published=True)
    english = case.get_absolute_url()
    french = sitemap_locations(client, "/sitemap-cases-fr.xml")
    assert french == [f"http://testserver/fr{english}"]
    url = ET.fromstring(client.get("/sitemap-cases-fr.xml").content).find(f"{SITEMAP}url")
    versions = {link.get("hreflang"): link.get("href") for link in url.iter(f"{XHTML}link")}
    assert versions == {
        "ar": f"http://testserver/ar{english}",
        "zh-hans": f"http://testserver/zh-hans{english}",
        "en": f"http://testserver{english}",
        "fr": f"http://testserver/fr{english}",
        "ru": f"http://testserver/ru{english}",
        "es": f"http://testserver/es{english}",
        "x-default": f"http://testserver{english}",
    }
    assert f"http://testserver/ar{english}" in everything_in_the_sitemap(client)


def test_the_cached_sitemap_follows_a_publication_and_an_archiving_at_once(
    client, django_capture_on_commit_callbacks
):
    editor = EditorFactory()
    case = CaseStudyFactory(submitted=True)
    url = f"http://testserver{case.get_absolute_url()}"
    assert url not in sitemap_locations(client, "/sitemap-cases.xml")
    with django_capture_on_commit_callbacks(execute=True):
        publish_case(case=case, editor=editor)
    assert url in sitemap_locations(client, "/sitemap-cases.xml")
    with django_capture_on_commit_callbacks(execute=True):
        archive_case(case=case, editor=editor)
    assert url not in sitemap_locations(client, "/sitemap-cases.xml")


def test_feeds_carry_the_latest_entries_only(client):
    CaseStudyFactory.create_batch(FEED_SIZE + 2, published=True)
    entries = ET.fromstring(client.get(reverse("feed-cases-atom")).content).findall(f"{ATOM}entry")
    assert len(entries) == FEED_SIZE
    EventFactory.create_batch(FEED_SIZE + 2)
    assert client.get(reverse("feed-events-rss")).content.count(b"<item>") == FEED_SIZE


def _summaries(response):
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = icalendar.Calendar.from_ical(response.content)
    return {str(e["summary"]) for e in calendar.walk("VEVENT")}


def test_the_calendar_holds_a_window_of_events_and_each_year_a_calendar_of_its_own(client):
    now = timezone.now()
    for title, days in [
        ("Two years ago", -730),
        ("Half a year ago", -180),
        ("Next month", 30),
        ("In a year", 365),
        ("In three years", 3 * 365),
    ]:
        EventFactory(title=title, start=now + datetime.timedelta(days=days))
    EventFactory(title="Private", start=now, is_public=False)
    assert _summaries(client.get(reverse("events:ical-all"))) == {
        "Half a year ago",
        "Next month",
        "In a year",
    }
    year = (now - datetime.timedelta(days=730)).year
    in_that_year = _summaries(client.get(reverse("events:ical-year", args=[year])))
    assert "Two years ago" in in_that_year and "Half a year ago" not in in_that_year
    assert client.get("/events/calendar/1800.ics").status_code == 404


def test_the_calendar_is_capped(client, monkeypatch):
    monkeypatch.setattr(events_feeds, "CALENDAR_LIMIT", 2)
    EventFactory.create_batch(3)
    assert len(_summaries(client.get(reverse("events:ical-all")))) == 2


def test_robots_txt_points_to_the_sitemap_and_keeps_crawlers_out_of_the_admin(client):
    response = client.get("/robots.txt")
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    body = response.content.decode()
    assert "Disallow: /admin/" in body
    for prefix in ("", "/ar", "/zh-hans", "/fr", "/ru", "/es"):
        assert f"Disallow: {prefix}/workspace/" in body
        assert f"Disallow: {prefix}/account/" in body
    assert "Sitemap: http://testserver/sitemap.xml" in body


def test_pages_announce_their_feeds_and_canonical_address(client):
    html = client.get(reverse("paks:home")).content.decode()
    assert '<link rel="canonical" href="http://testserver/">' in html
    assert f'href="{reverse("feed-cases-atom")}"' in html


def test_the_cached_sitemap_names_the_host_it_was_asked_on(client, settings):
    settings.ALLOWED_HOSTS = ["paks.example", "mirror.example"]
    first = client.get(reverse("sitemap"), HTTP_HOST="paks.example").content
    second = client.get(reverse("sitemap"), HTTP_HOST="mirror.example").content
    assert b"http://paks.example/sitemap-cases.xml" in first
    assert b"http://mirror.example/sitemap-cases.xml" in second
