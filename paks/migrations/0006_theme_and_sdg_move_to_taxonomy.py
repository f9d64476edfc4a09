"""Theme and SDG now belong to the taxonomy app (see taxonomy 0001): a case's themes and SDGs,
and their history, point there, and this app forgets the models.

State only: nothing in the database changes; the tables paks_theme and paks_sdg stay.
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("paks", "0005_history"),
        ("events", "0004_themes_and_sdgs_from_taxonomy"),
        ("taxonomy", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="historicalcasestudy_sdgs",
                    name="sdg",
                    field=models.ForeignKey(blank=True, db_constraint=False, db_tablespace="", null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name="+", to="taxonomy.sdg"),
                ),
                migrations.AlterField(
                    model_name="historicalcasestudy_themes",
                    name="theme",
                    field=models.ForeignKey(blank=True, db_constraint=False, db_tablespace="", null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name="+", to="taxonomy.theme"),
                ),
                migrations.AlterField(
                    model_name="casestudy",
                    name="sdgs",
                    field=models.ManyToManyField(blank=True, related_name="cases", to="taxonomy.sdg", verbose_name="SDGs"),
                ),
                migrations.AlterField(
                    model_name="casestudy",
                    name="themes",
                    field=models.ManyToManyField(blank=True, related_name="cases", to="taxonomy.theme"),
                ),
                migrations.DeleteModel(name="SDG"),
                migrations.DeleteModel(name="Theme"),
            ],
        ),
    ]
