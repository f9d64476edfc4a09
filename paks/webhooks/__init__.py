"""Webhooks: editors and focal points register an HTTPS endpoint, and PAKS posts a small,
signed JSON message to it when a case is published, updated or archived, a document is
processed or an event is published.

`emit(event, obj)` is the one entry point; it records the deliveries once the surrounding
transaction commits and the task queue sends them (`paks.webhooks.delivery`). This package
is also the `webhooks` Django app, so nothing here imports models while Django loads.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from django.db.models import Model

CASE_PUBLISHED = "case.published"
CASE_UPDATED = "case.updated"  # a published case changed
CASE_ARCHIVED = "case.archived"
DOCUMENT_PROCESSED = "document.processed"
EVENT_PUBLISHED = "event.published"
PING = "ping"  # sent by "send test", whatever the endpoint subscribed to

EVENTS = (CASE_PUBLISHED, CASE_UPDATED, CASE_ARCHIVED, DOCUMENT_PROCESSED, EVENT_PUBLISHED)


def emit(event: str, obj: Model) -> None:
    """Announce `event` about `obj` to every endpoint that subscribed to it and may see `obj`,
    once the current transaction commits (at once outside one)."""
    from paks.webhooks.delivery import emit_on_commit

    emit_on_commit(event, obj)
