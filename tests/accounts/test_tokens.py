import datetime

import pytest
from django.core.management import CommandError, call_command

from accounts.models import ApiToken
from accounts.services import authenticate_token, issue_token, revoke_token
from tests.factories import EditorFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_issued_token_is_stored_only_as_a_digest():
    token, key = issue_token(user=UserFactory(), name="ministry CMS")

    assert key.startswith("paks_")
    stored = ApiToken.objects.get()
    assert stored.digest != key
    assert key not in (stored.digest, stored.prefix)
    assert key.startswith(stored.prefix)
    assert authenticate_token(key) == token


def test_revoked_token_no_longer_authenticates():
    token, key = issue_token(user=UserFactory(), name="script")

    revoke_token(token=token)

    assert authenticate_token(key) is None


def test_expired_token_and_inactive_user_fail():
    user = UserFactory()
    _, expired_key = issue_token(user=user, name="old", valid_for=datetime.timedelta(seconds=-1))
    _, key = issue_token(user=user, name="current")

    assert authenticate_token(expired_key) is None
    user.is_active = False
    user.save()
    assert authenticate_token(key) is None


def test_token_needs_a_name_and_an_active_user():
    with pytest.raises(ValueError, match="name"):
        issue_token(user=UserFactory(), name="  ")
    with pytest.raises(ValueError, match="inactive"):
        issue_token(user=UserFactory(is_active=False), name="x")
    assert not ApiToken.objects.exists()


def test_authentication_records_last_use():
    _, key = issue_token(user=UserFactory(), name="script")

    token = authenticate_token(key)

    assert token is not None
    assert ApiToken.objects.get().last_used_at is not None


def test_issue_token_command_prints_the_key_once_and_stores_its_digest(capsys):

    user = UserFactory(email="focal@example.org")
    call_command("issue_token", "--email", "focal@example.org", "--name", "ministry CMS")
    out, err = capsys.readouterr()
    key = out.strip()
    assert key.startswith("paks_") and "Copy the key now" in err
    token = ApiToken.objects.get(user=user)
    assert token.name == "ministry CMS" and key not in token.digest
    assert authenticate_token(key) == token


def test_issue_token_command_refuses_unknown_people_and_inactive_accounts():

    with pytest.raises(CommandError, match="No user"):
        call_command("issue_token", "--email", "nobody@example.org")
    UserFactory(email="gone@example.org", is_active=False)
    with pytest.raises(CommandError, match="inactive"):
        call_command("issue_token", "--email", "gone@example.org")
    assert not ApiToken.objects.exists()


def test_sign_in_is_locked_out_after_repeated_wrong_passwords(client, settings):
    settings.AXES_FAILURE_LIMIT = 3
    editor = EditorFactory(email="editor@example.org")
    login = "/admin/login/"
    for _ in range(3):
        response = client.post(login, {"username": editor.username, "password": "wrong"})
    assert response.status_code == 429
    # Even the right password is refused while locked out.
    response = client.post(
        login, {"username": editor.username, "password": "correct horse battery staple"}
    )
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
