"""Invitations, password reset, the audit log, reminders and reverting from the history."""

import datetime
import re

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from accounts.models import AuditEvent, Invitation, User
from countries.models import FocalPoint
from countries.services import invite
from paks import services
from paks.models import CaseStudy
from tests.factories import (
    EditorFactory,
    FocalPointFactory,
    OrganizationFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
PASSWORD = "a long and new passphrase 42"


def invitation(django_capture_on_commit_callbacks, **kwargs):
    organization = OrganizationFactory()
    with django_capture_on_commit_callbacks(execute=True):
        record, key = invite(
            email=kwargs.get("email", "invitee@example.org"),
            country=organization.country,
            organization=organization,
            invited_by=EditorFactory(),
        )
    return record, reverse("workspace:accept-invitation", args=[key])


def accept(client, url, **overrides):
    data = {"first_name": "A", "last_name": "B", "password1": PASSWORD, "password2": PASSWORD}
    return client.post(url, {**data, **overrides})


def test_an_invitation_is_stored_as_a_digest_and_mailed_once(django_capture_on_commit_callbacks):
    record, url = invitation(django_capture_on_commit_callbacks)
    key = url.rstrip("/").rsplit("/", 1)[1]
    assert key not in record.digest and record.digest == Invitation.digest_of(key)
    [message] = mail.outbox
    assert message.to == ["invitee@example.org"]
    assert f"http://127.0.0.1:8000{url}" in message.body
    assert "works once, for 14 days" in message.body


def test_an_expired_invitation_does_nothing(client, django_capture_on_commit_callbacks):
    record, url = invitation(django_capture_on_commit_callbacks)
    Invitation.objects.filter(pk=record.pk).update(expires_at=timezone.now())
    assert client.get(url).status_code == 410
    response = accept(client, url)
    assert response.status_code == 410
    assert b"no longer works" in response.content
    assert not User.objects.filter(email="invitee@example.org").exists()


def test_an_invitation_works_once(client, django_capture_on_commit_callbacks):
    _, url = invitation(django_capture_on_commit_callbacks)
    assert accept(client, url).status_code == 302
    client.logout()
    assert (
        accept(client, url, password1="another one 99 x", password2="another one 99 x").status_code
        == 410
    )
    user = User.objects.get(email="invitee@example.org")
    assert user.check_password(PASSWORD)
    assert FocalPoint.objects.filter(user=user).count() == 1


def test_a_link_mailed_before_the_page_moved_to_the_workspace_still_leads_there(
    client, django_capture_on_commit_callbacks
):
    _, url = invitation(django_capture_on_commit_callbacks)
    key = url.rstrip("/").rsplit("/", 1)[1]
    response = client.get(f"/account/invitation/{key}/", follow=True)
    assert response.redirect_chain == [(url, 302)]
    assert response.status_code == 200
    assert b"invitee@example.org" in response.content


def test_a_weak_or_mismatched_password_is_explained_and_the_link_stays_open(
    client, django_capture_on_commit_callbacks
):
    record, url = invitation(django_capture_on_commit_callbacks)
    weak = accept(client, url, password1="123", password2="123")
    assert weak.status_code == 400 and b"This password is too short" in weak.content
    differ = accept(client, url, password2="something else entirely")
    assert differ.status_code == 400 and b"The two passwords differ." in differ.content
    record.refresh_from_db()
    assert record.is_open and not User.objects.filter(email="invitee@example.org").exists()


def test_an_existing_focal_point_is_not_invited_again(client):
    focal = FocalPointFactory()
    client.force_login(EditorFactory())
    response = client.post(
        reverse("admin:accounts_invitation_add"),
        {
            "email": focal.user.email.upper(),
            "country": focal.country.pk,
            "organization": focal.organization.pk,
        },
    )
    assert response.status_code == 200
    assert "is already a focal point for" in response.content.decode()
    assert not Invitation.objects.exists() and not mail.outbox


def test_password_reset_by_email(client, django_capture_on_commit_callbacks):
    user = UserFactory(email="forgetful@example.org")
    response = client.post(reverse("account:password-reset"), {"email": "forgetful@example.org"})
    assert response.status_code == 302
    assert response["Location"] == reverse("account:password-reset-sent")
    [message] = mail.outbox
    assert message.to == ["forgetful@example.org"]
    link = re.search(r"http://testserver(\S+)", message.body).group(1)
    form_page = client.get(link, follow=True)
    assert b"Choose a new password" in form_page.content
    set_url = form_page.redirect_chain[-1][0]
    response = client.post(set_url, {"new_password1": PASSWORD, "new_password2": PASSWORD})
    assert response.status_code == 302 and response["Location"] == reverse("account:sign-in")
    user.refresh_from_db()
    assert user.check_password(PASSWORD)
    assert AuditEvent.objects.filter(action="password_reset", actor=user).exists()
    # The link worked once.
    assert b"This link no longer works" in client.get(link, follow=True).content


def test_password_reset_for_an_unknown_address_looks_the_same_and_sends_nothing(client):
    response = client.post(reverse("account:password-reset"), {"email": "nobody@example.org"})
    assert response.status_code == 302
    assert response["Location"] == reverse("account:password-reset-sent")
    assert mail.outbox == []


def test_sign_ins_tokens_and_sign_outs_are_in_the_audit_log(client):
    user = UserFactory(email="audited@example.org")
    sign_in = reverse("account:sign-in")
    client.post(sign_in, {"username": user.username, "password": "wrong"}, REMOTE_ADDR="10.1.2.3")
    client.post(sign_in, {"username": user.username, "password": "correct horse battery staple"})
    client.post(reverse("account:tokens"), {"name": "Website", "valid_for": "30"})
    token = user.api_tokens.get()
    client.post(reverse("account:revoke-token", args=[token.pk]))
    client.post(reverse("account:sign-out"))
    events = list(
        AuditEvent.objects.order_by("at", "pk").values_list("action", "actor_label", "ip_address")
    )
    assert [action for action, _, _ in events] == [
        "sign_in_failed",
        "signed_in",
        "token_created",
        "token_revoked",
        "signed_out",
    ]
    assert events[0][2] == "10.1.2.3"
    assert {label for _, label, _ in events[1:]} == {"audited@example.org"}
    failed = AuditEvent.objects.get(action="sign_in_failed")
    assert "audited@example.org" in failed.detail and "wrong" not in failed.detail
    # Nobody edits the log, not even editors.
    client.force_login(EditorFactory())
    change = reverse("admin:accounts_auditevent_change", args=[failed.pk])
    assert client.post(change, {"detail": "x"}).status_code == 403
    assert client.get(reverse("admin:accounts_auditevent_changelist")).status_code == 200


def test_stale_countries_focal_points_are_reminded_once_in_a_while(
    settings, django_capture_on_commit_callbacks
):
    settings.PAKS_STALE_AFTER_DAYS = 180
    long_ago = timezone.now() - datetime.timedelta(days=400)
    stale = FocalPointFactory(last_confirmed_at=long_ago)
    never = FocalPointFactory()
    FocalPointFactory(last_confirmed_at=timezone.now() - datetime.timedelta(days=10))  # fresh
    with django_capture_on_commit_callbacks(execute=True):
        call_command("remind_stale_countries", "--dry-run")
    assert mail.outbox == []
    with django_capture_on_commit_callbacks(execute=True):
        call_command("remind_stale_countries")
    assert sorted(m.to[0] for m in mail.outbox) == sorted([stale.user.email, never.user.email])
    stale_mail = next(m for m in mail.outbox if m.to == [stale.user.email])
    assert f"last confirmed on {long_ago:%-d %B %Y}" in stale_mail.body
    assert "http://127.0.0.1:8000/workspace/" in stale_mail.body
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("remind_stale_countries")
    assert mail.outbox == []  # reminded already, within PAKS_STALE_REMINDER_DAYS


def test_editors_revert_a_case_to_an_earlier_version_without_touching_its_status(client):
    focal = FocalPointFactory()
    case = services.create_case(
        user=focal.user,
        data={"title": "Old title", "summary": "Old summary.", "year": 2020},
    )
    case = services.update_case(
        case=case, user=focal.user, data={"title": "New title"}, expected_version=1
    )
    case = services.submit_case(case=case, user=focal.user)
    first = case.history.order_by("history_date", "history_id").first()
    assert first.title == "Old title"
    editor = EditorFactory()
    client.force_login(editor)
    url = reverse("admin:paks_casestudy_simple_history", args=[case.pk, first.history_id])
    page = client.get(url)
    assert page.status_code == 200 and b"Revert" in page.content
    form = {
        "title": "Old title",
        "country": case.country.pk,
        "organization": "",
        "year": "2020",
        "language": "en",
        "summary": "Old summary.",
        "challenge": "",
        "solution": "",
        "results": "",
        "lessons_learned": "",
        "event": "",
        "seen_version": str(case.version),
        "links-TOTAL_FORMS": "0",
        "links-INITIAL_FORMS": "0",
        "documents-TOTAL_FORMS": "0",
        "documents-INITIAL_FORMS": "0",
        "comments-TOTAL_FORMS": "0",
        "comments-INITIAL_FORMS": "0",
    }
    response = client.post(url, form)
    assert response.status_code == 302, response.content.decode()[:2000]
    reverted = CaseStudy.objects.get(pk=case.pk)
    assert reverted.title == "Old title"
    assert reverted.status == "submitted"  # the workflow decides the status, not a revert
    assert reverted.version == case.version + 1
    assert reverted.history.latest().history_user == editor
