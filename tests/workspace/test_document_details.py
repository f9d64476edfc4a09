"""A focal point corrects a document's title, kind and language on its case's page."""

import pytest
from django.urls import reverse

from paks.models import Document
from paks.services import document_version
from tests.factories import CaseStudyFactory, DocumentFactory, FocalPointFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def focal(client):
    appointment = FocalPointFactory()
    client.force_login(appointment.user)
    return appointment


@pytest.fixture
def document(focal):
    case = CaseStudyFactory(country=focal.country)
    return DocumentFactory(case=case, title="Slides")


def edit_url(document):
    return reverse("workspace:document-edit", args=[document.case.slug, document.pk])


def saved(document):
    document = Document.objects.get(pk=document.pk)
    return document.title, document.kind, document.language


def form_for(document, **changes):
    return {
        "title": document.title,
        "kind": document.kind,
        "language": document.language,
        "version": document_version(document),
        **changes,
    }


def test_the_case_page_links_each_documents_details(client, document):
    page = client.get(reverse("workspace:case-edit", args=[document.case.slug]))
    assert edit_url(document) in page.content.decode()
    form = client.get(edit_url(document))
    assert form.status_code == 200
    html = form.content.decode()
    assert 'name="version"' in html and document_version(document) in html
    assert 'value="Slides"' in html


def test_focal_point_saves_the_title_kind_and_language(client, focal, document):
    response = client.post(
        edit_url(document),
        form_for(document, title="Country report 2024", kind="report", language="en"),
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("workspace:case-edit", args=[document.case.slug])
    assert saved(document) == ("Country report 2024", "report", "en")
    history = Document.objects.get(pk=document.pk).history.first()
    assert history.history_user == focal.user


def test_a_save_over_someone_elses_change_is_refused_then_made_knowingly(client, document):
    read = form_for(document, title="Mine")
    Document.objects.filter(pk=document.pk).update(title="Theirs")  # a colleague saved first
    response = client.post(edit_url(document), read)
    assert response.status_code == 400
    html = response.content.decode()
    assert "Someone else changed this document" in html and "“Theirs”" in html
    assert saved(document)[0] == "Theirs"
    # The form now carries the version it was shown with: saving again replaces theirs.
    current = Document.objects.get(pk=document.pk)
    assert f'value="{document_version(current)}"' in html
    response = client.post(edit_url(document), {**read, "version": document_version(current)})
    assert response.status_code == 302 and saved(document)[0] == "Mine"


def test_a_form_without_its_version_saves_nothing(client, document):
    response = client.post(edit_url(document), form_for(document, title="New", version=""))
    assert response.status_code == 400
    assert saved(document)[0] == "Slides"


@pytest.mark.parametrize(
    ("changes", "field"),
    [({"kind": "castle"}, "kind"), ({"language": "xx"}, "language"), ({"title": ""}, "title")],
)
def test_a_bad_value_is_shown_on_its_field(client, document, changes, field):
    response = client.post(edit_url(document), form_for(document, **changes))
    assert response.status_code == 400
    assert f'id="id_{field}_error"' in response.content.decode()
    assert saved(document) == ("Slides", "presentation", "")


def test_another_countrys_document_does_not_exist_here(client, focal):
    elsewhere = DocumentFactory(title="Theirs")
    assert client.get(edit_url(elsewhere)).status_code == 404
    assert client.post(edit_url(elsewhere), form_for(elsewhere, title="X")).status_code == 404
    assert saved(elsewhere)[0] == "Theirs"


def test_a_submitted_cases_documents_wait_for_the_review(client, focal):
    case = CaseStudyFactory(country=focal.country, submitted=True)
    document = DocumentFactory(case=case, title="Slides")
    page = client.get(reverse("workspace:case-edit", args=[case.slug]))
    assert edit_url(document) not in page.content.decode()
    response = client.post(edit_url(document), form_for(document, title="Sneaky"), follow=True)
    assert "are not changed here" in response.content.decode()
    assert saved(document)[0] == "Slides"


def test_signed_out_people_are_sent_to_sign_in(document):
    from django.test import Client

    response = Client().post(edit_url(document), form_for(document, title="X"))
    assert response.status_code == 302 and "sign-in" in response["Location"]
    assert saved(document)[0] == "Slides"
