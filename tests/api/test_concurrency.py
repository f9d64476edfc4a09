"""Writes racing each other on PostgreSQL: two updates with one ETag (one wins, one 412), and
an upload against a submit (in before it, or refused after it)."""

import threading

import pytest
from django.db import connection, connections
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.services import issue_token
from paks.models import CaseStudy
from tests.factories import CaseStudyFactory, FocalPointFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs row locks across connections (PostgreSQL)"
)
def test_simultaneous_updates_with_one_etag_never_lose_an_update():
    first = FocalPointFactory()
    second = FocalPointFactory(country=first.country, organization=first.organization)
    case = CaseStudyFactory(country=first.country)
    url = reverse("api-v1:case-detail", args=[case.slug])
    keys = [issue_token(user=fp.user, name="t")[1] for fp in (first, second)]
    etag = f'"case-{case.pk}-v1"'
    start = threading.Barrier(2)
    statuses: dict[str, int] = {}

    def update(key: str, summary: str) -> None:
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
        try:
            start.wait(timeout=10)
            response = client.patch(url, {"summary": summary}, format="json", HTTP_IF_MATCH=etag)
            statuses[summary] = response.status_code
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=update, args=(key, summary))
        for key, summary in zip(keys, ("from the first", "from the second"), strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(statuses.values()) == [200, 412]
    winner = next(summary for summary, status in statuses.items() if status == 200)
    case = CaseStudy.objects.get(pk=case.pk)
    assert case.summary == winner and case.version == 2


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs row locks across connections (PostgreSQL)"
)
def test_an_upload_racing_a_submit_is_either_in_before_it_or_refused_after_it(settings, tmp_path):
    """The upload locks the case and checks it is still editable; the submit locks it too.
    Whoever comes second sees the other's outcome: never a document added to a submitted
    case, never a file without its row."""
    from pathlib import Path

    from django.core.files.uploadedfile import SimpleUploadedFile

    from paks.models import Document

    settings.MEDIA_ROOT = tmp_path
    sample = Path(__file__).resolve().parents[2] / "paks" / "demo_files" / "example.pdf"
    focal = FocalPointFactory()
    key = issue_token(user=focal.user, name="t")[1]
    outcomes = []
    for round_ in range(5):
        case = CaseStudyFactory(country=focal.country, slug=f"race-{round_}")
        start = threading.Barrier(2)
        statuses: dict[str, int] = {}

        def send(action: str, case=case, start=start, statuses=statuses, n=round_) -> None:
            client = APIClient()
            client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
            try:
                start.wait(timeout=10)
                if action == "upload":
                    body = sample.read_bytes() + str(n).encode()
                    url = reverse("api-v1:case-documents", args=[case.slug])
                    response = client.post(url, {"file": SimpleUploadedFile("s.pdf", body)})
                else:
                    response = client.post(reverse("api-v1:case-submit", args=[case.slug]))
                statuses[action] = response.status_code
            finally:
                connections.close_all()

        threads = [threading.Thread(target=send, args=(a,)) for a in ("upload", "submit")]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        assert statuses["submit"] == 200
        stored = Document.objects.filter(case=case).count()
        assert (statuses["upload"], stored) in ((201, 1), (409, 0)), statuses
        outcomes.append(statuses["upload"])
    files = list(tmp_path.rglob("*.pdf"))
    assert len(files) == outcomes.count(201)  # no file left by a refused upload
