"""Theme and SDG move here from the paks app, their tables and rows untouched.

State only: the tables were made by paks 0001 and keep their names (Meta.db_table).
Then paks 0006 and events 0004 point their relations here and paks forgets the models, and
0002 here gives the content types (and so the permissions and admin log) the new label
and grants the Editors group the permissions on both.
"""

import django.core.validators
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("paks", "0005_history"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Theme",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("name", models.CharField(max_length=100, unique=True)),
                        ("slug", models.SlugField(max_length=100, unique=True)),
                        ("description", models.TextField(blank=True)),
                    ],
                    options={
                        "db_table": "paks_theme",
                        "ordering": ["name"],
                    },
                ),
                migrations.CreateModel(
                    name="SDG",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("number", models.PositiveSmallIntegerField(unique=True, validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(17)])),
                        ("short_title", models.CharField(max_length=60)),
                        ("title", models.CharField(max_length=200)),
                        ("colour", models.CharField(max_length=7, validators=[django.core.validators.RegexValidator("^#[0-9A-F]{6}$", "Use #RRGGBB in capitals.")])),
                    ],
                    options={
                        "verbose_name": "SDG",
                        "verbose_name_plural": "SDGs",
                        "db_table": "paks_sdg",
                        "ordering": ["number"],
                        "constraints": [models.CheckConstraint(condition=models.Q(("number__gte", 1), ("number__lte", 17)), name="sdg_number_1_to_17")],
                    },
                ),
            ],
        ),
    ]
