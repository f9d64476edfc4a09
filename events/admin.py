import zoneinfo
from typing import Any, cast

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from simple_history.admin import SimpleHistoryAdmin

from accounts.models import User
from core.csvexport import export_as_csv
from events.models import Event, EventOrganizer, EventTranslation, Participation, Session
from events.services import (
    EVENT_TRANSLATION_FIELDS,
    EventError,
    check_translation_language,
    delete_event_translation,
    save_event_translation,
)

TIME_ZONES = zoneinfo.available_timezones()


class EventOrganizerInline(admin.TabularInline):
    model = EventOrganizer
    extra = 1
    autocomplete_fields = ["organization"]
    verbose_name = gettext_lazy("organizer")
    verbose_name_plural = gettext_lazy("organizers and their roles")


class ParticipationInline(admin.TabularInline):
    model = Participation
    extra = 1
    autocomplete_fields = ["country"]
    verbose_name = gettext_lazy("participating country")
    verbose_name_plural = gettext_lazy("participating countries")


class SessionFormSet(forms.BaseInlineFormSet):
    def clean(self) -> None:
        """Sessions fall within the event's days, also for an event added with them (each
        session's own check needs a saved event)."""
        super().clean()
        event = self.instance
        if event.pk or not (event.start and event.end) or event.timezone not in TIME_ZONES:
            return  # a saved event's sessions check themselves; an invalid one says why
        first, last = event.first_day, event.last_day
        for form in self.forms:
            start, end = form.cleaned_data.get("start"), form.cleaned_data.get("end")
            if form.cleaned_data.get("DELETE") or start is None or end is None:
                continue
            days = {timezone.localtime(moment, event.tzinfo).date() for moment in (start, end)}
            if not all(first <= day <= last for day in days):
                form.add_error(
                    "start",
                    ValidationError(
                        _("A session takes place within its event (%(first)s to %(last)s).")
                        % {"first": first, "last": last}
                    ),
                )


class SessionInline(admin.TabularInline):
    """The programme: times in UTC, as the event's; the public pages show them in its zone."""

    model = Session
    formset = SessionFormSet
    extra = 0
    fields = ["title", "kind", "start", "end", "place", "chairs"]
    autocomplete_fields = ["chairs"]
    verbose_name_plural = gettext_lazy("programme (times in UTC)")

    def get_queryset(self, request: HttpRequest) -> QuerySet[Session]:
        return super().get_queryset(request).prefetch_related("chairs")


class SideEventInline(admin.TabularInline):
    model = Event
    fk_name = "part_of"
    extra = 0
    fields = ["title", "kind", "start", "is_public"]
    readonly_fields = ["title", "kind", "start", "is_public"]
    show_change_link = True
    can_delete = False
    verbose_name = gettext_lazy("event held on its occasion")
    verbose_name_plural = gettext_lazy("events held on its occasion")

    def has_add_permission(self, request: HttpRequest, obj: Event | None = None) -> bool:
        return False


class EventTranslationFormSet(forms.BaseInlineFormSet):
    def clean(self) -> None:
        """Another language than the event's own, once each (the service saves by language)."""
        super().clean()
        seen: set[str] = set()
        for form in self.forms:
            language = form.cleaned_data.get("language")
            if form.cleaned_data.get("DELETE") or not language:
                continue
            try:
                # The event's language as the form above gives it, saved or not.
                check_translation_language(event_language=self.instance.language, language=language)
            except EventError as exc:
                form.add_error("language", str(exc))
            else:
                if language in seen:
                    form.add_error("language", _("The event has one translation per language."))
            seen.add(language)


