"""The content types of Theme and SDG take the taxonomy label (they had the paks one), so the
permissions granted on them and the admin's log of changes to them stay attached; and the
Editors group holds every permission on themes and SDGs, on new databases too (where paks
0002 no longer sees these models to grant them).

Backwards the content types take the paks label again; the grants stay, as they were before.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

MODELS = ("theme", "sdg")


def relabel(apps, source: str, target: str) -> None:
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in MODELS:
        old = ContentType.objects.filter(app_label=source, model=model).first()
        if old is None:
            continue  # a new database: they are made under the new label
        # A row already under the new label can only have been made, empty, by a migration run
        # in between; the old row carries the grants and the log.
        ContentType.objects.filter(app_label=target, model=model).delete()
        old.app_label = target
        old.save(update_fields=["app_label"])
    # Content types are cached in this process, some of them with the old label.
    from django.contrib.contenttypes.models import ContentType as CurrentContentType

    CurrentContentType.objects.clear_cache()


def forwards(apps, schema_editor):
    relabel(apps, "paks", "taxonomy")


def backwards(apps, schema_editor):
    relabel(apps, "taxonomy", "paks")


def grant_editors(apps, schema_editor):
    # Permissions are normally created after all migrations; make sure they exist now.
    taxonomy = apps.get_app_config("taxonomy")
    taxonomy.models_module = True
    create_permissions(taxonomy, verbosity=0)
    taxonomy.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name="Editors")
    group.permissions.add(
        *Permission.objects.filter(content_type__app_label="taxonomy", content_type__model__in=MODELS)
    )


class Migration(migrations.Migration):
    dependencies = [
        ("taxonomy", "0001_initial"),
        ("paks", "0006_theme_and_sdg_move_to_taxonomy"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards),
        migrations.RunPython(grant_editors, migrations.RunPython.noop),
    ]
