"""An event's themes and SDGs point at the taxonomy app (see taxonomy 0001).

State only: the link tables and their columns stay as they are.
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0003_history"),
        ("taxonomy", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="event",
                    name="sdgs",
                    field=models.ManyToManyField(blank=True, related_name="events", to="taxonomy.sdg", verbose_name="SDGs"),
                ),
                migrations.AlterField(
                    model_name="event",
                    name="themes",
                    field=models.ManyToManyField(blank=True, related_name="events", to="taxonomy.theme"),
                ),
            ],
        ),
    ]
