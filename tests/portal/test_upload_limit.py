"""Bodies declaring more than the upload limit are refused before they are read."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.fixture
def small_limit(settings):
    settings.PAKS_MAX_UPLOAD_BYTES = 1024


def test_a_huge_admin_upload_is_refused_with_a_page(client, small_limit):
    response = client.generic(
        "POST",
        "/admin/paks/document/add/",
        data=b"x",
        content_type="multipart/form-data; boundary=x",
        CONTENT_LENGTH=str(50 * 1024 * 1024),
    )
    assert response.status_code == 413
    assert "larger than 1.0\xa0KB" in response.content.decode()
    assert b"The upload is too large" in response.content


def test_a_huge_api_upload_is_refused_in_json(client, small_limit):
    response = client.generic(
        "POST",
        "/api/v1/cases/x/documents/",
        data=b"x",
        content_type="multipart/form-data; boundary=x",
        CONTENT_LENGTH=str(50 * 1024 * 1024),
    )
    assert response.status_code == 413
    assert response.json()["code"] == "too_large"


def test_ordinary_requests_pass(client):
    assert client.post("/account/sign-in/", {"username": "a", "password": "b"}).status_code == 200
