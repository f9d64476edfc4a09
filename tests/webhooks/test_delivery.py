"""Events reach the endpoints that subscribed to them, once, signed, and again after a failure.

The receiver is a real HTTP server on loopback (conftest.py); the tasks run through the
immediate backend, or through the database queue and its worker where retries are waited for.
"""

import datetime
import hashlib
import hmac
import io
import json
import time
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from paks import webhooks
from paks.documents.accept import accept_document
from paks.services import archive_case, publish_case, update_case
from paks.webhooks.delivery import MAX_ATTEMPTS, deliver, prune, send_test
from paks.webhooks.models import DEACTIVATE_AFTER, Delivery, Endpoint
from tests.factories import (
    CaseStudyFactory,
    CountryFactory,
    DocumentFactory,
    EditorFactory,
    EventFactory,
    FocalPointFactory,
)
from tests.webhooks.conftest import endpoint_for

pytestmark = pytest.mark.django_db
SAMPLES = Path(__file__).resolve().parents[2] / "paks" / "demo_files"


def assert_signed(headers, body, secret):
    """What a receiver checks: the signature of `{timestamp}.{body}`, a recent timestamp, the
    id of the body in the header."""
    timestamp = headers["PAKS-Webhook-Timestamp"]
    expected = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    assert hmac.compare_digest(headers["PAKS-Webhook-Signature"], "v1=" + expected.hexdigest())
    assert abs(time.time() - int(timestamp)) < 300
    assert headers["Content-Type"] == "application/json"
    message = json.loads(body)
    assert headers["PAKS-Webhook-Id"] == message["id"]
    return message


def test_a_published_case_reaches_the_endpoint_once_signed(
    immediate, receiver, django_capture_on_commit_callbacks
):
    editor = EditorFactory()
    endpoint = endpoint_for(editor, receiver, events=["case.published", "case.archived"])
    case = CaseStudyFactory(submitted=True, country=CountryFactory(iso3="QBA"))
    with django_capture_on_commit_callbacks(execute=True):
        publish_case(case=case, editor=editor)
    assert len(receiver.requests) == 1
    message = assert_signed(*receiver.requests[0], endpoint.secret)
    assert message["event"] == "case.published"
    assert message["data"] == {
        "kind": "case",
        "url": f"http://127.0.0.1:8000/api/v1/cases/{case.slug}/",
        "slug": case.slug,
        "title": case.title,
        "country": "QBA",
        "status": "published",
    }
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.response_code) == ("succeeded", 1, 200)
    assert str(delivery.event_id) == message["id"]
    with django_capture_on_commit_callbacks(execute=True):
        archive_case(case=case, editor=editor)
    assert receiver.events() == ["case.published", "case.archived"]


def test_an_endpoint_hears_only_the_events_it_subscribed_to(
    immediate, receiver, django_capture_on_commit_callbacks
):
    editor = EditorFactory()
    endpoint_for(editor, receiver, events=["case.archived"])
    case = CaseStudyFactory(submitted=True)
    with django_capture_on_commit_callbacks(execute=True):
        publish_case(case=case, editor=editor)
    assert receiver.requests == []
    assert not Delivery.objects.exists()


def test_a_published_case_changed_is_announced_and_a_draft_changed_is_not(
    immediate, receiver, django_capture_on_commit_callbacks
):
    editor = EditorFactory()
    endpoint_for(editor, receiver, events=["case.updated"])
    published = CaseStudyFactory(published=True)
    draft = CaseStudyFactory()
    with django_capture_on_commit_callbacks(execute=True):
        for case in (draft, published):
            update_case(
                case=case, user=editor, data={"title": "Renamed"}, expected_version=case.version
            )
    assert receiver.events() == ["case.updated"]
    assert json.loads(receiver.requests[0][1])["data"]["slug"] == published.slug


