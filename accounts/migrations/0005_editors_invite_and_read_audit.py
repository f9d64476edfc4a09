"""Editors invite focal points and read the audit log (which nobody may change or delete)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

PERMISSIONS = ("view_invitation", "add_invitation", "view_auditevent")


def grant(apps, schema_editor):
    accounts = apps.get_app_config("accounts")
    accounts.models_module = True
    create_permissions(accounts, verbosity=0)
    accounts.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name="Editors")
    group.permissions.add(
        *Permission.objects.filter(content_type__app_label="accounts", codename__in=PERMISSIONS)
    )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group in Group.objects.filter(name="Editors"):
        group.permissions.remove(
            *Permission.objects.filter(content_type__app_label="accounts", codename__in=PERMISSIONS)
        )


class Migration(migrations.Migration):
    dependencies = [("accounts", "0004_audit_and_invitations")]

    operations = [migrations.RunPython(grant, revoke)]
