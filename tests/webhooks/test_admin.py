"""The admin: endpoints, the delivery log, "send a test ping" and "retry now"."""

import pytest
from django.urls import reverse

from paks.webhooks.models import Delivery
from tests.factories import EditorFactory
from tests.webhooks.conftest import endpoint_for

pytestmark = pytest.mark.django_db


def action(client, model, name, rows):
    return client.post(
        reverse(f"admin:webhooks_{model}_changelist"),
        {"action": name, "_selected_action": [row.pk for row in rows]},
        follow=True,
    )


def test_send_test_pings_the_selected_endpoint_and_says_how_it_went(client, receiver):
    editor = EditorFactory()
    endpoint = endpoint_for(editor, receiver)
    client.force_login(editor)
    response = action(client, "endpoint", "send_test_ping", [endpoint])
    assert f"Test ping to {receiver.url}: answered 200." in response.content.decode()
    assert len(receiver.requests) == 1
    assert receiver.requests[0][0]["PAKS-Webhook-Id"] == str(Delivery.objects.get().event_id)
    receiver.fail_first = 5
    response = action(client, "endpoint", "send_test_ping", [endpoint])
    assert f"Test ping to {receiver.url} failed: HTTP 500" in response.content.decode()


def test_retry_now_sends_a_failed_delivery_again(
    client, immediate, receiver, django_capture_on_commit_callbacks
):
    editor = EditorFactory()
    endpoint = endpoint_for(editor, receiver)
    failed = Delivery.objects.create(
        endpoint=endpoint,
        event="case.published",
        payload={"id": "x", "event": "case.published"},
        status=Delivery.Status.FAILED,
        attempts=6,
    )
    client.force_login(editor)
    with django_capture_on_commit_callbacks(execute=True):
        response = action(client, "delivery", "send_again", [failed])
    assert "1 deliveries queued again" in response.content.decode()
    failed.refresh_from_db()
    assert (failed.status, failed.attempts, len(receiver.requests)) == ("succeeded", 7, 1)


def test_editors_read_the_endpoints_and_the_log_but_only_owners_see_a_secret(client, receiver):
    owner, other = EditorFactory(), EditorFactory()
    endpoint = endpoint_for(owner, receiver)
    Delivery.objects.create(endpoint=endpoint, event="ping", payload={})
    client.force_login(other)
    for name in ("endpoint", "delivery"):
        assert client.get(reverse(f"admin:webhooks_{name}_changelist")).status_code == 200
    page = client.get(reverse("admin:webhooks_endpoint_change", args=[endpoint.pk]))
    assert page.status_code == 200
    assert endpoint.secret not in page.content.decode()
    assert "1 deliveries" in page.content.decode()
    log = reverse("admin:webhooks_delivery_changelist") + f"?endpoint__id__exact={endpoint.pk}"
    assert log in page.content.decode().replace("&amp;", "&")
    assert client.get(log).status_code == 200
    client.force_login(owner)
    page = client.get(reverse("admin:webhooks_endpoint_change", args=[endpoint.pk]))
    assert endpoint.secret in page.content.decode()


def test_an_editor_adds_an_endpoint_in_the_admin_and_bad_urls_are_refused(
    client, receiver, settings
):
    editor = EditorFactory()
    client.force_login(editor)
    add = reverse("admin:webhooks_endpoint_add")
    form = {"owner": editor.pk, "events": ["case.published", "event.published"], "active": "on"}
    response = client.post(add, {**form, "url": receiver.url})
    assert response.status_code == 302
    endpoint = editor.webhook_endpoints.get()
    assert (endpoint.url, endpoint.events) == (receiver.url, ["case.published", "event.published"])
    settings.PAKS_WEBHOOKS_ALLOW_HTTP = False
    response = client.post(add, {**form, "url": "https://192.168.1.10/hooks"})
    assert response.status_code == 200
    assert "a private or local address" in response.content.decode()
    assert editor.webhook_endpoints.count() == 1
