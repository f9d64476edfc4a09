"""Recording deliveries and sending them through the task queue.

`emit_on_commit` waits for the change to commit, then `record` writes one delivery per
endpoint that subscribed to the event and may see the object (the owner's role decides, as
on the site), and queues `deliver`. Each attempt posts the same body with the same event id;
a failed one is queued again after the next wait in BACKOFF, and after the last the delivery
has failed. An endpoint whose deliveries failed DEACTIVATE_AFTER times in a row is turned off.
"""

from __future__ import annotations

import datetime
import http.client
import logging
import time
import urllib.error
import urllib.request
import uuid
from functools import partial
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Model, QuerySet
from django.urls import reverse
from django.utils import timezone
from django_tasks import task

from accounts.models import User
from events.models import Event
from paks import roles
from paks.models import CaseStudy, Document
from paks.webhooks import CASE_UPDATED, PING
from paks.webhooks.addresses import check_url
from paks.webhooks.models import DEACTIVATE_AFTER, Delivery, Endpoint
from paks.webhooks.signing import body_of, headers

logger = logging.getLogger(__name__)

# The waits before the second to the sixth attempt; after the sixth the delivery has failed.
BACKOFF = (
    datetime.timedelta(minutes=1),
    datetime.timedelta(minutes=5),
    datetime.timedelta(minutes=30),
    datetime.timedelta(hours=2),
    datetime.timedelta(hours=6),
)
MAX_ATTEMPTS = len(BACKOFF) + 1
TIMEOUT_SECONDS = 10


def emit_on_commit(event: str, obj: Model) -> None:
    if event == CASE_UPDATED and getattr(obj, "status", None) != CaseStudy.Status.PUBLISHED:
        return  # drafts change all the time; receivers hear of published cases only
    # robust: a failure to record webhooks must not fail the change that already committed.
    transaction.on_commit(partial(record, event, obj._meta.label, obj.pk), robust=True)


def _site(path: str) -> str:
    return settings.PAKS_SITE_URL.rstrip("/") + path


def describe(obj: Model) -> dict[str, Any]:
    """The few fields a receiver needs to decide whether to fetch the object from the API."""
    if isinstance(obj, CaseStudy):
        return {
            "kind": "case",
            "url": _site(reverse("api-v1:case-detail", kwargs={"slug": obj.slug})),
            "slug": obj.slug,
            "title": obj.title,
            "country": obj.country.iso3,
            "status": obj.status,
        }
    if isinstance(obj, Document):
        owner = obj.case or obj.contribution  # an event's own documents have no country
        country = owner.country if owner else None
        return {
            "kind": "document",
            "url": _site(reverse("api-v1:document-detail", kwargs={"pk": obj.pk})),
            "id": obj.pk,
            "title": obj.title,
            "case": obj.case.slug if obj.case else None,
            "event": obj.event.slug if obj.event else None,
            "country": country.iso3 if country else None,
            "status": obj.state,
        }
    if isinstance(obj, Event):
        return {
            "kind": "event",
            "url": _site(reverse("api-v1:event-detail", kwargs={"slug": obj.slug})),
            "slug": obj.slug,
            "title": obj.title,
            "country": obj.country.iso3 if obj.country else None,
            "status": "public" if obj.is_public else "hidden",
        }
    raise TypeError(f"No webhook payload for {type(obj).__name__}")


def may_see(owner: User, obj: Model) -> bool:
    """What the owner may see on the site: editors everything, a focal point public items
    and its own countries' ones."""
    if isinstance(obj, CaseStudy):
        return CaseStudy.objects.visible_to(owner).filter(pk=obj.pk).exists()
    if isinstance(obj, Document):
        return Document.objects.visible_to(owner).filter(pk=obj.pk).exists()
    if isinstance(obj, Event):
        return obj.is_public or roles.is_editor(owner)
    return False


def payload(event: str, event_id: uuid.UUID, data: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": str(event_id),
        "event": event,
        "created_at": timezone.now().isoformat(),
        "data": data,
    }


def record(event: str, label: str, pk: Any) -> list[Delivery]:
    """One delivery per subscribed endpoint that may see the object, each queued."""
    obj = apps.get_model(label)._default_manager.filter(pk=pk).first()
    if obj is None:
        return []  # deleted meanwhile
    endpoints = [
        endpoint
        for endpoint in Endpoint.objects.filter(active=True, owner__is_active=True)
        .select_related("owner")
        .order_by("pk")
        if event in endpoint.events
    ]
    if not endpoints:
        return []
    seen: dict[int, bool] = {}
    recipients = []
    for endpoint in endpoints:
        if endpoint.owner_id not in seen:
            seen[endpoint.owner_id] = may_see(endpoint.owner, obj)
        if seen[endpoint.owner_id]:
            recipients.append(endpoint)
    event_id = uuid.uuid4()
    body = payload(event, event_id, describe(obj)) if recipients else {}
    deliveries = [
        Delivery.objects.create(endpoint=endpoint, event=event, event_id=event_id, payload=body)
        for endpoint in recipients
    ]
    for delivery in deliveries:
        enqueue_attempt(delivery)
    return deliveries


