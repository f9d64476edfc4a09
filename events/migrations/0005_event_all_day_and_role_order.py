"""Events known by their dates only are marked all day; organizers are listed by role rank.

Existing events whose local start is 00:00 and whose local end is 23:59 (of any day from the
first on) or 00:00 of a later day, in the event's own time zone, were entered as whole days:
they become all-day events. Undoing leaves the flag to be dropped with its column.
"""

import datetime
import zoneinfo

from django.db import migrations, models
from django.utils import timezone


def _is_whole_days(start: datetime.datetime, end: datetime.datetime, zone: str) -> bool:
    try:
        tz = zoneinfo.ZoneInfo(zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return False
    start, end = timezone.localtime(start, tz), timezone.localtime(end, tz)
    if start.time() != datetime.time(0, 0) or end.date() < start.date():
        return False
    ends_at_midnight = end.time() == datetime.time(0, 0) and end.date() > start.date()
    return (end.hour, end.minute) == (23, 59) or ends_at_midnight


def mark_whole_day_events(apps, schema_editor):
    Event = apps.get_model("events", "Event")
    whole = [
        pk
        for pk, start, end, zone in Event.objects.values_list("pk", "start", "end", "timezone")
        if _is_whole_days(start, end, zone)
    ]
    Event.objects.filter(pk__in=whole).update(all_day=True)


class Migration(migrations.Migration):

    dependencies = [
        ('events', '0004_themes_and_sdgs_from_taxonomy'),
    ]

    operations = [
        migrations.AlterModelOptions(
            name='eventorganizer',
            options={'ordering': ['event', models.OrderBy(models.Case(models.When(role='organizer', then=models.Value(0)), models.When(role='co_organizer', then=models.Value(1)), models.When(role='host', then=models.Value(2)), models.When(role='sponsor', then=models.Value(3)), models.When(role='supporter', then=models.Value(4)), default=models.Value(5), output_field=models.IntegerField())), 'organization__name'], 'verbose_name': 'organizer'},
        ),
        migrations.AddField(
            model_name='event',
            name='all_day',
            field=models.BooleanField(default=False, help_text="Known by its dates only: shown and exported as whole days, without hours. Start at 00:00 of the first day and end at 23:59 of the last, in the event's time zone."),
        ),
        migrations.AddField(
            model_name='historicalevent',
            name='all_day',
            field=models.BooleanField(default=False, help_text="Known by its dates only: shown and exported as whole days, without hours. Start at 00:00 of the first day and end at 23:59 of the last, in the event's time zone."),
        ),
        migrations.RunPython(mark_whole_day_events, migrations.RunPython.noop),
    ]
