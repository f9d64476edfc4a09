import hashlib

from django.conf import settings
from django.contrib.auth.models import AbstractUser, AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """A person who signs in: an editor or a country focal point.

    The e-mail address is unique because focal points are invited and found by it.
    """

    email = models.EmailField(_("email address"), unique=True)
    language = models.CharField(
        _("language for e-mails"),
        max_length=10,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
        help_text=_("The language of the e-mails PAKS sends to this person."),
    )

    class Meta:
        ordering = ["email"]

    def __str__(self) -> str:
        return self.get_full_name() or self.email or self.username

    # The permission that makes staff an editor: the Editors group has it, so do superusers.
    EDITOR_PERMISSION = "paks.change_casestudy"

    @property
    def is_editor(self) -> bool:
        """Editors are staff with the Editors group's permissions (or superusers): the same
        meaning in the admin, the API and the services. Staff status alone is not enough."""
        return self.is_active and self.is_staff and self.has_perm(self.EDITOR_PERMISSION)


def signed_in(user: User | AnonymousUser) -> User:
    """The person behind a request that only signed-in people reach (`login_required`, the
    API's roles): an anonymous one here means a view lost its protection, so refuse it."""
    if isinstance(user, User):
        return user
    raise PermissionDenied(gettext("Sign in first."))


class ApiTokenQuerySet(models.QuerySet["ApiToken"]):
    def usable(self) -> "ApiTokenQuerySet":
        """Tokens that authenticate now: not revoked, not expired, of an active user."""
        return self.filter(
            models.Q(expires_at__isnull=True) | models.Q(expires_at__gt=timezone.now()),
            revoked_at__isnull=True,
            user__is_active=True,
        )


class ApiToken(models.Model):
    """A personal API token. Only a SHA-256 digest of the key is stored; the key is shown once."""

    class Scope(models.TextChoices):
        READ = "read", pgettext_lazy("token scope", "Read only")
        WRITE = "write", pgettext_lazy("token scope", "Read and write")

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(
        max_length=100, help_text=_("What the token is for, e.g. 'ministry CMS'.")
    )
    prefix = models.CharField(
        max_length=12,
        editable=False,
        help_text=_("The key's first characters, to tell tokens apart."),
    )
    digest = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    expires_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(null=True, blank=True, editable=False)
    scope = models.CharField(
        max_length=10,
        choices=Scope.choices,
        default=Scope.WRITE,
        help_text=_("Read only: the token reads what its person may see and changes nothing."),
    )

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("API token")
        indexes = [
            # A user's tokens in the workspace, newest first.
            models.Index(fields=["user", "-created_at"], name="apitoken_user_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @staticmethod
    def digest_of(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()

    @property
    def is_usable(self) -> bool:
        return (
            self.revoked_at is None
            and (self.expires_at is None or self.expires_at > timezone.now())
            and self.user.is_active
        )


class AuditEvent(models.Model):
    """One security-relevant event: sign-ins, tokens, invitations, the editorial decisions,
    every write to a case or document and every change to a focal point appointment.

    Changes to records are in their own history (django-simple-history); this log keeps what
    happens to accounts and the editorial decisions, in one place, for reading in the admin.
    """

    class Action(models.TextChoices):
        SIGNED_IN = "signed_in", _("Signed in")
        SIGN_IN_FAILED = "sign_in_failed", _("Sign-in failed")
        SIGNED_OUT = "signed_out", _("Signed out")
        PASSWORD_RESET = "password_reset", pgettext_lazy("audit action", "Password reset")
        TOKEN_CREATED = "token_created", _("API token created")
        TOKEN_REVOKED = "token_revoked", _("API token revoked")
        INVITATION_SENT = "invitation_sent", _("Invitation sent")
        INVITATION_ACCEPTED = "invitation_accepted", _("Invitation accepted")
        CASE_PUBLISHED = "case_published", _("Case published")
        CHANGES_REQUESTED = "changes_requested", _("Changes requested")
        CASE_ARCHIVED = "case_archived", _("Case archived")
        ACCOUNT_DEACTIVATED = "account_deactivated", _("Account deactivated")
        CASE_CREATED = "case_created", _("Case created")
        CASE_EDITED = "case_edited", _("Case edited")
        CASE_DELETED = "case_deleted", _("Draft case deleted")
        DOCUMENT_DELETED = "document_deleted", _("Document deleted")
        FOCAL_POINT_APPOINTED = "focal_point_appointed", _("Focal point appointed")
        FOCAL_POINT_CHANGED = "focal_point_changed", _("Focal point appointment changed")
        FOCAL_POINT_ENDED = "focal_point_ended", _("Focal point appointment ended")
        CONTRIBUTION_CREATED = "contribution_created", _("Contribution created")
        CONTRIBUTION_EDITED = "contribution_edited", _("Contribution edited")
        CONTRIBUTION_SUBMITTED = "contribution_submitted", _("Contribution submitted")
        CONTRIBUTION_PUBLISHED = "contribution_published", _("Contribution published")
        CONTRIBUTION_RETURNED = "contribution_returned", _("Contribution returned for changes")
        CONTRIBUTION_DELETED = "contribution_deleted", _("Draft contribution deleted")
        CONTRIBUTION_WITHDRAWN = "contribution_withdrawn", _("Contribution withdrawn")
        PEOPLE_MERGED = "people_merged", _("People merged")
        ORGANIZATION_CREATED = "organization_created", _("Organization created")
        ORGANIZATION_CHANGED = "organization_changed", _("Organization changed")
        DOCUMENT_EDITED = "document_edited", _("Document details edited")
        EVENT_CREATED = "event_created", _("Event created")
        EVENT_CHANGED = "event_changed", _("Event changed")
        PARTICIPATION_SET = "participation_set", _("Participation recorded")
        DATA_IMPORTED = "data_imported", _("Data imported")

    at = models.DateTimeField(default=timezone.now, editable=False, db_index=True)
    action = models.CharField(max_length=30, choices=Action.choices)
    actor = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="audit_events"
    )
    # Kept as text too, so the log still reads after an account is deleted.
    actor_label = models.CharField(max_length=254, blank=True)
    target_type = models.CharField(max_length=50, blank=True)
    target_id = models.CharField(max_length=50, blank=True)
    target_label = models.CharField(max_length=300, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    detail = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["action", "-at"], name="auditevent_action_at_idx")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.get_action_display()} {self.target_label}".strip()


class Invitation(models.Model):
    """An editor's invitation to become a country's focal point, sent by e-mail.

    Only a digest of the link's key is stored; the link works once, until it expires.
    """

    email = models.EmailField()
    country = models.ForeignKey(
        "countries.Country", on_delete=models.PROTECT, related_name="invitations"
    )
    organization = models.ForeignKey(
        "countries.Organization", on_delete=models.PROTECT, related_name="invitations"
    )
    position = models.CharField(max_length=200, blank=True)
    # The invitation e-mail's language; the account made by accepting takes the page's.
    language = models.CharField(
        _("language of the invitation"),
        max_length=10,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
        help_text=_("The language the invitation e-mail is written in."),
    )
    digest = models.CharField(max_length=64, unique=True, editable=False)
    invited_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, related_name="invitations_sent"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True, editable=False)
    accepted_by = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="invitations_accepted",
    )

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.email} for {self.country}"

    @staticmethod
    def digest_of(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()

    @property
    def is_open(self) -> bool:
        return self.accepted_at is None and self.expires_at > timezone.now()