class EventTranslationInline(admin.StackedInline):
    """The event's title and summary in other languages: public as soon as they are saved.
    Written by `events.services.save_event_translation` (see `EventAdmin.save_formset`)."""

    model = EventTranslation
    formset = EventTranslationFormSet
    extra = 0
    fields = ["language", "title", "summary", "translated_by", "updated_at"]
    readonly_fields = ["translated_by", "updated_at"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[EventTranslation]:
        return super().get_queryset(request).select_related("translated_by")


@admin.register(Event)
class EventAdmin(SimpleHistoryAdmin):
    list_display = [
        "title",
        "kind",
        "start",
        "all_day",
        "timezone",
        "city",
        "country",
        "mode",
        "country_count",
        "is_public",
    ]
    list_filter = [
        "kind",
        "mode",
        "all_day",
        "is_public",
        "themes",
        ("start", admin.DateFieldListFilter),
    ]
    search_fields = ["title", "city", "venue", "country__name", "organizations__name"]
    list_select_related = ["country"]
    autocomplete_fields = ["country", "part_of", "themes", "sdgs"]
    prepopulated_fields = {"slug": ["title"]}
    readonly_fields = ["created_at", "updated_at"]
    date_hierarchy = "start"
    inlines = [
        SessionInline,
        EventOrganizerInline,
        ParticipationInline,
        SideEventInline,
        EventTranslationInline,
    ]
    actions = [export_as_csv]
    fieldsets = [
        (None, {"fields": ["title", "slug", "language", "kind", "part_of", "is_public"]}),
        (
            gettext_lazy("When and where"),
            {
                "description": gettext_lazy(
                    "Enter times as UTC; the site shows them in the event's time zone."
                ),
                "fields": [
                    ("start", "end"),
                    "all_day",
                    "timezone",
                    "mode",
                    "venue",
                    "city",
                    "country",
                ],
            },
        ),
        (
            gettext_lazy("About"),
            {
                "fields": [
                    "summary",
                    "objectives",
                    "outputs",
                    "languages",
                    ("expected_participants", "actual_participants"),
                    "website",
                    "themes",
                    "sdgs",
                ]
            },
        ),
        (
            gettext_lazy("Record"),
            {"fields": [("created_at", "updated_at")], "classes": ["collapse"]},
        ),
    ]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Event]:
        # One aggregate instead of a count query per row on the change list.
        return (
            super()
            .get_queryset(request)
            .annotate(_countries=Count("participations", distinct=True))
        )

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        """Translations are written by the service, row by row; the other inlines as usual."""
        if formset.model is not EventTranslation:
            super().save_formset(request, form, formset, change)
            return
        editor = cast(User, request.user)  # the admin lets only staff in
        try:
            for row in formset.forms:
                cleaned, saved = row.cleaned_data, row.instance
                if not cleaned or not row.has_changed():
                    continue
                moved = saved.pk and cleaned.get("language") != saved.language
                if saved.pk and (cleaned.get("DELETE") or moved):
                    delete_event_translation(translation=saved, user=editor)
                if not cleaned.get("DELETE"):
                    save_event_translation(
                        event=form.instance,
                        language=cleaned["language"],
                        data={name: cleaned[name] for name in EVENT_TRANSLATION_FIELDS},
                        user=editor,
                    )
        except EventError as exc:
            raise PermissionDenied(str(exc)) from None
        # What the admin's change message reads; the formset saved no rows of its own.
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []

    @admin.display(description=gettext_lazy("countries"), ordering="_countries")
    def country_count(self, obj: Event) -> int:
        return obj._countries  # type: ignore[attr-defined]


@admin.register(Session)
class SessionAdmin(SimpleHistoryAdmin):
    """Sessions across events, to find and to copy one (the programme itself is edited on its
    event's page)."""

    list_display = ["title", "event", "kind", "start", "place"]
    list_filter = ["kind"]
    list_select_related = ["event"]
    search_fields = ["title", "event__title", "place"]
    autocomplete_fields = ["event", "chairs"]
    date_hierarchy = "start"
    actions = ["duplicate"]

    @admin.action(
        description=gettext_lazy("Duplicate selected sessions (same event, times and chairs)")
    )
    def duplicate(self, request: HttpRequest, queryset: QuerySet[Session]) -> None:
        """A copy of each, titled "… (copy)", to adjust: a module given twice, a second
        round of country presentations."""
        copies = 0
        for session in queryset.prefetch_related("chairs"):
            copy = Session.objects.create(
                event=session.event,
                title=f"{session.title} (copy)"[:300],
                kind=session.kind,
                start=session.start,
                end=session.end,
                place=session.place,
                description=session.description,
            )
            copy.chairs.set(session.chairs.all())
            copies += 1
        self.message_user(
            request,
            ngettext("%(count)s session duplicated.", "%(count)s sessions duplicated.", copies)
            % {"count": copies},
        )
