"""A person's own API tokens on the public site: create (shown once), list, revoke."""

import pytest
from django.urls import reverse

from accounts.models import ApiToken
from accounts.services import authenticate_token, issue_token
from tests.factories import FocalPointFactory, UserFactory

pytestmark = pytest.mark.django_db
TOKENS = reverse("account:tokens")


@pytest.fixture
def person(client):
    user = FocalPointFactory().user
    client.force_login(user)
    return user


def test_tokens_page_needs_sign_in(client):
    response = client.get(TOKENS)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account:sign-in"))


def test_sign_in_and_out_on_the_public_site(client):
    user = UserFactory(email="fp@example.org")
    page = client.get(reverse("account:sign-in"))
    assert page.status_code == 200 and b'autocomplete="current-password"' in page.content
    wrong = client.post(reverse("account:sign-in"), {"username": user.username, "password": "x"})
    assert wrong.status_code == 200 and b'role="alert"' in wrong.content
    response = client.post(
        reverse("account:sign-in"),
        {"username": user.username, "password": "correct horse battery staple"},
    )
    # Straight to the workspace, where a focal point starts.
    assert response.status_code == 302 and response["Location"] == reverse("workspace:home")
    assert b"Sign out" in client.get(TOKENS).content
    assert client.get(reverse("account:sign-out")).status_code == 405
    assert client.post(reverse("account:sign-out")).status_code == 302
    assert "_auth_user_id" not in client.session


def test_create_shows_the_key_once_and_it_works(client, person):
    response = client.post(TOKENS, {"name": "Ministry website", "valid_for": "90"})
    assert response.status_code == 200
    assert "no-cache" in response["Cache-Control"] or "no-store" in response["Cache-Control"]
    key = response.context["new_key"]
    assert key.encode() in response.content
    token = ApiToken.objects.get(user=person)
    assert token.name == "Ministry website" and key not in (token.digest, token.prefix)
    assert (token.expires_at - token.created_at).days == 90
    assert authenticate_token(key) == token
    again = client.get(TOKENS)
    assert key.encode() not in again.content and b"Ministry website" in again.content


def test_invalid_form_is_a_400_with_the_error_and_creates_nothing(client, person):
    response = client.post(TOKENS, {"name": "  ", "valid_for": "7"})
    assert response.status_code == 400
    assert b'class="errorlist"' in response.content
    assert not ApiToken.objects.exists()


def test_revoke_own_token_but_not_another_persons(client, person):
    mine, _ = issue_token(user=person, name="mine")
    theirs, _ = issue_token(user=UserFactory(), name="theirs")
    assert client.get(reverse("account:revoke-token", args=[mine.pk])).status_code == 405
    response = client.post(reverse("account:revoke-token", args=[theirs.pk]))
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.revoked_at is None
    response = client.post(reverse("account:revoke-token", args=[mine.pk]), follow=True)
    assert b"is revoked" in response.content
    mine.refresh_from_db()
    assert mine.revoked_at is not None
    assert [t.name for t in response.context["tokens"]] == ["mine"]


def test_deactivating_a_person_ends_their_session_and_tokens_at_once(client, person):
    from rest_framework.test import APIClient

    _, key = issue_token(user=person, name="cms")
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert client.get(TOKENS).status_code == 200
    assert api.get(reverse("api-v1:workspace-case-list")).status_code == 200
    person.is_active = False
    person.save()
    assert client.get(TOKENS).status_code == 302  # signed out: back to the sign-in page
    assert api.get(reverse("api-v1:workspace-case-list")).status_code == 401
