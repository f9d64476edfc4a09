"""Bodies declaring more than the upload limit are refused before they are read."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("path", "expect"),
    [
        # On the site: a page that says what happened.
        ("/admin/paks/document/add/", lambda r: "larger than 1.0\xa0KB" in r.content.decode()),
        # Under /api/: the API's JSON error.
        ("/api/v1/cases/x/documents/", lambda r: r.json()["code"] == "too_large"),
    ],
)
def test_a_body_declaring_more_than_the_limit_is_refused_with_413(client, settings, path, expect):
    settings.PAKS_MAX_UPLOAD_BYTES = 1024
    response = client.generic(
        "POST",
        path,
        data=b"x",
        content_type="multipart/form-data; boundary=x",
        CONTENT_LENGTH=str(50 * 1024 * 1024),
    )
    assert response.status_code == 413
    assert expect(response)


def test_ordinary_requests_pass(client):
    assert client.post("/account/sign-in/", {"username": "a", "password": "b"}).status_code == 200
