"""Look-ups shared by the focal point commands, failing with a CommandError that says why."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError
from django.db.models import Q

from accounts.models import User
from countries.models import Country, Organization


def country_by_iso3(code: str) -> Country:
    try:
        return Country.objects.get(iso3=code.strip().upper())
    except Country.DoesNotExist:
        raise CommandError(
            f"Unknown country {code!r}: give an ISO 3166 alpha-3 code such as BGD "
            "(run manage.py load_reference if the country table is empty)."
        ) from None


def organization_by_slug_or_name(value: str) -> Organization:
    value = value.strip()
    matches = list(Organization.objects.filter(Q(slug=value) | Q(name__iexact=value))[:2])
    if len(matches) == 1:
        return matches[0]
    if not matches:
        raise CommandError(f"Unknown organization {value!r}: give its slug or its full name.")
    raise CommandError(f"Several organizations match {value!r}: give the slug.")


def user_by_email(email: str) -> User | None:
    return get_user_model().objects.filter(email__iexact=email.strip()).first()
