"""Editors and focal points manage their own webhook endpoints through the API."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from paks.webhooks.models import MAX_ENDPOINTS_PER_OWNER, Delivery, Endpoint
from tests.factories import CountryFactory, EditorFactory, FocalPointFactory, UserFactory
from tests.webhooks.conftest import endpoint_for

pytestmark = pytest.mark.django_db
LIST = reverse("api-v1:webhook-list")


def client_of(user=None):
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def detail(endpoint, action=""):
    name = f"api-v1:webhook-{action or 'detail'}"
    return reverse(name, kwargs={"pk": endpoint.pk})


def test_a_focal_point_registers_an_endpoint_and_sees_its_secret_once(receiver):
    focal_point = FocalPointFactory(country=CountryFactory(iso3="QBD")).user
    client = client_of(focal_point)
    response = client.post(LIST, {"url": receiver.url, "events": ["case.published"]}, format="json")
    assert response.status_code == 201, response.json()
    created = response.json()
    endpoint = Endpoint.objects.get()
    assert (endpoint.owner, endpoint.url, endpoint.events) == (
        focal_point,
        receiver.url,
        ["case.published"],
    )
    assert created["secret"] == endpoint.secret
    assert created["scope"] == "public items and those of QBD"
    listed = client.get(LIST).json()["results"]
    assert [row["id"] for row in listed] == [endpoint.pk]
    assert "secret" not in listed[0]


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("ftp://example.org/hook", "Enter an https:// URL."),
        ("http://example.org/hook", "Webhook URLs must use https://."),
        ("https://10.1.2.3/hook", "resolves to 10.1.2.3, a private or local address"),
        ("https://[::1]:8443/hook", "a private or local address"),
        ("https://user:secret@example.org/hook", "must not contain a user name or password"),
        ("https://localhost/hook", "a private or local address"),
        ("http://127.0.0.1:9000/hook", "Webhook URLs must use https://."),
    ],
)
def test_bad_urls_are_refused_with_a_reason(settings, url, message):
    settings.PAKS_WEBHOOKS_ALLOW_HTTP = False  # as in production
    response = client_of(EditorFactory()).post(
        LIST, {"url": url, "events": ["case.published"]}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["field"] == "url"
    assert message in response.json()["message"]
    assert not Endpoint.objects.exists()


@pytest.mark.parametrize(
    ("events", "message"),
    [
        ([], "Ensure this field has at least 1 elements."),
        (["case.deleted"], '"case.deleted" is not a valid choice.'),
        (["case.published", "case.published"], "Name each event once."),
    ],
)
def test_unknown_or_repeated_events_are_refused(receiver, events, message):
    response = client_of(EditorFactory()).post(
        LIST, {"url": receiver.url, "events": events}, format="json"
    )
    assert response.status_code == 400
    assert message in str(response.json())


def test_only_editors_and_focal_points_register_endpoints(receiver):
    body = {"url": receiver.url, "events": ["case.published"]}
    assert client_of().post(LIST, body, format="json").status_code == 401
    response = client_of(UserFactory()).post(LIST, body, format="json")
    assert response.status_code == 403
    assert "focal points and editors" in response.json()["message"]
    assert not Endpoint.objects.exists()


def test_an_owner_has_a_limited_number_of_endpoints(receiver):
    editor = EditorFactory()
    for _ in range(MAX_ENDPOINTS_PER_OWNER):
        endpoint_for(editor, receiver)
    response = client_of(editor).post(
        LIST, {"url": receiver.url, "events": ["case.published"]}, format="json"
    )
    assert response.status_code == 400
    assert Endpoint.objects.count() == MAX_ENDPOINTS_PER_OWNER


def test_another_persons_endpoints_do_not_exist_for_you(receiver):
    theirs = endpoint_for(EditorFactory(), receiver)
    client = client_of(FocalPointFactory().user)
    assert client.get(LIST).json()["results"] == []
    for method, url in [
        ("get", detail(theirs)),
        ("patch", detail(theirs)),
        ("delete", detail(theirs)),
        ("get", detail(theirs, "deliveries")),
        ("post", detail(theirs, "test")),
    ]:
        assert getattr(client, method)(url, {}, format="json").status_code == 404, (method, url)
    theirs.refresh_from_db()
    assert theirs.active and not Delivery.objects.exists() and receiver.requests == []


def test_an_owner_changes_turns_on_and_removes_an_endpoint(receiver):
    editor = EditorFactory()
    endpoint = endpoint_for(editor, receiver, active=False, consecutive_failures=5)
    client = client_of(editor)
    response = client.patch(
        detail(endpoint), {"active": True, "events": ["case.archived"]}, format="json"
    )
    assert response.status_code == 200
    endpoint.refresh_from_db()
    assert (endpoint.active, endpoint.consecutive_failures, endpoint.events) == (
        True,
        0,
        ["case.archived"],
    )
    assert client.delete(detail(endpoint)).status_code == 204
    assert not Endpoint.objects.exists()


def test_send_test_pings_the_endpoint_and_the_log_lists_it(receiver):
    editor = EditorFactory()
    endpoint = endpoint_for(editor, receiver)
    client = client_of(editor)
    response = client.post(detail(endpoint, "test"))
    assert response.status_code == 201
    assert (response.json()["status"], response.json()["response_code"]) == ("succeeded", 200)
    assert len(receiver.requests) == 1
    receiver.fail_first = 2
    client.post(detail(endpoint, "test"))
    log = client.get(detail(endpoint, "deliveries")).json()
    assert [(row["event"], row["status"], row["response_code"]) for row in log] == [
        ("ping", "failed", 500),
        ("ping", "succeeded", 200),
    ]
