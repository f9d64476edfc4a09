"""Webhook endpoints and their deliveries; the Editors group manages them in the admin.

Backwards the grants are taken back with the tables.
"""

import uuid

import django.db.models.deletion
from django.conf import settings
from django.contrib.auth.management import create_permissions
from django.db import migrations, models

import paks.webhooks.addresses
import paks.webhooks.models


def grant(apps, schema_editor):
    # Permissions are normally created after all migrations; make sure they exist now.
    app_config = apps.get_app_config("webhooks")
    app_config.models_module = True
    create_permissions(app_config, verbosity=0)
    app_config.models_module = None
    Permission = apps.get_model("auth", "Permission")
    group, _ = apps.get_model("auth", "Group").objects.get_or_create(name="Editors")
    group.permissions.add(*Permission.objects.filter(content_type__app_label="webhooks"))


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    for group in apps.get_model("auth", "Group").objects.filter(name="Editors"):
        group.permissions.remove(*Permission.objects.filter(content_type__app_label="webhooks"))


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.CreateModel(
            name='Endpoint',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('url', models.URLField(max_length=500, validators=[paks.webhooks.addresses.check_url], verbose_name='URL')),
                ('description', models.CharField(blank=True, max_length=200)),
                ('events', models.JSONField(default=list, help_text='Event names: case.published, case.updated, case.archived, document.processed, event.published.', validators=[paks.webhooks.models.validate_events])),
                ('secret', models.CharField(default=paks.webhooks.models.new_secret, editable=False, max_length=64)),
                ('active', models.BooleanField(default=True, help_text='Turned off by itself after 5 deliveries in a row failed every attempt; tick to send again.')),
                ('consecutive_failures', models.PositiveIntegerField(default=0, editable=False, help_text='Deliveries that failed for good since the last success.')),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('owner', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='webhook_endpoints', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'ordering': ['-created_at', 'pk'],
            },
        ),
        migrations.CreateModel(
            name='Delivery',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('event', models.CharField(max_length=40)),
                ('event_id', models.UUIDField(default=uuid.uuid4, editable=False)),
                ('payload', models.JSONField()),
                ('status', models.CharField(choices=[('pending', 'Pending'), ('succeeded', 'Succeeded'), ('failed', 'Failed')], default='pending', max_length=10)),
                ('attempts', models.PositiveSmallIntegerField(default=0)),
                ('next_attempt_at', models.DateTimeField(blank=True, null=True)),
                ('response_code', models.PositiveSmallIntegerField(blank=True, null=True)),
                ('error', models.CharField(blank=True, max_length=300)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('delivered_at', models.DateTimeField(blank=True, null=True)),
                ('endpoint', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='deliveries', to='webhooks.endpoint')),
            ],
            options={
                'verbose_name_plural': 'deliveries',
                'ordering': ['-created_at', '-pk'],
                'indexes': [models.Index(fields=['endpoint', '-created_at'], name='webhook_delivery_log_idx'), models.Index(fields=['created_at'], name='webhook_delivery_created_idx')],
                'constraints': [models.UniqueConstraint(fields=('endpoint', 'event_id'), name='webhook_delivery_once_per_endpoint')],
            },
        ),
        migrations.RunPython(grant, revoke),
    ]
