"""Feeds, sitemap and robots.txt: what machines read about the public site."""

import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse

from tests.factories import CaseStudyFactory, EventFactory

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


def test_sitemap_lists_public_pages_and_no_drafts(client):
    case = CaseStudyFactory(published=True)
    draft = CaseStudyFactory()
    event = EventFactory()
    hidden = EventFactory(is_public=False)
    body = client.get(reverse("sitemap")).content.decode()
    assert f"http://testserver{case.get_absolute_url()}" in body
    assert f"http://testserver{event.get_absolute_url()}" in body
    assert draft.get_absolute_url() not in body
    assert hidden.get_absolute_url() not in body
    assert f"http://testserver{case.country.get_absolute_url()}" in body


def test_robots_txt_points_to_the_sitemap_and_keeps_crawlers_out_of_the_admin(client):
    response = client.get("/robots.txt")
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    body = response.content.decode()
    assert "Disallow: /admin/" in body
    assert "Sitemap: http://testserver/sitemap.xml" in body


def test_pages_announce_their_feeds_and_canonical_address(client):
    html = client.get(reverse("paks:home")).content.decode()
    assert '<link rel="canonical" href="http://testserver/">' in html
    assert f'href="{reverse("feed-cases-atom")}"' in html
