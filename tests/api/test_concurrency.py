"""Two clients update the same case at the same moment with the same ETag: one wins, one 412."""

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
