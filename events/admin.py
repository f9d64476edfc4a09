import zoneinfo

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db.models import Count, QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from simple_history.admin import SimpleHistoryAdmin

from core.csvexport import export_as_csv
from events.models import Event, EventOrganizer, Participation, Session

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
    inlines = [SessionInline, EventOrganizerInline, ParticipationInline, SideEventInline]
    actions = [export_as_csv]
    fieldsets = [
        (None, {"fields": ["title", "slug", "kind", "part_of", "is_public"]}),
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
