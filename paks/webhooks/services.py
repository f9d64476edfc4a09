"""Saving an endpoint: the admin and the API both call this."""

from __future__ import annotations

from django.db import transaction

from paks.webhooks.models import Endpoint


@transaction.atomic
def save_endpoint(endpoint: Endpoint) -> Endpoint:
    """Save a new or changed endpoint. One turned on again starts afresh: the failures that
    turned it off no longer count towards turning it off again."""
    if endpoint.pk is not None and endpoint.active:
        was_active = (
            Endpoint.objects.select_for_update()
            .filter(pk=endpoint.pk)
            .values_list("active", flat=True)
            .first()
        )
        if was_active is False:
            endpoint.consecutive_failures = 0
    endpoint.save()
    return endpoint
