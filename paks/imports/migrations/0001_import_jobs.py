"""Imports the admin runs in the background, with their sheets and reports."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='ImportJob',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('cases', 'Cases'), ('organizations', 'Organizations'), ('events', 'Events'), ('participations', 'Participating countries'), ('invitations', 'Focal point invitations')], max_length=20)),
                ('sheet', models.FileField(blank=True, upload_to='imports/%Y/%m/')),
                ('sheet_format', models.CharField(max_length=10)),
                ('file_name', models.CharField(max_length=255)),
                ('files', models.FileField(blank=True, upload_to='imports/%Y/%m/')),
                ('files_name', models.CharField(blank=True, max_length=255)),
                ('rows', models.PositiveIntegerField(default=0)),
                ('column_mapping', models.TextField(blank=True)),
                ('value_mapping', models.TextField(blank=True)),
                ('publish', models.BooleanField(default=False)),
                ('status', models.CharField(choices=[('queued', 'Waiting for the dry run'), ('checking', 'Dry run under way'), ('checked', 'Checked'), ('import_queued', 'Waiting to import'), ('importing', 'Importing'), ('imported', 'Imported'), ('not_imported', 'Not imported: rows were refused'), ('failed', 'Stopped by an error'), ('expired', 'Expired before it was imported')], default='queued', max_length=20)),
                ('report', models.JSONField(blank=True, default=dict)),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('started_at', models.DateTimeField(blank=True, null=True)),
                ('checked_at', models.DateTimeField(blank=True, null=True)),
                ('finished_at', models.DateTimeField(blank=True, null=True)),
                ('confirmed_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('requested_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'import',
                'ordering': ['-created_at', '-pk'],
                'indexes': [models.Index(fields=['status', 'created_at'], name='imports_imp_status_717e0b_idx')],
            },
        ),
    ]
