"""Every public page type stays light for slow links: HTML + CSS + JS under 60 KB gzipped."""

import gzip
import re

import pytest
from django.contrib.staticfiles import finders
from django.core.management import call_command

from countries.models import Organization
from events.models import Event
from paks.models import CaseStudy
from taxonomy.models import SDG, Theme

pytestmark = pytest.mark.django_db

BUDGET = 60 * 1024


@pytest.fixture
def demo():
    call_command("load_reference", verbosity=0)
    call_command("load_demo", verbosity=0)


def _page_types():
    case = CaseStudy.objects.published().filter(documents__isnull=False).first()
    return {
        "home": "/",
        "case list": "/cases/",
        "case detail": case.get_absolute_url(),
        "event list": "/events/?when=past",
        "event detail": Event.objects.public().first().get_absolute_url(),
        "country list": "/countries/",
        "country detail": "/countries/bgd/",
        "organization": Organization.objects.first().get_absolute_url(),
        "theme list": "/themes/",
        "theme detail": Theme.objects.first().get_absolute_url(),
        "SDG list": "/sdgs/",
        "SDG detail": SDG.objects.get(number=16).get_absolute_url(),
        "about": "/about/",
    }


def _assets(html: str) -> list[str]:
    """Stylesheets and scripts the page loads; all are local static files."""
    return re.findall(r'<(?:link rel="stylesheet"|script)[^>]*(?:href|src)="/static/([^"]+)"', html)


def test_each_page_type_with_its_css_and_js_is_under_60_kb_compressed(client, demo):
    for name, url in _page_types().items():
        html = client.get(url).content
        total = len(gzip.compress(html))
        for asset in _assets(html.decode()):
            with open(finders.find(asset), "rb") as f:
                total += len(gzip.compress(f.read()))
        assert total < BUDGET, f"{name}: {total} bytes compressed"


def test_pages_load_nothing_from_other_sites(client, demo):
    for name, url in _page_types().items():
        html = client.get(url).content.decode()
        # Links people follow are fine; nothing the browser fetches by itself may be remote.
        loaded = re.findall(
            r'<(?:link|script|img|iframe)[^>]+(?:src|href)="(https?://[^"]+)"', html
        )
        assert [u for u in loaded if not u.startswith("http://testserver/")] == [], name
