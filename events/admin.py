from django.contrib import admin
from django.db.models import Count, QuerySet
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from core.csvexport import export_as_csv
from events.models import Event, EventOrganizer, Participation


class EventOrganizerInline(admin.TabularInline):
    model = EventOrganizer
    extra = 1
    autocomplete_fields = ["organization"]
    verbose_name = "organizer"
    verbose_name_plural = "organizers and their roles"


class ParticipationInline(admin.TabularInline):
    model = Participation
    extra = 1
    autocomplete_fields = ["country"]
    verbose_name = "participating country"
    verbose_name_plural = "participating countries"


class SideEventInline(admin.TabularInline):
    model = Event
    fk_name = "part_of"
    extra = 0
    fields = ["title", "kind", "start", "is_public"]
    readonly_fields = ["title", "kind", "start", "is_public"]
    show_change_link = True
    can_delete = False
    verbose_name = "event held on its occasion"
    verbose_name_plural = "events held on its occasion"

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
    inlines = [EventOrganizerInline, ParticipationInline, SideEventInline]
    actions = [export_as_csv]
    fieldsets = [
        (None, {"fields": ["title", "slug", "kind", "part_of", "is_public"]}),
        (
            "When and where",
            {
                "description": "Enter times as UTC; the site shows them in the event's time zone.",
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
            "About",
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
        ("Record", {"fields": [("created_at", "updated_at")], "classes": ["collapse"]}),
    ]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Event]:
        # One aggregate instead of a count query per row on the change list.
        return (
            super()
            .get_queryset(request)
            .annotate(_countries=Count("participations", distinct=True))
        )

    @admin.display(description="countries", ordering="_countries")
    def country_count(self, obj: Event) -> int:
        return obj._countries  # type: ignore[attr-defined]
