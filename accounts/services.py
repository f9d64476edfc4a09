"""Writes about people's accounts: API tokens and invitations."""

import datetime
import secrets
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from accounts import audit
from accounts.models import ApiToken, Invitation, User
from countries.models import Country, FocalPoint, Organization
from countries.services import appoint_focal_point

TOKEN_PREFIX = "paks_"


@transaction.atomic
def issue_token(
    *,
    user: User,
    name: str,
    valid_for: datetime.timedelta | None = datetime.timedelta(days=365),
    created_by: User | None = None,
) -> tuple[ApiToken, str]:
    """Create a token and return it with its key, which is never stored nor shown again."""
    if not user.is_active:
        raise ValueError("An inactive account cannot be given a token.")
    if not name.strip():
        raise ValueError("Give the token a name that says what it is for.")
    key = TOKEN_PREFIX + secrets.token_urlsafe(32)
    now = timezone.now()
    token = ApiToken.objects.create(
        user=user,
        name=name.strip(),
        prefix=key[: len(TOKEN_PREFIX) + 6],
        digest=ApiToken.digest_of(key),
        created_at=now,
        expires_at=now + valid_for if valid_for else None,
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


class InvitationError(Exception):
    """An invitation that cannot be sent or used; the message says why."""


@transaction.atomic
def invite(
    *,
    email: str,
    country: Country,
    organization: Organization,
    invited_by: User,
    position: str = "",
) -> tuple[Invitation, str]:
    """Invite a person by e-mail to be a country's focal point; returns the link's key."""
    from paks import notifications

    email = User.objects.normalize_email(email).strip().lower()
    if FocalPoint.objects.active().filter(user__email__iexact=email, country=country).exists():
        raise InvitationError(f"{email} is already a focal point for {country.name}.")
    key = secrets.token_urlsafe(32)
    invitation = Invitation.objects.create(
        email=email,
        country=country,
        organization=organization,
        position=position,
        digest=Invitation.digest_of(key),
        invited_by=invited_by,
        expires_at=timezone.now() + datetime.timedelta(days=settings.PAKS_INVITATION_DAYS),
    )
    audit.record(audit.Action.INVITATION_SENT, actor=invited_by, target=invitation, detail=email)
    notifications.invitation(invitation, key)
    return invitation, key


def open_invitation(key: str) -> Invitation | None:
    """The invitation this link's key opens, if it is still unused and unexpired."""
    invitation = (
        Invitation.objects.select_related("country", "organization")
        .filter(digest=Invitation.digest_of(key))
        .first()
    )
    return invitation if invitation is not None and invitation.is_open else None


@transaction.atomic
def accept_invitation(
    *, key: str, password: str, first_name: str = "", last_name: str = "", request: Any = None
) -> User:
    """Use an invitation once: set the person's password and appoint them focal point."""
    invitation = (
        Invitation.objects.select_for_update().filter(digest=Invitation.digest_of(key)).first()
    )
    if invitation is None or not invitation.is_open:
        raise InvitationError("This invitation link has expired or has already been used.")
    user = User.objects.filter(email__iexact=invitation.email).first()
    if user is None:
        user = User(email=invitation.email, username=invitation.email)
    if not user.is_active:
        raise InvitationError("This account is deactivated; ask an editor to restore it.")
    user.first_name = first_name.strip() or user.first_name
    user.last_name = last_name.strip() or user.last_name
    user.set_password(password)
    user.save()
    if not FocalPoint.objects.active().filter(user=user, country=invitation.country).exists():
        appoint_focal_point(
            user=user,
            country=invitation.country,
            organization=invitation.organization,
            position=invitation.position,
        )
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    audit.record(audit.Action.INVITATION_ACCEPTED, actor=user, target=invitation, request=request)
    return user
