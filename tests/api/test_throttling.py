"""Request rates: each token has its own budget; anonymous readers one per address."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.services import issue_token
from paks.api.throttling import AnonymousRateThrottle as AnonRateThrottle
from paks.api.throttling import TokenRateThrottle
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
URL = reverse("api-v1:theme-list")


def with_token(key):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def test_each_token_has_its_own_budget(monkeypatch):
    monkeypatch.setattr(TokenRateThrottle, "THROTTLE_RATES", {"token": "3/minute"})
    user = UserFactory()
    busy = with_token(issue_token(user=user, name="busy")[1])
    other = with_token(issue_token(user=user, name="other")[1])
    assert [busy.get(URL).status_code for _ in range(4)] == [200, 200, 200, 429]
    refused = busy.get(URL)
    assert refused.json()["code"] == "throttled" and int(refused["Retry-After"]) > 0
    assert other.get(URL).status_code == 200


def test_anonymous_reads_are_limited_per_address(monkeypatch):
    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", {"anon": "2/minute"})
    here, there = APIClient(REMOTE_ADDR="192.0.2.1"), APIClient(REMOTE_ADDR="192.0.2.2")
    assert [here.get(URL).status_code for _ in range(3)] == [200, 200, 429]
    assert there.get(URL).status_code == 200
