"""The full-text machinery of each database, created only on that database.

PostgreSQL: the unaccent and pg_trgm extensions, an English configuration that removes
accents before stemming, a GIN index on the weighted vector and a trigram index on the
vocabulary. SQLite: an FTS5 table over the index rows, kept in step by triggers.
"""

from django.db import migrations

PG_FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS unaccent",
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "DROP TEXT SEARCH CONFIGURATION IF EXISTS paks_english",
    "CREATE TEXT SEARCH CONFIGURATION paks_english (COPY = english)",
    "ALTER TEXT SEARCH CONFIGURATION paks_english ALTER MAPPING FOR hword, hword_part, word "
    "WITH unaccent, english_stem",
    "CREATE INDEX caseindex_vector_gin ON search_caseindex USING gin (vector)",
    "CREATE INDEX searchterm_word_trgm ON search_searchterm USING gin (word gin_trgm_ops)",
]
PG_BACKWARD = [
    "DROP INDEX IF EXISTS searchterm_word_trgm",
    "DROP INDEX IF EXISTS caseindex_vector_gin",
    "DROP TEXT SEARCH CONFIGURATION IF EXISTS paks_english",
]

# External-content FTS5 table: the text lives once, in search_caseindex.
SQLITE_FORWARD = [
    "CREATE VIRTUAL TABLE search_fts USING fts5(title, body, context, documents, "
    "content='search_caseindex', content_rowid='case_id', "
    "tokenize='porter unicode61 remove_diacritics 2')",
    "CREATE TRIGGER search_fts_ai AFTER INSERT ON search_caseindex BEGIN "
    "INSERT INTO search_fts(rowid, title, body, context, documents) "
    "VALUES (new.case_id, new.title, new.body, new.context, new.documents); END",
    "CREATE TRIGGER search_fts_ad AFTER DELETE ON search_caseindex BEGIN "
    "INSERT INTO search_fts(search_fts, rowid, title, body, context, documents) "
    "VALUES ('delete', old.case_id, old.title, old.body, old.context, old.documents); END",
    "CREATE TRIGGER search_fts_au AFTER UPDATE ON search_caseindex BEGIN "
    "INSERT INTO search_fts(search_fts, rowid, title, body, context, documents) "
    "VALUES ('delete', old.case_id, old.title, old.body, old.context, old.documents); "
    "INSERT INTO search_fts(rowid, title, body, context, documents) "
    "VALUES (new.case_id, new.title, new.body, new.context, new.documents); END",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS search_fts_au",
    "DROP TRIGGER IF EXISTS search_fts_ad",
    "DROP TRIGGER IF EXISTS search_fts_ai",
    "DROP TABLE IF EXISTS search_fts",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"postgresql": PG_FORWARD, "sqlite": SQLITE_FORWARD}),
            _run({"postgresql": PG_BACKWARD, "sqlite": SQLITE_BACKWARD}),
        )
    ]
