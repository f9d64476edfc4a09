"""Terms made in Python for both databases (see paks.search.text), and relevance over every
match.

SQLite: the FTS5 table holds finished terms in its own content (the index rows, which
the facet counts read in full, no longer carry text), so its tokenizer only splits on
spaces and keeps the part-break token `_`; no stemmer of its own; a trigger removes a
case's FTS5 row with its index row. PostgreSQL: the vector is built from
the same terms, so the English configuration goes. A RUM index (extension `rum`, Debian
package postgresql-15-rum) finds the matches, phrases included without reading a vector
(15 ms where GIN took 310 ms for a phrase at 100,000 cases), and reads a page of them in
rank order from the index alone. Where the extension is not installed, a GIN index finds
the matches and the rank is computed from each matching vector. The index is rebuilt when there are published cases.
"""

from importlib import import_module

from django.db import migrations, models

before = import_module("paks.search.migrations.0002_database_indexes")

SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS search_fts_au",
    "DROP TRIGGER IF EXISTS search_fts_ad",
    "DROP TRIGGER IF EXISTS search_fts_ai",
    "DROP TABLE IF EXISTS search_fts",
]
SQLITE_CREATE = [
    "CREATE VIRTUAL TABLE search_fts USING fts5(title, body, names, documents, "
    "tokenize=\"unicode61 remove_diacritics 0 categories 'L* N* Co M*' tokenchars '_'\")",
    "CREATE TRIGGER search_fts_ad AFTER DELETE ON search_caseindex BEGIN "
    "DELETE FROM search_fts WHERE rowid = old.case_id; END",
]


def drop_database_indexes(apps, schema_editor):
    """Either version's: the FTS5 table and its triggers, or the vector index."""
    if schema_editor.connection.vendor == "sqlite":
        for statement in SQLITE_DROP:
            schema_editor.execute(statement)
    elif schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS caseindex_vector_rum")
        schema_editor.execute("DROP INDEX IF EXISTS caseindex_vector_gin")
        schema_editor.execute("DROP TEXT SEARCH CONFIGURATION IF EXISTS paks_english")


def create_database_indexes(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor == "sqlite":
        for statement in SQLITE_CREATE:
            schema_editor.execute(statement)
    elif connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_available_extensions WHERE name = 'rum'")
            rum = cursor.fetchone() is not None
        if rum:
            schema_editor.execute("CREATE EXTENSION IF NOT EXISTS rum")
            schema_editor.execute(
                "CREATE INDEX caseindex_vector_rum ON search_caseindex "
                "USING rum (vector rum_tsvector_ops)"
            )
        else:
            schema_editor.execute(
                "CREATE INDEX caseindex_vector_gin ON search_caseindex USING gin (vector) "
                "WITH (fastupdate = off)"
            )


restore_old_indexes = before._run({"postgresql": before.PG_FORWARD, "sqlite": before.SQLITE_FORWARD})


def rebuild(apps, schema_editor):
    # The current code builds the rows; on a database with no published case (a new one)
    # there is nothing to build, so later versions of the code are never asked to.
    CaseStudy = apps.get_model("paks", "CaseStudy")
    if CaseStudy.objects.filter(status="published").exists():
        from paks.search.index import rebuild as rebuild_index

        rebuild_index()


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0005_facet_bits"),
        ("paks", "0005_history"),
        ("events", "0003_history"),
        ("countries", "0002_history"),
    ]

    operations = [
        migrations.RunPython(drop_database_indexes, restore_old_indexes),
        migrations.RemoveField("caseindex", "title"),
        migrations.RemoveField("caseindex", "body"),
        migrations.RemoveField("caseindex", "context"),
        migrations.RemoveField("caseindex", "documents"),
        migrations.RemoveField("caseindex", "config"),
        migrations.AddField(
            "caseindex",
            "sort_title",
            models.CharField(default="", help_text="For the title order.", max_length=300),
        ),
        migrations.RunPython(create_database_indexes, drop_database_indexes),
        migrations.RunPython(rebuild, migrations.RunPython.noop),
    ]
