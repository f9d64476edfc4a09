import datetime
import zoneinfo

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from events.models import Event
from tests.factories import EventFactory, EventOrganizerFactory, ParticipationFactory

pytestmark = pytest.mark.django_db

SEOUL = zoneinfo.ZoneInfo("Asia/Seoul")


def test_event_times_are_stored_in_utc_and_shown_in_the_events_time_zone():
    start = datetime.datetime(2019, 4, 1, 9, 0, tzinfo=SEOUL)
    event = EventFactory(start=start, end=start + datetime.timedelta(days=4), timezone="Asia/Seoul")

    event.refresh_from_db()

    assert event.start == datetime.datetime(2019, 4, 1, 0, 0, tzinfo=datetime.UTC)
    assert event.local_start.hour == 9
    assert event.local_start.tzinfo == SEOUL
    assert event.local_end.date() == datetime.date(2019, 4, 5)


def test_event_cannot_end_before_it_starts():
    start = datetime.datetime(2019, 4, 1, tzinfo=datetime.UTC)
    with pytest.raises(IntegrityError):
        EventFactory(start=start, end=start - datetime.timedelta(hours=1))


def test_unknown_time_zone_is_a_validation_error():
    event = EventFactory.build(timezone="Mars/Olympus")
    with pytest.raises(ValidationError) as excinfo:
        event.full_clean(exclude=["slug"])
    assert "timezone" in excinfo.value.message_dict


def test_an_organization_holds_each_role_once_per_event():
    role = EventOrganizerFactory()
    with pytest.raises(IntegrityError):
        EventOrganizerFactory(event=role.event, organization=role.organization, role=role.role)


def test_a_country_participates_once_per_event():
    participation = ParticipationFactory(participants=3)
    with pytest.raises(IntegrityError):
        ParticipationFactory(event=participation.event, country=participation.country)


def test_upcoming_and_past_split_on_the_end_time():
    past = EventFactory()
    soon = datetime.datetime.now(datetime.UTC) + datetime.timedelta(days=10)
    upcoming = EventFactory(start=soon, end=soon + datetime.timedelta(days=1))
    hidden = EventFactory(start=soon, end=soon + datetime.timedelta(days=1), is_public=False)

    assert list(Event.objects.public().upcoming()) == [upcoming]
    assert list(Event.objects.public().past()) == [past]
    assert hidden not in Event.objects.public()


def test_side_event_points_to_the_event_it_was_held_at():
    conference = EventFactory(kind=Event.Kind.CONFERENCE)
    session = EventFactory(kind=Event.Kind.SPECIAL_SESSION, part_of=conference)

    assert list(conference.side_events.all()) == [session]
