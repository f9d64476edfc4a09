"""Editors write, publish and return translations of cases and events (with their history).
Permissions for models added after paks 0002 are granted here, as 0008 does for the programme.

Backwards the grants are taken back.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

MODELS = {
    "events": ("eventtranslation", "historicaleventtranslation"),
    "paks": ("casetranslation", "historicalcasetranslation"),
}


def _permissions(apps):
    Permission = apps.get_model("auth", "Permission")
    found = Permission.objects.none()
    for app_label, models in MODELS.items():
        found = found | Permission.objects.filter(
            content_type__app_label=app_label, content_type__model__in=models
        )
    return found


def grant(apps, schema_editor):
    # Permissions are normally created after all migrations; make sure they exist now.
    for app_label in MODELS:
        app_config = apps.get_app_config(app_label)
        app_config.models_module = True
        create_permissions(app_config, verbosity=0)
        app_config.models_module = None
    group, _ = apps.get_model("auth", "Group").objects.get_or_create(name="Editors")
    group.permissions.add(*_permissions(apps))


def revoke(apps, schema_editor):
    for group in apps.get_model("auth", "Group").objects.filter(name="Editors"):
        group.permissions.remove(*_permissions(apps))


class Migration(migrations.Migration):
    dependencies = [
        ("paks", "0011_case_translations"),
        ("events", "0007_event_translations"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
