import datetime

import pytest

from accounts.models import ApiToken
from accounts.services import authenticate_token, issue_token, revoke_token
from tests.factories import UserFactory

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
