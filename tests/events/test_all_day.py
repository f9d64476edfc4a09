"""Events known by their dates only: their days, the migration that marked the existing ones,
and the API's all_day field."""

import datetime
import importlib
import zoneinfo

import pytest
from django.apps import apps
from django.urls import reverse

from events.models import Event, day_range
from tests.factories import EventFactory

pytestmark = pytest.mark.django_db

SEOUL = zoneinfo.ZoneInfo("Asia/Seoul")
BANGKOK = zoneinfo.ZoneInfo("Asia/Bangkok")
migration = importlib.import_module("events.migrations.0005_event_all_day_and_role_order")


def _event(start: datetime.datetime, end: datetime.datetime, zone: str, **kwargs) -> Event:
    return EventFactory(start=start, end=end, timezone=zone, **kwargs)


def test_first_and_last_day_are_the_local_dates():
    event = _event(
        datetime.datetime(2019, 4, 1, tzinfo=SEOUL),  # 31 March in UTC
        datetime.datetime(2019, 4, 5, 23, 59, tzinfo=SEOUL),
        "Asia/Seoul",
    )
    assert (event.first_day, event.last_day) == (
        datetime.date(2019, 4, 1),
        datetime.date(2019, 4, 5),
    )
    assert event.days == "1\u20135 April 2019"


def test_an_end_at_midnight_of_a_later_day_closes_the_day_before():
    event = _event(
        datetime.datetime(2019, 4, 1, tzinfo=SEOUL),
        datetime.datetime(2019, 4, 6, tzinfo=SEOUL),
        "Asia/Seoul",
    )
    assert event.last_day == datetime.date(2019, 4, 5)
    same_day = _event(
        datetime.datetime(2019, 4, 1, tzinfo=SEOUL),
        datetime.datetime(2019, 4, 1, tzinfo=SEOUL),
        "Asia/Seoul",
    )
    assert same_day.last_day == datetime.date(2019, 4, 1)


@pytest.mark.parametrize(
    ("first", "last", "written"),
    [
        ((2010, 6, 18), (2010, 6, 18), "18 June 2010"),
        ((2007, 10, 8), (2007, 10, 12), "8\u201312 October 2007"),
        ((2019, 3, 30), (2019, 4, 2), "30 March \u2013 2 April 2019"),
        ((2019, 12, 30), (2020, 1, 2), "30 December 2019 \u2013 2 January 2020"),
    ],
)
def test_day_range_says_what_the_dates_share_once(first, last, written):
    assert day_range(datetime.date(*first), datetime.date(*last)) == written


# --- The data migration --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "end", "zone", "whole"),
    [
        # 00:00 to 23:59, in the event's own zone: dates only.
        ((2019, 4, 1, 0, 0), (2019, 4, 5, 23, 59), SEOUL, True),
        ((2010, 6, 18, 0, 0), (2010, 6, 18, 23, 59), SEOUL, True),
        # 00:00 to 00:00 of a later day.
        ((2019, 4, 1, 0, 0), (2019, 4, 6, 0, 0), SEOUL, True),
        ((2014, 11, 17, 0, 0), (2014, 11, 20, 23, 59), BANGKOK, True),
        # Real hours.
        ((2014, 12, 4, 11, 0), (2014, 12, 4, 13, 30), SEOUL, False),
        ((2019, 4, 1, 0, 0), (2019, 4, 1, 12, 0), SEOUL, False),
        ((2019, 4, 1, 9, 0), (2019, 4, 5, 23, 59), SEOUL, False),
        # A zero-length event at midnight is a moment, not a day.
        ((2019, 4, 1, 0, 0), (2019, 4, 1, 0, 0), SEOUL, False),
    ],
)
def test_migration_marks_events_entered_as_whole_local_days(start, end, zone, whole):
    event = _event(
        datetime.datetime(*start, tzinfo=zone), datetime.datetime(*end, tzinfo=zone), zone.key
    )
    migration.mark_whole_day_events(apps, None)
    event.refresh_from_db()
    assert event.all_day is whole


def test_migration_reads_the_times_in_the_events_zone_not_utc():
    # Midnight to 23:59 in UTC is 09:00 to 08:59 in Seoul: not whole days there.
    event = _event(
        datetime.datetime(2019, 4, 1, tzinfo=datetime.UTC),
        datetime.datetime(2019, 4, 5, 23, 59, tzinfo=datetime.UTC),
        "Asia/Seoul",
    )
    utc_event = _event(
        datetime.datetime(2019, 4, 1, tzinfo=datetime.UTC),
        datetime.datetime(2019, 4, 5, 23, 59, tzinfo=datetime.UTC),
        "UTC",
    )
    migration.mark_whole_day_events(apps, None)
    event.refresh_from_db()
    utc_event.refresh_from_db()
    assert (event.all_day, utc_event.all_day) == (False, True)


# --- The API -------------------------------------------------------------------------------


def test_api_says_which_events_are_known_by_their_dates_only(client):
    EventFactory(slug="study-visit", all_day=True)
    EventFactory(slug="roundtable")
    listed = client.get(reverse("api-v1:event-list")).json()["results"]
    assert {e["slug"]: e["all_day"] for e in listed} == {"study-visit": True, "roundtable": False}
    detail = client.get(reverse("api-v1:event-detail", args=["study-visit"])).json()
    assert detail["all_day"] is True