def enqueue_attempt(delivery: Delivery) -> None:
    """Queue the delivery's next attempt, for its time (at once when it has none)."""
    due = delivery.next_attempt_at
    if due is not None and due > timezone.now():
        if not deliver.get_backend().supports_defer:
            logger.warning("Task backend cannot defer: delivery %s waits for a retry", delivery.pk)
            return
        deliver.using(run_after=due).enqueue(delivery.pk, delivery.attempts)
    else:
        deliver.enqueue(delivery.pk, delivery.attempts)


@task()
def deliver(delivery_id: int, attempt: int) -> str:
    """Attempt number `attempt + 1` of a delivery. An attempt is claimed by counting it, so a
    task queued twice for the same attempt (a retry now beside a scheduled one) posts once."""
    claimed = Delivery.objects.filter(
        pk=delivery_id, status=Delivery.Status.PENDING, attempts=attempt, endpoint__active=True
    ).update(attempts=attempt + 1)
    if not claimed:
        return "skipped"
    delivery = Delivery.objects.select_related("endpoint").get(pk=delivery_id)
    return send(delivery).status


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None  # the 3xx becomes an HTTPError: a redirect could lead anywhere


# No proxies from the environment: the address checked is the address called.
_opener = urllib.request.build_opener(urllib.request.ProxyHandler({}), _NoRedirects)


def post(endpoint: Endpoint, data: dict[str, Any], event_id: uuid.UUID) -> tuple[int | None, str]:
    """POST the signed body; the response's status code (None without one) and an error."""
    try:
        check_url(endpoint.url)
    except ValidationError as exc:
        return None, exc.messages[0]
    body = body_of(data)
    request = urllib.request.Request(
        endpoint.url,
        data=body,
        method="POST",
        headers=headers(
            secret=endpoint.secret, event_id=str(event_id), timestamp=int(time.time()), body=body
        ),
    )
    try:
        with _opener.open(request, timeout=TIMEOUT_SECONDS) as response:
            response.read(1024)
            return int(response.status), ""
    except urllib.error.HTTPError as exc:
        exc.close()
        if 300 <= exc.code < 400:
            return exc.code, f"HTTP {exc.code}: redirects are not followed."
        return exc.code, f"HTTP {exc.code}"
    except (urllib.error.URLError, OSError, http.client.HTTPException) as exc:
        reason = getattr(exc, "reason", None) or exc
        return None, f"Not delivered: {reason}"


def send(delivery: Delivery, *, retry: bool = True) -> Delivery:
    """Post the delivery once (its attempt already counted) and record what came back."""
    code, error = post(delivery.endpoint, delivery.payload, delivery.event_id)
    delivery.response_code, delivery.error = code, error[:300]
    now = timezone.now()
    counts = delivery.event != PING  # a test says nothing about the endpoint's health
    if code is not None and 200 <= code < 300:
        delivery.status, delivery.delivered_at, delivery.next_attempt_at = (
            Delivery.Status.SUCCEEDED,
            now,
            None,
        )
        delivery.save()
        if counts:
            Endpoint.objects.filter(pk=delivery.endpoint_id).update(consecutive_failures=0)
        return delivery
    if retry and delivery.attempts < MAX_ATTEMPTS:
        delivery.next_attempt_at = now + BACKOFF[delivery.attempts - 1]
        delivery.save()
        transaction.on_commit(partial(enqueue_attempt, delivery))
        return delivery
    delivery.status, delivery.next_attempt_at = Delivery.Status.FAILED, None
    delivery.save()
    if counts:
        _failed_for_good(delivery.endpoint)
    return delivery


def _failed_for_good(endpoint: Endpoint) -> None:
    Endpoint.objects.filter(pk=endpoint.pk).update(
        consecutive_failures=F("consecutive_failures") + 1
    )
    if Endpoint.objects.filter(
        pk=endpoint.pk, active=True, consecutive_failures__gte=DEACTIVATE_AFTER
    ).update(active=False):
        logger.warning("Webhook endpoint %s turned off after failed deliveries", endpoint.pk)


def send_test(endpoint: Endpoint) -> Delivery:
    """Send a `ping` now, once, even to an inactive endpoint; the delivery says how it went."""
    event_id = uuid.uuid4()
    delivery = Delivery.objects.create(
        endpoint=endpoint,
        event=PING,
        event_id=event_id,
        payload=payload(PING, event_id, {"kind": "ping", "endpoint": endpoint.pk}),
        attempts=1,
    )
    return send(delivery, retry=False)


def retry_now(deliveries: QuerySet[Delivery]) -> int:
    """Queue another attempt now for pending or failed deliveries to active endpoints."""
    due = deliveries.filter(
        status__in=[Delivery.Status.PENDING, Delivery.Status.FAILED], endpoint__active=True
    ).exclude(event=PING)
    count = 0
    for delivery in due:
        delivery.status, delivery.next_attempt_at = Delivery.Status.PENDING, timezone.now()
        delivery.save(update_fields=["status", "next_attempt_at"])
        transaction.on_commit(partial(enqueue_attempt, delivery))
        count += 1
    return count


def prune(*, days: int) -> int:
    """Remove deliveries older than `days`; returns how many."""
    cutoff = timezone.now() - datetime.timedelta(days=days)
    return Delivery.objects.filter(created_at__lt=cutoff).delete()[0]
