"""What every kind of response carries (a Content-Security-Policy without inline code, a
Permissions-Policy, compression), and the limits of the public search."""

import base64
import gzip
import hashlib
import re
from html.parser import HTMLParser

import pytest
from django.conf import settings
from django.urls import reverse

from tests.factories import CaseStudyFactory, EditorFactory, SDGFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def pages():
    case = CaseStudyFactory(published=True)
    return {
        "home": reverse("paks:home"),
        "case list": reverse("paks:case-list"),
        "case": case.get_absolute_url(),
        "admin sign-in": reverse("admin:login"),
        "API list": reverse("api-v1:case-list"),
        "API docs": reverse("api-v1:docs"),
        "SDGs": reverse("paks:sdg-list"),
        "SDG": SDGFactory(number=9).get_absolute_url(),
    }


class InlineCode(HTMLParser):
    """Scripts and styles written into the page, and style attributes, without a nonce."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        names = dict(attrs)
        if tag == "script" and names.get("type") not in (None, "", "text/javascript", "module"):
            return  # a data block (JSON-LD), never run, so outside the policy
        if tag in ("script", "style") and "src" not in names and "nonce" not in names:
            self.found.append(f"<{tag}> without a nonce")
        if "style" in names:
            self.found.append(f"style attribute on <{tag}>")


def test_every_page_type_has_a_strict_csp_and_no_inline_code_without_its_nonce(client, pages):
    editor = EditorFactory()
    admin_pages = {
        "admin index": reverse("admin:index"),
        "admin case list": reverse("admin:paks_casestudy_changelist"),
        "admin case": reverse("admin:paks_casestudy_change", args=[CaseStudyFactory().pk]),
        "admin SDGs": reverse("admin:taxonomy_sdg_changelist"),
    }
    for name, url in [*pages.items(), *admin_pages.items(), ("not found", "/no-such-page/")]:
        if name == "admin index":
            client.force_login(editor)
        response = client.get(url)
        assert response.status_code in (200, 404), name
        policy = response["Content-Security-Policy"]
        assert "unsafe-inline" not in policy and "unsafe-eval" not in policy, name
        assert "default-src 'self'" in policy and "frame-ancestors 'none'" in policy, name
        assert "camera=()" in response["Permissions-Policy"], name
        if response["Content-Type"].startswith("text/html"):
            parser = InlineCode()
            parser.feed(response.content.decode())
            assert parser.found == [], (name, parser.found)
            nonce = re.search(r"'nonce-([^']+)'", policy)
            given = re.findall(r'<(?:script|style)[^>]* nonce="([^"]+)"', response.content.decode())
            assert all(nonce and value == nonce.group(1) for value in given), name


def test_the_bare_error_pages_style_is_allowed_by_its_hash():
    page = (settings.BASE_DIR / "templates" / "500.html").read_text()
    css = re.search(r"<style>(.*?)</style>", page, re.S).group(1)
    digest = base64.b64encode(hashlib.sha256(css.encode()).digest()).decode()
    assert f"'sha256-{digest}'" == settings.ERROR_PAGE_STYLE


def test_pages_and_json_are_compressed_for_clients_that_accept_it(client, pages):
    for name, url in pages.items():
        response = client.get(url, HTTP_ACCEPT_ENCODING="gzip, br")
        assert response.status_code == 200, name
        assert response["Content-Encoding"] == "gzip", name
        assert "Accept-Encoding" in response["Vary"], name
        assert gzip.decompress(response.content), name
        plain = client.get(url)
        assert not plain.has_header("Content-Encoding"), name


def test_the_html_search_is_rate_limited_per_address(client, settings):
    settings.PAKS_SEARCH_RATE = "3/minute"
    url = reverse("paks:case-list")
    codes = [client.get(url, {"q": "x"}).status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    refused = client.get(url)
    assert int(refused["Retry-After"]) >= 1
    assert b"Too many searches" in refused.content
    other = client.get(url, REMOTE_ADDR="192.0.2.7")
    assert other.status_code == 200
