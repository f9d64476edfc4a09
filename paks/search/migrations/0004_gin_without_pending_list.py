"""Write to the GIN index of the search vectors directly, without a pending list.

With fastupdate (PostgreSQL's default) new entries wait in a pending list until a vacuum.
While it is long, every search scans it, and the planner, costing the index by it, reads
the whole table instead: 26 ms instead of under 1 ms for a word in 500 of 10,000 cases.
Cases are published a few at a time, so direct writes cost little.
"""

from django.db import migrations


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER INDEX caseindex_vector_gin SET (fastupdate = off)")
        schema_editor.execute("SELECT gin_clean_pending_list('caseindex_vector_gin')")


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER INDEX caseindex_vector_gin RESET (fastupdate)")


class Migration(migrations.Migration):
    dependencies = [("search", "0003_facet_keys")]

    operations = [migrations.RunPython(forward, backward)]
