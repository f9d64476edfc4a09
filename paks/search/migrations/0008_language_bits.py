from django.db import migrations, models

# SQLite adds the column by making the table anew, which drops the trigger that removes a
# row's FTS5 terms with it (migration 0006): made again after.
SQLITE_TRIGGER = [
    "DROP TRIGGER IF EXISTS search_fts_ad",
    "CREATE TRIGGER search_fts_ad AFTER DELETE ON search_caseindex BEGIN "
    "DELETE FROM search_fts WHERE rowid = old.case_id; END",
]


def restore_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for statement in SQLITE_TRIGGER:
            schema_editor.execute(statement)


def rebuild_pending(apps, schema_editor):
    # Every text is read in its own language from now on, and each row says which languages
    # its case can be read in: the index is to be made again, once every migration is
    # applied, with the code and schema they lead to (paks.search.apps, REBUILD_PENDING).
    IndexVersion = apps.get_model("search", "IndexVersion")
    IndexVersion.objects.update_or_create(pk=1, defaults={"token": "rebuild-pending"})


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0007_index_version"),
        ("paks", "0012_editors_manage_translations"),
    ]

    operations = [
        migrations.RunPython(migrations.RunPython.noop, restore_trigger),  # after a removal
        migrations.AddField(
            model_name="caseindex",
            name="language_bits",
            field=models.PositiveSmallIntegerField(default=0),
        ),
        migrations.RunPython(restore_trigger, migrations.RunPython.noop),
        migrations.RunPython(rebuild_pending, migrations.RunPython.noop),
    ]
