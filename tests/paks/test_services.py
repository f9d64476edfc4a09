import pytest

from paks.models import CaseComment, CaseStudy
from paks.services import (
    InvalidTransition,
    NotAllowed,
    ServiceError,
    archive_case,
    publish_case,
    request_changes,
    submit_case,
    unique_case_slug,
)
from tests.factories import CaseStudyFactory, EditorFactory, FocalPointFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_focal_point_submits_its_countrys_draft():
    focal = FocalPointFactory()
    case = CaseStudyFactory(country=focal.country)

    case = submit_case(case=case, user=focal.user)

    assert case.status == CaseStudy.Status.SUBMITTED
    assert case.submitted_at is not None
    assert case.version == 2


def test_focal_point_cannot_submit_another_countrys_draft():
    focal = FocalPointFactory()
    case = CaseStudyFactory()

    with pytest.raises(NotAllowed):
        submit_case(case=case, user=focal.user)

    case.refresh_from_db()
    assert case.status == CaseStudy.Status.DRAFT
    assert case.version == 1


def test_ended_focal_point_cannot_submit():
    focal = FocalPointFactory(until="2021-01-01")
    case = CaseStudyFactory(country=focal.country)

    with pytest.raises(NotAllowed):
        submit_case(case=case, user=focal.user)


def test_editor_publishes_a_submitted_case():
    case = CaseStudyFactory(submitted=True)

    case = publish_case(case=case, editor=EditorFactory())

    assert case.status == CaseStudy.Status.PUBLISHED
    assert case.published_at is not None
    assert CaseStudy.objects.published().get() == case


def test_publishing_a_draft_is_refused_and_changes_nothing():
    case = CaseStudyFactory()

    with pytest.raises(InvalidTransition, match="Cannot publish a case that is draft"):
        publish_case(case=case, editor=EditorFactory())

    case.refresh_from_db()
    assert (case.status, case.published_at, case.version) == (CaseStudy.Status.DRAFT, None, 1)


def test_focal_point_cannot_publish():
    focal = FocalPointFactory()
    case = CaseStudyFactory(country=focal.country, submitted=True)

    with pytest.raises(NotAllowed):
        publish_case(case=case, editor=focal.user)

    case.refresh_from_db()
    assert case.status == CaseStudy.Status.SUBMITTED


def test_request_changes_returns_the_case_with_a_comment():
    editor = EditorFactory()
    case = CaseStudyFactory(submitted=True)

    case = request_changes(case=case, editor=editor, comment="  Add uptake figures.  ")

    assert case.status == CaseStudy.Status.CHANGES_REQUESTED
    comment = CaseComment.objects.get(case=case)
    assert (comment.author, comment.body) == (editor, "Add uptake figures.")


def test_request_changes_without_comment_is_refused():
    case = CaseStudyFactory(submitted=True)

    with pytest.raises(ServiceError, match="comment is required"):
        request_changes(case=case, editor=EditorFactory(), comment="   ")

    case.refresh_from_db()
    assert case.status == CaseStudy.Status.SUBMITTED
    assert not CaseComment.objects.exists()


def test_returned_case_can_be_resubmitted_and_published():
    focal = FocalPointFactory()
    editor = EditorFactory()
    case = CaseStudyFactory(country=focal.country)

    case = submit_case(case=case, user=focal.user)
    case = request_changes(case=case, editor=editor, comment="Shorten the summary.")
    case = submit_case(case=case, user=focal.user)
    case = publish_case(case=case, editor=editor)

    assert case.status == CaseStudy.Status.PUBLISHED
    assert case.version == 5


def test_archiving_takes_a_case_off_the_public_list():
    case = CaseStudyFactory(published=True)

    archive_case(case=case, editor=EditorFactory())

    assert not CaseStudy.objects.published().exists()


def test_plain_user_cannot_archive():
    case = CaseStudyFactory(published=True)

    with pytest.raises(NotAllowed):
        archive_case(case=case, editor=UserFactory())


def test_case_slugs_stay_unique_when_titles_repeat():
    CaseStudyFactory(title="Digital ID", slug="digital-id")
    CaseStudyFactory(title="Digital ID", slug="digital-id-2")

    assert unique_case_slug("Digital ID") == "digital-id-3"
    assert unique_case_slug("Ñandutí e-Services!") == "nanduti-e-services"
    assert unique_case_slug("???") == "case"
