from typing import Any, cast

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, pgettext

from accounts.models import ApiToken, AuditEvent, User
from accounts.services import issue_token, revoke_token

# Who may do what is decided by superusers only; editors manage people, not privileges.
PRIVILEGE_FIELDS = ("is_superuser", "is_staff", "groups", "user_permissions")


def _person(request: HttpRequest) -> User:
    """The signed-in staff member (the admin lets no one else in)."""
    return cast(User, request.user)


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["email", "username", "first_name", "last_name", "is_staff", "is_active"]
    list_filter = ["is_staff", "is_active", "is_superuser", "groups"]
    search_fields = ["email", "username", "first_name", "last_name"]
    ordering = ["email"]
    # Django's, with the language the person's e-mails are written in beside their name.
    fieldsets = tuple(
        (name, {**options, "fields": [*options["fields"], "language"]})
        if options["fields"] == ("first_name", "last_name", "email")
        else (name, options)
        for name, options in BaseUserAdmin.fieldsets or ()
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ["wide"],
                "fields": [
                    "username",
                    "email",
                    "first_name",
                    "last_name",
                    "language",
                    "password1",
                    "password2",
                ],
            },
        ),
    )

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        readonly = [*super().get_readonly_fields(request, obj), "last_login", "date_joined"]
        if not request.user.is_superuser:
            readonly.extend(PRIVILEGE_FIELDS)
        return readonly


class ApiTokenAddForm(forms.ModelForm):
    class Meta:
        model = ApiToken
        fields = ["user", "name", "expires_at"]

    def clean_user(self) -> User:
        user = self.cleaned_data["user"]
        if not user.is_active:
            raise forms.ValidationError(_("This account is deactivated; it cannot hold a token."))
        return user

    def clean_expires_at(self) -> Any:
        expires_at = self.cleaned_data["expires_at"]
        if expires_at and expires_at <= timezone.now():
            raise forms.ValidationError(_("Choose an expiry in the future."))
        return expires_at


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["name", "prefix", "user", "created_at", "expires_at", "last_used_at", "status"]
    list_filter = [("revoked_at", admin.EmptyFieldListFilter)]
    search_fields = ["name", "prefix", "user__email"]
    list_select_related = ["user"]
    autocomplete_fields = ["user"]
    readonly_fields = ("user", "name", "prefix", "created_at", "last_used_at", "revoked_at")
    fields = ("user", "name", "prefix", "expires_at", "created_at", "last_used_at", "revoked_at")
    actions = ["revoke"]

    @admin.display(description=gettext_lazy("status"))
    def status(self, obj: ApiToken) -> str:
        if obj.is_usable:
            return pgettext("API token", "usable")
        if obj.revoked_at:
            return pgettext("API token", "revoked")
        return pgettext("API token", "expired")

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any):
        if obj is None:
            kwargs["form"] = ApiTokenAddForm
        return super().get_form(request, obj, change=change, **kwargs)

    def get_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        return ("user", "name", "expires_at") if obj is None else tuple(self.fields)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        return () if obj is None else tuple(self.readonly_fields)

    def save_model(self, request: HttpRequest, obj: ApiToken, form: Any, change: bool) -> None:
        if change:
            super().save_model(request, obj, form, change)
            return
        valid_for = obj.expires_at - timezone.now() if obj.expires_at else None
        token, key = issue_token(
            user=obj.user, name=obj.name, valid_for=valid_for, created_by=_person(request)
        )
        # The admin goes on with `obj`; make it the stored token.
        obj.pk, obj.prefix, obj.digest = token.pk, token.prefix, token.digest
        obj.created_at, obj.expires_at = token.created_at, token.expires_at
        obj._state.adding = False
        self.message_user(
            request,
            _("Token created. Copy the key now, it is not shown again: %(key)s") % {"key": key},
            messages.WARNING,
        )

    @admin.action(description=gettext_lazy("Revoke selected tokens"), permissions=["change"])
    def revoke(self, request: HttpRequest, queryset: QuerySet[ApiToken]) -> None:
        count = 0
        for token in queryset.filter(revoked_at__isnull=True):
            revoke_token(token=token, revoked_by=_person(request))
            count += 1
        # Translators: English writes "token(s)" whatever the number.
        message = ngettext("Revoked %(count)s token(s).", "Revoked %(count)s token(s).", count)
        self.message_user(request, message % {"count": count}, messages.SUCCESS)


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """The audit log, read-only: nobody edits or deletes what happened."""

    list_display = ["at", "action", "actor_label", "target_label", "ip_address", "detail"]
    list_filter = ["action"]
    search_fields = ["actor_label", "target_label", "detail", "ip_address"]
    date_hierarchy = "at"
    list_select_related = ["actor"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
