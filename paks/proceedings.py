"""An event's proceedings as a PDF: the proceedings page's content, laid out by WeasyPrint
for paper, made on the first request after a change and then served from the cache.

The PDF is kept under a hash of the HTML it is made from (and of the thumbnails' stored
names, new for every thumbnail made): whatever changes what the proceedings say (the event,
a session, a contribution, a speaker, a document, a case's title) changes the HTML, so the
next request makes a new PDF, and nothing else does. The HTML is rendered without the
request, so it is the same for every visitor.

WeasyPrint fetches nothing from the network: its URL fetcher serves the site's own static
files and the thumbnails of the documents the proceedings list, read from storage, and
refuses every other address.
"""

from __future__ import annotations

import hashlib
import logging
import mimetypes
from collections.abc import Iterable, Mapping
from typing import Any
from urllib.parse import unquote, urljoin, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.cache import cache
from django.core.files.storage import default_storage
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

from paks.models import Document

log = logging.getLogger(__name__)

TEMPLATE = "events/proceedings_pdf.html"
# Part of every key: a release that lays the PDF out differently never serves an old one.
PDF_FORMAT = "proceedings-pdf-1"
# A PDF no one asked for in this long is dropped; a change makes a new key anyway.
PDF_SECONDS = 7 * 24 * 3600


class Refused(ValueError):
    """An address the PDF may not load (WeasyPrint leaves the resource out and goes on)."""


class SiteFetcher(URLFetcher):
    """Serves WeasyPrint the site's static files and the listed documents' thumbnails, from
    storage; refuses every other address, so making a PDF never opens a connection."""

    def __init__(self, *, base_url: str, thumbnails: Mapping[str, str]) -> None:
        super().__init__(allowed_protocols=())  # nothing through urllib, whatever happens
        self.static_url = urljoin(base_url, settings.STATIC_URL)
        self.thumbnails = dict(thumbnails)  # absolute address -> stored file name

    def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
        if url in self.thumbnails:
            with default_storage.open(self.thumbnails[url], "rb") as file:
                return URLFetcherResponse(url, file.read(), {"Content-Type": "image/jpeg"})
        if url.startswith(self.static_url) and not urlsplit(url).query:
            name = unquote(url[len(self.static_url) :])
            kind = mimetypes.guess_type(name)[0] or "application/octet-stream"
            return URLFetcherResponse(url, _static_file(name), {"Content-Type": kind})
        raise Refused(f"not loaded into a PDF: {url}")


def _static_file(name: str) -> bytes:
    """A static file as the site serves it: collected (by its hashed name in production), or
    with DEBUG on, from the app and project folders first, as WhiteNoise serves them then."""
    parts = name.split("/")
    if not name or name.startswith("/") or "\\" in name or ".." in parts or "" in parts:
        raise Refused(f"not a static file name: {name}")
    readers = [_collected, _found] if not settings.DEBUG else [_found, _collected]
    for read in readers:
        body = read(name)
        if body is not None:
            return body
    raise Refused(f"no such static file: {name}")


def _collected(name: str) -> bytes | None:
    if not staticfiles_storage.exists(name):
        return None
    with staticfiles_storage.open(name, "rb") as file:
        return bytes(file.read())


def _found(name: str) -> bytes | None:
    found = finders.find(name)
    if not isinstance(found, str):
        return None
    with open(found, "rb") as file:
        return file.read()


def render_pdf(html: str, *, base_url: str, fetcher: URLFetcher) -> bytes:
    """WeasyPrint at work: the one slow step, which the cache spares."""
    pdf = HTML(string=html, base_url=base_url, url_fetcher=fetcher).write_pdf()
    assert pdf is not None  # no target given: the PDF is returned
    return pdf


def pdf(request: HttpRequest, context: dict[str, Any], documents: Iterable[Document]) -> bytes:
    """The PDF of the proceedings in `context`, from the cache when it was made already.

    `documents` are those the proceedings list: the only ones whose thumbnails it loads."""
    html = render_to_string(TEMPLATE, context)
    base_url = request.build_absolute_uri("/")
    thumbnails = {
        request.build_absolute_uri(
            reverse("paks:document-thumbnail", args=[document.pk])
        ): document.thumbnail.name
        for document in documents
        if document.thumbnail.name
    }
    digest = hashlib.sha256()
    for part in (PDF_FORMAT, base_url, html, *sorted(thumbnails.values())):
        digest.update(part.encode())
        digest.update(b"\0")
    key = f"paks:proceedings-pdf:{digest.hexdigest()}"
    made: bytes | None = cache.get(key)
    if made is None:
        made = render_pdf(
            html, base_url=base_url, fetcher=SiteFetcher(base_url=base_url, thumbnails=thumbnails)
        )
        cache.set(key, made, timeout=PDF_SECONDS)
        log.info("Made the proceedings PDF of %s (%d bytes)", context["event"].slug, len(made))
    return made
