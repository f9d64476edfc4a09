"""Every term that the vectors hold (PostgreSQL), so that the search can leave out the
readings of a word that no case has: see `IndexedTerm`. The terms of the vectors already
written are read from them once, here."""

from django.db import migrations, models


def fill(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        "INSERT INTO search_indexedterm (term) SELECT word FROM "
        "ts_stat('SELECT vector FROM search_caseindex WHERE vector IS NOT NULL') "
        "ON CONFLICT (term) DO NOTHING"
    )


class Migration(migrations.Migration):
    dependencies = [("search", "0009_terms_index")]

    operations = [
        migrations.CreateModel(
            name="IndexedTerm",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("term", models.TextField(unique=True)),
            ],
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
