"""Facet keys on the index rows. The index is derived data: it is emptied here and refilled
by `manage.py rebuild_search_index` (load_demo does it too)."""

from importlib import import_module

from django.db import migrations, models

fts = import_module("paks.search.migrations.0002_database_indexes")


def recreate_triggers(apps, schema_editor):
    # SQLite rebuilds a table to add columns, dropping its triggers: put the FTS ones back.
    if schema_editor.connection.vendor == "sqlite":
        for statement in fts.SQLITE_BACKWARD[:3] + fts.SQLITE_FORWARD[1:]:
            schema_editor.execute(statement)
        schema_editor.execute("INSERT INTO search_fts(search_fts) VALUES ('rebuild')")


class Migration(migrations.Migration):
    dependencies = [("search", "0002_database_indexes")]

    operations = [
        migrations.RunSQL("DELETE FROM search_caseindex", migrations.RunSQL.noop),
        migrations.AddField(
            model_name="caseindex",
            name="country_ref",
            field=models.PositiveIntegerField(default=0),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="caseindex",
            name="event_ref",
            field=models.PositiveIntegerField(null=True),
        ),
        migrations.AddField(
            model_name="caseindex",
            name="organization_ref",
            field=models.PositiveIntegerField(null=True),
        ),
        migrations.AddField(
            model_name="caseindex",
            name="sdg_refs",
            field=models.TextField(default="[]", help_text="SDG ids, a JSON array."),
        ),
        migrations.AddField(
            model_name="caseindex",
            name="theme_refs",
            field=models.TextField(default="[]", help_text="Theme ids, a JSON array."),
        ),
        migrations.AddField(
            model_name="caseindex",
            name="year",
            field=models.PositiveSmallIntegerField(default=0),
            preserve_default=False,
        ),
        migrations.RunPython(recreate_triggers, migrations.RunPython.noop),
    ]
