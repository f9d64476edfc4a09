"""Downloading documents: who may, and the headers that keep browsers safe."""

import pytest
from django.urls import reverse

from paks.models import Document
from tests.factories import (
    CaseStudyFactory,
    DocumentFactory,
    EditorFactory,
    FocalPointFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def _url(document):
    return reverse("paks:document-download", args=[document.pk])


def test_published_pdf_is_served_inline_with_safe_headers_and_counted(client):
    document = DocumentFactory(
        case=CaseStudyFactory(published=True), original_filename="Slides 2019.pdf", sha256="ab" * 32
    )
    response = client.get(_url(document))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4\n%%EOF\n"
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("inline;")
    assert "Slides 2019.pdf" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"].startswith("default-src 'none'")
    assert response["ETag"] == f'"{"ab" * 32}"'
    document.refresh_from_db()
    assert document.download_count == 1


def test_office_files_are_always_downloaded_not_displayed(client):
    document = DocumentFactory(
        case=CaseStudyFactory(published=True),
        media_type="application/vnd.openxmlformats-officedocument.presentationml.presentation",
        original_filename="deck.pptx",
    )
    response = client.get(_url(document))
    assert response["Content-Disposition"].startswith("attachment;")


def test_a_drafts_document_is_hidden_from_the_public_and_other_countries(client):
    document = DocumentFactory(case=CaseStudyFactory())
    assert client.get(_url(document)).status_code == 404
    client.force_login(FocalPointFactory().user)
    assert client.get(_url(document)).status_code == 404
    client.force_login(UserFactory())
    assert client.get(_url(document)).status_code == 404
    assert Document.objects.get(pk=document.pk).download_count == 0


def test_a_drafts_document_reaches_its_countrys_focal_point_and_editors(client):
    case = CaseStudyFactory()
    document = DocumentFactory(case=case)
    client.force_login(FocalPointFactory(country=case.country).user)
    response = client.get(_url(document))
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    client.force_login(EditorFactory())
    assert client.get(_url(document)).status_code == 200


def test_unknown_document_is_404(client):
    assert client.get(reverse("paks:document-download", args=[999])).status_code == 404


BODY = b"%PDF-1.4\n%%EOF\n"  # the factory's file, 15 bytes


@pytest.mark.parametrize(
    ("header", "content", "content_range"),
    [
        ("bytes=0-3", BODY[:4], "bytes 0-3/15"),
        ("bytes=9-", BODY[9:], "bytes 9-14/15"),
        ("bytes=-6", BODY[-6:], "bytes 9-14/15"),
        ("bytes=10-999", BODY[10:], "bytes 10-14/15"),
    ],
)
def test_a_byte_range_is_served_as_206(client, header, content, content_range):
    document = DocumentFactory(case=CaseStudyFactory(published=True), sha256="cd" * 32)
    response = client.get(_url(document), HTTP_RANGE=header)
    assert response.status_code == 206
    assert b"".join(response.streaming_content) == content
    assert response["Content-Range"] == content_range
    assert response["Content-Length"] == str(len(content))
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("inline;")


def test_resumed_pieces_count_once_and_odd_ranges_are_handled(client):
    document = DocumentFactory(case=CaseStudyFactory(published=True), sha256="cd" * 32)
    url = _url(document)
    client.get(url, HTTP_RANGE="bytes=0-3")
    client.get(url, HTTP_RANGE="bytes=4-")
    document.refresh_from_db()
    assert document.download_count == 1
    unsatisfiable = client.get(url, HTTP_RANGE="bytes=99-")
    assert unsatisfiable.status_code == 416
    assert unsatisfiable["Content-Range"] == "bytes */15"
    several = client.get(url, HTTP_RANGE="bytes=0-1,4-5")
    assert several.status_code == 200 and b"".join(several.streaming_content) == BODY
    stale = client.get(url, HTTP_RANGE="bytes=0-3", HTTP_IF_RANGE='"old"')
    assert stale.status_code == 200
    assert client.get(url)["Accept-Ranges"] == "bytes"


def test_an_unchanged_file_answers_304_to_its_etag(client):
    document = DocumentFactory(case=CaseStudyFactory(published=True), sha256="ef" * 32)
    response = client.get(_url(document), HTTP_IF_NONE_MATCH=f'"{"ef" * 32}"')
    assert response.status_code == 304
    assert response["ETag"] == f'"{"ef" * 32}"'