def test_an_event_made_public_is_announced_once(
    immediate, receiver, django_capture_on_commit_callbacks
):
    endpoint_for(EditorFactory(), receiver, events=["event.published"])
    with django_capture_on_commit_callbacks(execute=True):
        hidden = EventFactory(is_public=False)
        EventFactory(is_public=True, slug="forum-2026")
    assert [json.loads(body)["data"]["slug"] for _, body in receiver.requests] == ["forum-2026"]
    with django_capture_on_commit_callbacks(execute=True):
        hidden.is_public = True
        hidden.save()
        hidden.title = "Renamed"
        hidden.save()  # already public: nothing new to announce
    assert receiver.events() == ["event.published", "event.published"]
    assert json.loads(receiver.requests[1][1])["data"]["slug"] == hidden.slug


def test_a_processed_document_is_announced(immediate, receiver, django_capture_on_commit_callbacks):
    editor = EditorFactory()
    endpoint_for(editor, receiver, events=["document.processed"])
    case = CaseStudyFactory(published=True)
    with django_capture_on_commit_callbacks(execute=True):
        document = accept_document(
            upload=SimpleUploadedFile("example.pdf", (SAMPLES / "example.pdf").read_bytes()),
            case=case,
            uploaded_by=editor,
        )
    data = json.loads(receiver.requests[0][1])["data"]
    assert receiver.events() == ["document.processed"]
    assert (data["kind"], data["id"], data["case"], data["status"]) == (
        "document",
        document.pk,
        case.slug,
        "ready",
    )


def test_a_focal_point_never_hears_of_another_countrys_drafts(
    immediate, receiver, django_capture_on_commit_callbacks
):
    ours, theirs = CountryFactory(), CountryFactory()
    focal_point = FocalPointFactory(country=ours).user
    editor = EditorFactory()
    events = ["case.published", "case.archived", "document.processed"]
    mine = endpoint_for(focal_point, receiver, events=events)
    editors = endpoint_for(editor, receiver, events=events)
    own_draft = CaseStudyFactory(country=ours)
    their_draft = CaseStudyFactory(country=theirs)
    their_submitted = CaseStudyFactory(country=theirs, submitted=True)
    with django_capture_on_commit_callbacks(execute=True):
        for case in (own_draft, their_draft):
            webhooks.emit(webhooks.DOCUMENT_PROCESSED, DocumentFactory(case=case))
        publish_case(case=their_submitted, editor=editor)  # public now: everyone hears
    with django_capture_on_commit_callbacks(execute=True):
        archive_case(case=their_submitted, editor=editor)  # withdrawn: the editors only
    heard = {
        (endpoint, delivery.payload["event"], delivery.payload["data"]["country"])
        for endpoint in (mine, editors)
        for delivery in endpoint.deliveries.all()
    }
    assert heard == {
        (mine, "document.processed", ours.iso3),
        (mine, "case.published", theirs.iso3),
        (editors, "document.processed", ours.iso3),
        (editors, "document.processed", theirs.iso3),
        (editors, "case.published", theirs.iso3),
        (editors, "case.archived", theirs.iso3),
    }
    assert len(receiver.requests) == 6


def test_a_failing_receiver_is_tried_again_until_the_delivery_fails_for_good(
    immediate, receiver, django_capture_on_commit_callbacks
):
    receiver.fail_first = 100
    editor = EditorFactory()
    endpoint = endpoint_for(editor, receiver)
    with django_capture_on_commit_callbacks(execute=True):
        publish_case(case=CaseStudyFactory(submitted=True), editor=editor)
    delivery = Delivery.objects.get()
    # The immediate backend cannot wait: the retry is left for its time.
    assert (delivery.status, delivery.attempts, delivery.response_code) == ("pending", 1, 500)
    assert delivery.error == "HTTP 500"
    assert delivery.next_attempt_at > timezone.now() + datetime.timedelta(seconds=50)
    for attempt in range(1, MAX_ATTEMPTS):
        deliver.call(delivery.pk, attempt)
    assert deliver.call(delivery.pk, MAX_ATTEMPTS) == "skipped"  # nothing more to try
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("failed", MAX_ATTEMPTS)
    assert len(receiver.requests) == MAX_ATTEMPTS
    assert len({headers["PAKS-Webhook-Id"] for headers, _ in receiver.requests}) == 1
    endpoint.refresh_from_db()
    assert (endpoint.consecutive_failures, endpoint.active) == (1, True)


