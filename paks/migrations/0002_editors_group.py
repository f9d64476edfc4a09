"""The Editors group: portal staff who curate and publish everything in the admin."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITOR_APPS = ("countries", "events", "paks")
# Editors manage people's accounts for focal points but never permissions or staff status
# (the user admin makes those fields read-only for anyone but superusers).
EDITOR_USER_PERMISSIONS = ("view_user", "add_user", "change_user")


def create_editors_group(apps, schema_editor):
    # Permissions are normally created after all migrations; make sure they exist now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name="Editors")
    permissions = Permission.objects.filter(content_type__app_label__in=EDITOR_APPS) | (
        Permission.objects.filter(
            content_type__app_label="accounts", codename__in=EDITOR_USER_PERMISSIONS
        )
    )
    group.permissions.add(*permissions)


def remove_editors_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name="Editors").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("paks", "0001_initial"),
        ("events", "0002_event_links_and_taxonomy"),
        ("countries", "0001_initial"),
        ("accounts", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_editors_group, remove_editors_group)]
