"""Writes about people's accounts: API tokens, preferences. (Invitations to become a focal point
are in `countries.services`.)"""

import datetime
import secrets

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from accounts import audit
from accounts.models import ApiToken, User

TOKEN_PREFIX = "paks_"


@transaction.atomic
def issue_token(
    *,
    user: User,
    name: str,
    valid_for: datetime.timedelta | None = datetime.timedelta(days=365),
    created_by: User | None = None,
    scope: str = ApiToken.Scope.WRITE,
    expires_at: datetime.datetime | None = None,
) -> tuple[ApiToken, str]:
    """Create a token and return it with its key, which is never stored nor shown again.

    It expires `valid_for` from now, or at `expires_at` when that is given."""
    # The messages reach people: the API answers them as the reason of a 400.
    if not user.is_active:
        raise ValueError(gettext("An inactive account cannot be given a token."))
    if not name.strip():
        raise ValueError(gettext("Give the token a name that says what it is for."))
    if scope not in ApiToken.Scope.values:
        raise ValueError(
            # Translators: %(scopes)s lists the scopes as the API spells them: read, write.
            gettext("A token's scope is one of %(scopes)s.")
            % {"scopes": ", ".join(ApiToken.Scope.values)}
        )
    now = timezone.now()
    if expires_at is not None and expires_at <= now:
        raise ValueError(gettext("A token must expire in the future."))
    key = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        name=name.strip(),
        prefix=key[: len(TOKEN_PREFIX) + 6],
        digest=ApiToken.digest_of(key),
        created_at=now,
        expires_at=expires_at or (now + valid_for if valid_for else None),
        scope=scope,
    )
    audit.record(
        audit.Action.TOKEN_CREATED, actor=created_by or user, target=token, detail=user.email
    )
    return token, key


def revoke_token(*, token: ApiToken, revoked_by: User | None = None) -> ApiToken:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit.record(
            audit.Action.TOKEN_REVOKED,
            actor=revoked_by or token.user,
            target=token,
            detail=token.user.email,
        )
    return token


def authenticate_token(key: str) -> ApiToken | None:
    """The usable token with this key, or None; marks its last use at most once a minute."""
    token = (
        ApiToken.objects.usable()
        .select_related("user")
        .filter(digest=ApiToken.digest_of(key))
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > datetime.timedelta(minutes=1):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token


def set_email_language(*, user: User, language: str) -> User:
    """Write to this person in `language` (one of the site's) from now on."""
    if language not in dict(settings.LANGUAGES):
        raise ValueError(
            # Translators: %(languages)s lists the language codes: ar, zh-hans, en, fr, ru, es.
            gettext("The language is one of %(languages)s.")
            % {"languages": ", ".join(code for code, _name in settings.LANGUAGES)}
        )
    if user.language != language:
        user.language = language
        user.save(update_fields=["language"])
    return user
