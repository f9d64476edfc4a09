from typing import Any, cast

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy, ngettext, pgettext
from django.utils.translation import gettext as _
from simple_history.admin import SimpleHistoryAdmin

from accounts.models import Invitation, User
from core.csvexport import export_as_csv
from core.mail import supported_language
from countries.models import Country, EGovScore, FocalPoint, FocalPointQuerySet, Organization
from countries.services import (
    APPOINTMENT_FIELDS,
    FocalPointError,
    InvitationError,
    appoint_focal_point,
    change_focal_point,
    check_no_open_appointment,
    end_focal_point,
    invite,
)


class EGovScoreInline(admin.TabularInline):
    model = EGovScore
    extra = 0
    fields = ["survey_year", "rank", "egdi", "osi", "hci", "tii", "epi"]
    ordering = ["-survey_year"]


class FocalPointInline(admin.TabularInline):
    model = FocalPoint
    fk_name = "country"
    extra = 0
    fields = ["user", "organization", "position", "since", "until", "is_contact_public"]
    autocomplete_fields = ["user", "organization"]
    show_change_link = True


@admin.register(Country)
class CountryAdmin(SimpleHistoryAdmin):
    list_display = ["name", "iso3", "region_name", "subregion_name", "is_ldc", "is_lldc", "is_sids"]
    list_filter = ["region_name", "subregion_name", "is_ldc", "is_lldc", "is_sids"]
    search_fields = ["name", "iso3", "iso2", "m49"]
    readonly_fields = ["iso3", "iso2", "m49"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [FocalPointInline, EGovScoreInline]
    actions = [export_as_csv]
    fieldsets = [
        (None, {"fields": ["name", "slug", ("iso3", "iso2", "m49")]}),
        (
            gettext_lazy("UN M49 geography"),
            {
                "fields": [
                    ("region_code", "region_name"),
                    ("subregion_code", "subregion_name"),
                    ("intermediate_region_code", "intermediate_region_name"),
                ]
            },
        ),
        (gettext_lazy("UN groupings"), {"fields": [("is_ldc", "is_lldc", "is_sids")]}),
    ]

    def get_readonly_fields(self, request: HttpRequest, obj: Country | None = None) -> list[str]:
        # Codes identify a country across systems: set once from the M49 table, then fixed.
        return self.readonly_fields if obj else []


@admin.register(EGovScore)
class EGovScoreAdmin(admin.ModelAdmin):
    list_display = ["country", "survey_year", "rank", "egdi", "osi", "hci", "tii", "epi"]
    list_filter = ["survey_year", "country__region_name"]
    search_fields = ["country__name", "country__iso3"]
    list_select_related = ["country"]
    autocomplete_fields = ["country"]
    ordering = ["-survey_year", "rank"]
    actions = [export_as_csv]


@admin.register(Organization)
class OrganizationAdmin(SimpleHistoryAdmin):
    list_display = ["name", "acronym", "kind", "country", "parent", "focal_point_count"]
    list_filter = ["kind", "country__region_name"]
    search_fields = ["name", "acronym", "country__name"]
    list_select_related = ["country", "parent"]
    autocomplete_fields = ["country", "parent"]
    prepopulated_fields = {"slug": ["name"]}
    actions = [export_as_csv]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Organization]:
        return super().get_queryset(request).annotate(_focal_points=Count("focal_points"))

    @admin.display(description=gettext_lazy("focal points"), ordering="_focal_points")
    def focal_point_count(self, obj: Organization) -> int:
        return obj._focal_points  # type: ignore[attr-defined]


class ActiveFilter(admin.SimpleListFilter):
    title = gettext_lazy("appointment")
    parameter_name = "appointment"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple[str, str]]:
        return [
            ("active", pgettext("appointment", "current")),
            ("ended", pgettext("appointment", "ended")),
        ]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        today = timezone.localdate()
        if self.value() == "active":
            return cast(FocalPointQuerySet, queryset).active()
        if self.value() == "ended":
            return queryset.filter(until__lte=today)
        return queryset


class FocalPointForm(forms.ModelForm):
    class Meta:
        model = FocalPoint
        fields = ["user", "country", "organization", "position", "since", "is_contact_public"]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if self.instance.pk is None and cleaned.get("user") and cleaned.get("country"):
            try:
                check_no_open_appointment(user=cleaned["user"], country=cleaned["country"])
            except FocalPointError as exc:
                raise ValidationError(str(exc)) from None
        return cleaned


