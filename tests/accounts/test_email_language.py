"""E-mail in its reader's language: each person chooses theirs, every message and every link in
it follows that choice, whatever the language of the page that caused it."""

import datetime
import re

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone, translation

from accounts.models import Invitation, User
from accounts.services import set_email_language
from countries.services import InvitationError, invite
from paks import services
from tests.factories import (
    CaseStudyFactory,
    CountryFactory,
    EditorFactory,
    FocalPointFactory,
    OrganizationFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
SITE = "http://127.0.0.1:8000"
PASSWORD = "a long and new passphrase 42"


def links_in(message, prefix=SITE):
    return re.findall(re.escape(prefix) + r"(\S+)", message.body)


def message_to(address):
    [message] = [m for m in mail.outbox if m.to == [address]]
    return message


@pytest.fixture
def germany():
    # A real code, so that the country has a name of its own in each language (CLDR's).
    return CountryFactory(iso3="DEU", iso2="DE", name="Germany", slug="germany")


def test_each_focal_point_reads_the_publication_notice_in_their_own_language(
    germany, django_capture_on_commit_callbacks
):
    french = FocalPointFactory(country=germany, user__email="fr@example.org", user__language="fr")
    english = FocalPointFactory(country=germany, user__email="en@example.org")
    case = CaseStudyFactory(country=germany, title="Registres fonciers", status="submitted")
    # The editor works in Russian: that changes nobody's message.
    with translation.override("ru"), django_capture_on_commit_callbacks(execute=True):
        services.publish_case(case=case, editor=EditorFactory())

    assert sorted(m.to[0] for m in mail.outbox) == [english.user.email, french.user.email]
    in_french, in_english = message_to("fr@example.org"), message_to("en@example.org")
    assert in_french.subject == "Publié\u00a0: Registres fonciers"  # French spaces its colons
    assert in_english.subject == "Published: Registres fonciers"
    assert links_in(in_french) == [f"/fr/cases/{case.slug}/"]
    assert links_in(in_english) == [f"/cases/{case.slug}/"]
    assert "Allemagne" in in_french.body and "Germany" not in in_french.body
    assert "Germany" in in_english.body


def test_changes_requested_links_to_the_workspace_in_the_focal_points_language(
    django_capture_on_commit_callbacks,
):
    focal = FocalPointFactory(user__language="es")
    case = CaseStudyFactory(country=focal.country, status="submitted")
    with django_capture_on_commit_callbacks(execute=True):
        services.request_changes(case=case, editor=EditorFactory(), comment="Añadan cifras.")
    [message] = mail.outbox
    assert message.subject == f"Cambios solicitados: {case.title}"
    assert links_in(message) == [f"/es/workspace/cases/{case.slug}/"]
    with translation.override("es"):
        assert links_in(message) == [reverse("workspace:case-edit", args=[case.slug])]


def test_editors_in_arabic_get_the_submission_notice_in_arabic(
    django_capture_on_commit_callbacks,
):
    EditorFactory(email="arabic@example.org", language="ar")
    EditorFactory(email="english@example.org")
    focal = FocalPointFactory(user__language="fr")
    case = CaseStudyFactory(country=focal.country, title="Land records")
    with translation.override("fr"), django_capture_on_commit_callbacks(execute=True):
        services.submit_case(case=case, user=focal.user)

    in_arabic, in_english = message_to("arabic@example.org"), message_to("english@example.org")
    assert in_arabic.subject == "دراسة حالة مقدَّمة للمراجعة: Land records"
    assert in_english.subject == "Case submitted for review: Land records"
    # The admin's address has no language in it: the same link in both.
    review = reverse("admin:paks_casestudy_review", args=[case.pk])
    assert links_in(in_arabic) == links_in(in_english) == [review]


def test_a_reminder_gives_the_date_in_the_focal_points_language(
    settings, django_capture_on_commit_callbacks
):
    settings.PAKS_STALE_AFTER_DAYS = 180
    last = timezone.make_aware(datetime.datetime(2024, 3, 5, 12, 0))
    FocalPointFactory(user__email="ru@example.org", user__language="ru", last_confirmed_at=last)
    FocalPointFactory(user__email="en@example.org", last_confirmed_at=last)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("remind_stale_countries")
    in_russian, in_english = message_to("ru@example.org"), message_to("en@example.org")
    assert "5 марта 2024" in in_russian.body
    assert links_in(in_russian) == ["/ru/workspace/"]
    assert "5 March 2024" in in_english.body
    assert links_in(in_english) == ["/workspace/"]


def test_the_password_reset_email_is_in_the_persons_language(client):
    UserFactory(email="lectrice@example.org", language="fr")
    # Asked for on an English page.
    response = client.post(reverse("account:password-reset"), {"email": "lectrice@example.org"})
    assert response.status_code == 302
    [message] = mail.outbox
    assert message.subject == "Réinitialisation de votre mot de passe PAKS"
    assert "Public Administration Knowledge Space" not in message.body
    [link] = links_in(message, prefix="http://testserver")
    assert link.startswith("/fr/account/password-reset/")
    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200
    assert form_page["Content-Language"] == "fr"


def test_a_person_chooses_the_language_of_their_emails(client):
    user = UserFactory()
    assert user.language == "en"
    client.force_login(user)
    url = reverse("account:preferences")
    page = client.get(url)
    assert page.status_code == 200
    assert b'<option value="en" selected>' in page.content

    response = client.post(url, {"language": "zh-hans"})
    assert response.status_code == 302 and response["Location"] == url
    user.refresh_from_db()
    assert user.language == "zh-hans"
    assert b'<option value="zh-hans" selected>' in client.get(url).content


def test_an_unknown_language_is_refused_and_changes_nothing(client):
    user = UserFactory(language="ru")
    client.force_login(user)
    response = client.post(reverse("account:preferences"), {"language": "de"})
    assert response.status_code == 400
    assert response.context["form"].errors["language"]
    assert b'class="errorlist"' in response.content
    user.refresh_from_db()
    assert user.language == "ru"
    # The service refuses it too, whoever calls it.
    with pytest.raises(ValueError, match="ar, zh-hans, en, fr, ru, es"):
        set_email_language(user=user, language="de")
    user.refresh_from_db()
    assert user.language == "ru"


def test_only_signed_in_people_have_preferences(client):
    response = client.get(reverse("account:preferences"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account:sign-in"))
    assert client.post(reverse("account:preferences"), {"language": "fr"}).status_code == 302


def test_the_account_pages_link_to_the_preferences(client):
    client.force_login(FocalPointFactory().user)
    with translation.override("fr"):
        home, preferences = reverse("workspace:home"), reverse("account:preferences")
    assert preferences == "/fr/account/preferences/"
    assert f'href="{preferences}"'.encode() in client.get(home).content


def invited(django_capture_on_commit_callbacks, language=None):
    organization = OrganizationFactory()
    with django_capture_on_commit_callbacks(execute=True):
        record, key = invite(
            email="invitee@example.org",
            country=organization.country,
            organization=organization,
            invited_by=EditorFactory(),
            **({"language": language} if language else {}),
        )
    return record, key


def test_an_invitation_is_written_in_the_language_it_is_sent_in(
    django_capture_on_commit_callbacks,
):
    with translation.override("ar"):
        record, key = invited(django_capture_on_commit_callbacks)
    assert record.language == "ar"
    [message] = mail.outbox
    assert message.subject.startswith("دعوة إلى تولي تحديث معلومات")
    assert links_in(message) == [f"/ar/workspace/invitation/{key}/"]

    mail.outbox.clear()
    Invitation.objects.all().delete()
    record, key = invited(django_capture_on_commit_callbacks, language="zh-hans")
    assert record.language == "zh-hans"
    [message] = mail.outbox
    assert links_in(message) == [f"/zh-hans/workspace/invitation/{key}/"]

    mail.outbox.clear()
    Invitation.objects.all().delete()
    with pytest.raises(InvitationError):
        invited(django_capture_on_commit_callbacks, language="de")
    assert not Invitation.objects.exists() and mail.outbox == []


def test_an_editor_chooses_the_invitations_language_in_the_admin(
    client, django_capture_on_commit_callbacks
):
    organization = OrganizationFactory()
    client.force_login(EditorFactory())
    add = reverse("admin:accounts_invitation_add")
    data = {
        "email": "invitee@example.org",
        "country": organization.country.pk,
        "organization": organization.pk,
        "position": "",
    }
    # The editor's own language is offered first.
    page = client.get(add, HTTP_ACCEPT_LANGUAGE="fr")
    assert b'<option value="fr" selected>' in page.content
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(add, {**data, "language": "es"}, HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 302
    assert Invitation.objects.get().language == "es"
    [message] = mail.outbox
    assert "/es/workspace/invitation/" in message.body


def test_accepting_an_invitation_sets_the_new_accounts_language_to_the_pages(
    client, django_capture_on_commit_callbacks
):
    _record, key = invited(django_capture_on_commit_callbacks, language="en")
    with translation.override("ru"):
        url = reverse("workspace:accept-invitation", args=[key])
    assert url.startswith("/ru/")
    data = {"first_name": "A", "last_name": "B", "password1": PASSWORD, "password2": PASSWORD}
    response = client.post(url, data)
    assert response.status_code == 302
    assert User.objects.get(email="invitee@example.org").language == "ru"


def test_an_existing_account_keeps_its_language_when_it_accepts_an_invitation(
    client, django_capture_on_commit_callbacks
):
    UserFactory(email="invitee@example.org", language="es")
    _record, key = invited(django_capture_on_commit_callbacks)
    with translation.override("fr"):
        url = reverse("workspace:accept-invitation", args=[key])
    data = {"first_name": "A", "last_name": "B", "password1": PASSWORD, "password2": PASSWORD}
    assert client.post(url, data).status_code == 302
    assert User.objects.get(email="invitee@example.org").language == "es"


def test_the_admin_shows_a_persons_language(client):
    person = UserFactory(language="ar")
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    page = client.get(reverse("admin:accounts_user_change", args=[person.pk]))
    assert page.status_code == 200
    assert b'<option value="ar" selected>' in page.content
