"""The Editors group: portal staff who curate and publish everything in the admin.

Migrations created the group and its permissions step by step; `editors_group` gives it the
whole set at once, for databases built otherwise (the demo data after a flush, for one).
"""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission
from django.db.models import Q

# Editors curate everything in these apps (themes and SDGs are in taxonomy since paks 0006).
EDITOR_APPS = ("taxonomy", "countries", "events", "paks", "webhooks")
# Editors manage focal points' accounts and tokens, invite people and read the audit log;
# never permissions or staff status (the user admin keeps those for superusers).
ACCOUNT_PERMISSIONS = (
    "view_user",
    "add_user",
    "change_user",
    "view_apitoken",
    "add_apitoken",
    "change_apitoken",
    "view_invitation",
    "add_invitation",
    "view_auditevent",
)


def editors_group() -> Group:
    group, _ = Group.objects.get_or_create(name="Editors")
    group.permissions.add(
        *Permission.objects.filter(
            Q(content_type__app_label__in=EDITOR_APPS)
            | Q(content_type__app_label="accounts", codename__in=ACCOUNT_PERMISSIONS)
        )
    )
    return group