def test_an_endpoint_failing_again_and_again_is_turned_off(immediate, receiver):
    receiver.fail_first = 100
    endpoint = endpoint_for(EditorFactory(), receiver)
    for _ in range(DEACTIVATE_AFTER):
        delivery = Delivery.objects.create(
            endpoint=endpoint, event="case.published", payload={}, attempts=MAX_ATTEMPTS - 1
        )
        deliver.call(delivery.pk, MAX_ATTEMPTS - 1)
    endpoint.refresh_from_db()
    assert (endpoint.active, endpoint.consecutive_failures) == (False, DEACTIVATE_AFTER)
    late = Delivery.objects.create(endpoint=endpoint, event="case.published", payload={})
    assert deliver.call(late.pk, 0) == "skipped"
    assert len(receiver.requests) == DEACTIVATE_AFTER


def test_a_redirect_is_not_followed(immediate, receiver):
    endpoint = endpoint_for(EditorFactory(), receiver)
    receiver.redirect_to = receiver.url + "/elsewhere"
    delivery = send_test(endpoint)
    assert (delivery.status, delivery.response_code) == ("failed", 307)
    assert delivery.error == "HTTP 307: redirects are not followed."
    assert len(receiver.requests) == 1


def test_the_address_is_checked_again_before_each_delivery(immediate, receiver, settings):
    endpoint = endpoint_for(EditorFactory(), receiver)
    settings.PAKS_WEBHOOKS_ALLOW_HTTP = False  # as in production, since it was saved
    delivery = send_test(endpoint)
    assert (delivery.status, delivery.error) == ("failed", "Webhook URLs must use https://.")
    assert receiver.requests == []


def test_the_test_ping_is_signed(receiver):
    endpoint = endpoint_for(EditorFactory(), receiver)
    delivery = send_test(endpoint)
    assert delivery.status == "succeeded"
    message = assert_signed(*receiver.requests[0], endpoint.secret)
    assert message["event"] == "ping"
    assert message["data"] == {"kind": "ping", "endpoint": endpoint.pk}


def test_old_deliveries_are_pruned(receiver):
    endpoint = endpoint_for(EditorFactory(), receiver)
    old = Delivery.objects.create(endpoint=endpoint, event="ping", payload={})
    Delivery.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=31)
    )
    recent = Delivery.objects.create(endpoint=endpoint, event="ping", payload={})
    assert prune(days=30) == 1
    assert list(Delivery.objects.all()) == [recent]
    call_command("prune_webhook_deliveries", days=0, stdout=io.StringIO())
    assert not Delivery.objects.exists()


# The database worker checks its connection between tasks, which would end a test's
# transaction: this test commits for real.
@pytest.mark.django_db(transaction=True)
def test_a_failed_delivery_is_retried_through_the_task_queue_after_its_wait(receiver, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    receiver.fail_first = 1
    editor = EditorFactory()
    endpoint = endpoint_for(editor, receiver)
    publish_case(case=CaseStudyFactory(submitted=True), editor=editor)  # commits: queued
    assert receiver.requests == []

    def work():
        call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)

    work()
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts, len(receiver.requests)) == ("pending", 1, 1)
    work()  # the retry waits a minute
    assert len(receiver.requests) == 1
    waiting = DBTaskResult.objects.get(status="READY")
    assert waiting.run_after == delivery.next_attempt_at
    DBTaskResult.objects.filter(pk=waiting.pk).update(run_after=timezone.now())  # a minute on
    work()
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.response_code) == ("succeeded", 2, 200)
    assert len(receiver.requests) == 2
    first, second = (assert_signed(h, b, endpoint.secret) for h, b in receiver.requests)
    assert first == second  # the same message, the same id: the receiver drops a repeat
    assert Endpoint.objects.get().consecutive_failures == 0
