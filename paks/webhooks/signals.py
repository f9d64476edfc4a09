"""An event's publication, heard through signals: events are a lower layer than the portal
and cannot call it. An event is published when it is saved public for the first time, new
or after being hidden."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_save, pre_save

from events.models import Event
from paks.webhooks import EVENT_PUBLISHED, emit


def event_saving(sender: type[Event], instance: Event, **kwargs: Any) -> None:
    # raw: loaded from a fixture or a backup, not published now.
    published = (
        not kwargs.get("raw")
        and instance.is_public
        and (
            instance._state.adding or Event.objects.filter(pk=instance.pk, is_public=False).exists()
        )
    )
    setattr(instance, "_webhooks_published", published)  # noqa: B010


def event_saved(sender: type[Event], instance: Event, **kwargs: Any) -> None:
    if getattr(instance, "_webhooks_published", False):
        setattr(instance, "_webhooks_published", False)  # noqa: B010
        emit(EVENT_PUBLISHED, instance)


def connect() -> None:
    pre_save.connect(event_saving, sender=Event, dispatch_uid="webhooks-event-saving")
    post_save.connect(event_saved, sender=Event, dispatch_uid="webhooks-event-saved")
