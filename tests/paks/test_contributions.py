"""Contributions to an event: who may add and change them, their review, their documents,
and the people who give them."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from pypdf import PdfWriter

from accounts.models import AuditEvent
from events.models import Person
from paks import contributions as services
from paks.documents.accept import DocumentRejected, accept_document
from paks.models import Contribution, ContributionSpeaker, Document
from paks.services import InvalidTransition, NotAllowed
from tests.factories import (
    CaseStudyFactory,
    ContributionFactory,
    CountryFactory,
    EditorFactory,
    EventFactory,
    FocalPointFactory,
    ParticipationFactory,
    PersonFactory,
    SessionFactory,
)

pytestmark = pytest.mark.django_db


def pdf(pages: int = 1) -> bytes:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=200, height=200)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@pytest.fixture
def event():
    return EventFactory()


@pytest.fixture
def focal_point(event):
    point = FocalPointFactory()
    ParticipationFactory(event=event, country=point.country)
    return point


def test_a_focal_point_adds_its_countrys_contribution_as_a_draft(event, focal_point):
    session = SessionFactory(event=event)
    case = CaseStudyFactory(country=focal_point.country)
    speaker = PersonFactory()
    made = services.create_contribution(
        user=focal_point.user,
        event=event,
        data={"title": "One-stop shops", "session": session, "case": case},
        speakers=[speaker],
    )
    assert (made.status, made.country, made.case, made.session) == (
        Contribution.Status.DRAFT,
        focal_point.country,
        case,
        session,
    )
    assert list(made.speakers.all()) == [speaker]
    assert AuditEvent.objects.filter(action="contribution_created").count() == 1


def test_another_countrys_contribution_is_refused_naming_the_field(event, focal_point):
    other = CountryFactory()
    ParticipationFactory(event=event, country=other)
    with pytest.raises(services.Refused) as refused:
        services.create_contribution(
            user=focal_point.user, event=event, data={"title": "x"}, country=other
        )
    assert refused.value.field == "country"
    assert not Contribution.objects.exists()


def test_a_country_that_did_not_take_part_cannot_contribute(focal_point):
    elsewhere = EventFactory()
    with pytest.raises(services.Refused) as refused:
        services.create_contribution(user=focal_point.user, event=elsewhere, data={"title": "x"})
    assert refused.value.field == "country"


def test_a_session_of_another_event_or_a_case_of_another_country_is_refused(event, focal_point):
    with pytest.raises(services.Refused) as refused:
        services.create_contribution(
            user=focal_point.user,
            event=event,
            data={"title": "x", "session": SessionFactory()},
        )
    assert refused.value.field == "session"
    with pytest.raises(services.Refused) as refused:
        services.create_contribution(
            user=focal_point.user,
            event=event,
            data={"title": "x", "case": CaseStudyFactory(published=True)},
        )
    assert refused.value.field == "case"
    assert not Contribution.objects.exists()


def test_review_submit_return_submit_publish(event, focal_point):
    editor = EditorFactory()
    made = services.create_contribution(user=focal_point.user, event=event, data={"title": "x"})
    made = services.submit_contribution(contribution=made, user=focal_point.user)
    with pytest.raises(InvalidTransition):
        services.update_contribution(
            contribution=made, user=focal_point.user, data={"title": "y"}, expected_version=None
        )
    with pytest.raises(NotAllowed):
        services.publish_contribution(contribution=made, editor=focal_point.user)
    made = services.return_contribution(contribution=made, editor=editor, comment="Add slides")
    made = services.update_contribution(
        contribution=made,
        user=focal_point.user,
        data={"title": "y"},
        expected_version=made.version,
    )
    made = services.submit_contribution(contribution=made, user=focal_point.user)
    made = services.publish_contribution(contribution=made, editor=editor)
    assert (made.title, made.status) == ("y", Contribution.Status.PUBLISHED)
    assert made.published_at is not None


def test_another_countrys_focal_point_cannot_touch_a_draft(event, focal_point):
    made = ContributionFactory(event=event, country=focal_point.country)
    stranger = FocalPointFactory()
    with pytest.raises(NotAllowed):
        services.update_contribution(
            contribution=made, user=stranger.user, data={"title": "y"}, expected_version=None
        )
    with pytest.raises(NotAllowed):
        services.submit_contribution(contribution=made, user=stranger.user)
    with pytest.raises(NotAllowed):
        services.delete_contribution(contribution=made, user=stranger.user)
    assert Contribution.objects.get().title == made.title


def test_slides_are_public_once_the_contribution_is_published(event, focal_point):
    made = ContributionFactory(event=event, country=focal_point.country)
    slides = accept_document(
        upload=SimpleUploadedFile("slides.pdf", pdf()),
        contribution=made,
        uploaded_by=focal_point.user,
    )
    assert (slides.event, slides.case) == (event, None)
    assert not Document.objects.public().filter(pk=slides.pk).exists()
    made.status, made.published_at = Contribution.Status.PUBLISHED, event.start
    made.save()
    assert Document.objects.public().filter(pk=slides.pk).exists()
    stranger = FocalPointFactory()
    with pytest.raises(DocumentRejected) as refused:
        accept_document(
            upload=SimpleUploadedFile("more.pdf", pdf(2)),
            contribution=made,
            uploaded_by=stranger.user,
        )
    assert refused.value.code == "forbidden"
    assert Document.objects.count() == 1


def test_a_speaker_is_recorded_once_and_editors_merge_duplicates(event, focal_point):
    country = focal_point.country
    first = services.person_named(name="Ana  Lima", country=country)
    assert services.person_named(name="ana lima", position="Minister", country=country) == first
    first.refresh_from_db()
    assert first.position == "Minister"
    duplicate = PersonFactory(name="A. Lima")
    made = ContributionFactory(event=event, country=country)
    ContributionSpeaker.objects.create(contribution=made, person=duplicate)
    chaired = SessionFactory(event=event)
    chaired.chairs.add(duplicate)
    with pytest.raises(NotAllowed):
        services.merge_people(keep=first, duplicates=[duplicate], editor=focal_point.user)
    services.merge_people(keep=first, duplicates=[duplicate], editor=EditorFactory())
    assert list(made.speakers.all()) == [first]
    assert list(chaired.chairs.all()) == [first]
    assert list(Person.objects.all()) == [first]