@admin.register(FocalPoint)
class FocalPointAdmin(SimpleHistoryAdmin):
    form = FocalPointForm
    list_display = [
        "user",
        "country",
        "organization",
        "position",
        "since",
        "until",
        "is_contact_public",
        "last_confirmed_at",
    ]
    list_filter = [ActiveFilter, "is_contact_public", "country__region_name"]
    search_fields = ["user__email", "user__first_name", "user__last_name", "country__name"]
    list_select_related = ["user", "country", "organization"]
    autocomplete_fields = ["user", "country", "organization"]
    date_hierarchy = "since"
    actions = ["end_appointments", export_as_csv]

    # Appointments start, change and end through the services (with their audit events and
    # the retiring of idle accounts); the form writes nothing itself.
    def get_fields(self, request: HttpRequest, obj: FocalPoint | None = None) -> list[str]:
        fields = ["user", "country", "organization", "position", "since", "is_contact_public"]
        return [*fields, "until", "last_confirmed_at", "created_at"] if obj else fields

    def get_readonly_fields(self, request: HttpRequest, obj: FocalPoint | None = None) -> list[str]:
        # Who and where identify an appointment; a different one is a new appointment.
        return ["user", "country", "until", "last_confirmed_at", "created_at"] if obj else []

    def has_delete_permission(self, request: HttpRequest, obj: FocalPoint | None = None) -> bool:
        return False  # appointments are records: they end, they are not deleted

    def save_model(self, request: HttpRequest, obj: FocalPoint, form: Any, change: bool) -> None:
        editor = cast(User, request.user)
        data = form.cleaned_data
        if change:
            saved = change_focal_point(
                appointment=obj,
                data={name: data[name] for name in APPOINTMENT_FIELDS if name in data},
                by=editor,
            )
        else:
            saved = appoint_focal_point(
                user=data["user"],
                country=data["country"],
                organization=data["organization"],
                position=data["position"],
                since=data["since"],
                is_contact_public=data["is_contact_public"],
                by=editor,
            )
        obj.pk, obj.created_at = saved.pk, saved.created_at  # for the admin's log and redirect

    @admin.action(
        description=gettext_lazy("End selected appointments today"), permissions=["change"]
    )
    def end_appointments(self, request: HttpRequest, queryset: QuerySet[FocalPoint]) -> None:
        ended = retired = 0
        for appointment in queryset.filter(until__isnull=True).select_related("user", "country"):
            result = end_focal_point(
                user=appointment.user, country=appointment.country, by=cast(User, request.user)
            )
            ended += len(result.ended)
            retired += result.user_deactivated
        if retired:
            message = ngettext(
                # Translators: English writes "appointment(s)" and "account(s)" whatever the number.
                "Ended %(count)s appointment(s); %(retired)s idle account(s) deactivated.",
                "Ended %(count)s appointment(s); %(retired)s idle account(s) deactivated.",
                ended,
            ) % {"count": ended, "retired": retired}
        else:
            message = ngettext(
                "Ended %(count)s appointment(s).", "Ended %(count)s appointment(s).", ended
            ) % {"count": ended}
        self.message_user(request, message, messages.SUCCESS)


class InvitationForm(forms.ModelForm):
    """What an editor fills in to invite a focal point (the admin's add form)."""

    class Meta:
        model = Invitation
        fields = ["email", "country", "organization", "position", "language"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The editor's own language unless they choose another for the invitee.
        if "language" in self.fields:
            self.fields["language"].required = False
            self.fields["language"].initial = supported_language(get_language())

    def clean_language(self) -> str:
        return self.cleaned_data.get("language") or supported_language(get_language())

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        country, organization = cleaned.get("country"), cleaned.get("organization")
        if country and organization and organization.country_id not in (None, country.pk):
            self.add_error(
                "organization",
                _("%(organization)s belongs to another country than %(country)s.")
                % {"organization": organization, "country": country},
            )
        email = cleaned.get("email")
        if (
            country
            and email
            and (
                FocalPoint.objects.active()
                .filter(user__email__iexact=email, country=country)
                .exists()
            )
        ):
            self.add_error(
                "email",
                _("%(email)s is already a focal point for %(country)s.")
                % {"email": email, "country": country},
            )
        return cleaned


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    """Editors invite focal points here; the person gets a single-use link by e-mail.

    The record is an account's (`accounts.Invitation`); accepting it appoints a focal point,
    which is this app's business, so the flow lives here."""

    form = InvitationForm
    list_display = ["email", "country", "organization", "invited_by", "created_at", "state"]
    list_filter = ["country__region_name"]
    search_fields = ["email", "country__name", "organization__name"]
    list_select_related = ["country", "organization", "invited_by"]
    readonly_fields = ["invited_by", "created_at", "expires_at", "accepted_at", "accepted_by"]
    invited_fields = ["email", "country", "organization", "position", "language"]

    @admin.display(description=gettext_lazy("state"))
    def state(self, obj: Invitation) -> str:
        if obj.accepted_at:
            return pgettext("invitation", "accepted %(date)s") % {
                "date": f"{obj.accepted_at:%Y-%m-%d}"
            }
        if obj.is_open:
            return pgettext("invitation", "open")
        return pgettext("invitation", "expired")

    def get_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        if obj is None:
            return tuple(self.invited_fields)
        return (*self.invited_fields, *self.readonly_fields)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        # Sent invitations are records: what was sent stays as it was.
        return [] if obj is None else [*self.invited_fields, *self.readonly_fields]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: Invitation, form: Any, change: bool) -> None:
        if change:
            return
        try:
            invitation, _created = invite(
                email=obj.email,
                country=obj.country,
                organization=obj.organization,
                position=obj.position,
                invited_by=cast(User, request.user),
                language=obj.language,
            )
        except InvitationError as exc:
            raise PermissionDenied(str(exc)) from exc
        obj.pk = invitation.pk
        obj._state.adding = False
        self.message_user(
            request,
            _("Invitation sent to %(email)s.") % {"email": invitation.email},
            messages.SUCCESS,
        )
