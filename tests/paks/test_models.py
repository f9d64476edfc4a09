import pytest
from django.db import IntegrityError

from paks.models import CaseStudy, Document
from tests.factories import (
    CaseStudyFactory,
    DocumentFactory,
    EditorFactory,
    EventFactory,
    FocalPointFactory,
    SDGFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def test_case_slug_is_unique():
    CaseStudyFactory(slug="e-procurement")
    with pytest.raises(IntegrityError):
        CaseStudyFactory(slug="e-procurement")


def test_case_titles_may_repeat():
    CaseStudyFactory(title="e-Procurement")
    CaseStudyFactory(title="e-Procurement")
    assert CaseStudy.objects.filter(title="e-Procurement").count() == 2


def test_published_case_must_have_a_publication_date():
    with pytest.raises(IntegrityError):
        CaseStudyFactory(status=CaseStudy.Status.PUBLISHED, published_at=None)


def test_published_queryset_leaves_out_drafts_and_submissions():
    published = CaseStudyFactory(published=True)
    CaseStudyFactory()
    CaseStudyFactory(submitted=True)
    CaseStudyFactory(status=CaseStudy.Status.ARCHIVED)

    assert list(CaseStudy.objects.published()) == [published]


def test_focal_point_may_edit_its_countrys_draft_but_not_a_submitted_case():
    focal = FocalPointFactory()
    draft = CaseStudyFactory(country=focal.country)
    submitted = CaseStudyFactory(country=focal.country, submitted=True)

    assert draft.is_editable_by(focal.user)
    assert not submitted.is_editable_by(focal.user)


def test_focal_point_cannot_edit_other_countrys_case():
    focal = FocalPointFactory()
    other = CaseStudyFactory()

    assert not other.is_editable_by(focal.user)


def test_editor_may_edit_any_case_and_plain_user_none():
    case = CaseStudyFactory(submitted=True)

    assert case.is_editable_by(EditorFactory())
    assert not case.is_editable_by(UserFactory())


def test_visible_to_shows_a_focal_point_its_countrys_drafts_only():
    focal = FocalPointFactory()
    own_draft = CaseStudyFactory(country=focal.country)
    published = CaseStudyFactory(published=True)
    CaseStudyFactory()  # another country's draft

    visible = set(CaseStudy.objects.visible_to(focal.user))

    assert visible == {own_draft, published}


def test_document_needs_a_case_or_an_event():
    with pytest.raises(IntegrityError):
        DocumentFactory(case=None, event=None)


def test_event_document_without_case_is_allowed():
    doc = DocumentFactory(case=None, event=EventFactory())
    assert doc.pk


def test_document_file_name_is_generated_by_the_server():
    doc = DocumentFactory(file__filename="../../etc/passwd <script>.pdf")

    assert doc.file.name.startswith("documents/")
    assert "passwd" not in doc.file.name
    assert "script" not in doc.file.name


def test_same_file_twice_on_one_case_is_refused():
    case = CaseStudyFactory()
    DocumentFactory(case=case, sha256="a" * 64)
    with pytest.raises(IntegrityError):
        DocumentFactory(case=case, sha256="a" * 64)


def test_public_documents_are_those_of_published_cases_and_public_events():
    public_case_doc = DocumentFactory(case=CaseStudyFactory(published=True))
    DocumentFactory(case=CaseStudyFactory())
    event_doc = DocumentFactory(case=None, event=EventFactory())
    DocumentFactory(case=None, event=EventFactory(is_public=False))

    assert set(Document.objects.public()) == {public_case_doc, event_doc}


def test_sdg_number_must_be_between_1_and_17():
    with pytest.raises(IntegrityError):
        SDGFactory(number=18)
