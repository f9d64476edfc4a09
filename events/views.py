"""Public event pages: upcoming and past lists with filters, and one page per event."""

from typing import Any

from django.db.models import Prefetch, QuerySet
from django.views.generic import DetailView, ListView

from core.lists import first, window
from events.filters import EventFilter
from events.models import Event, EventOrganizer


class EventListView(ListView):
    template_name = "events/event_list.html"
    context_object_name = "events"
    paginate_by = 20

    @property
    def when(self) -> str:
        return "past" if self.request.GET.get("when") == "past" else "upcoming"

    def get_queryset(self) -> QuerySet[Event]:
        events = Event.objects.public().select_related("country")
        events = events.past() if self.when == "past" else events.upcoming()
        self.filterset = EventFilter(self.request.GET or None, queryset=events)
        return self.filterset.qs if self.filterset.is_bound else events

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["filter"] = self.filterset
        context["when"] = self.when
        return context


def event_json_ld(event: Event, url: str) -> dict[str, Any]:
    """schema.org Event, so search engines show dates and place."""
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": event.title,
        "url": url,
        "startDate": event.local_start.isoformat(),
        "endDate": event.local_end.isoformat(),
        "eventAttendanceMode": {
            "in_person": "https://schema.org/OfflineEventAttendanceMode",
            "online": "https://schema.org/OnlineEventAttendanceMode",
            "hybrid": "https://schema.org/MixedEventAttendanceMode",
        }.get(event.mode, "https://schema.org/OfflineEventAttendanceMode"),
        "organizer": [
            {"@type": "Organization", "name": role.organization.name}
            for role in event.organizer_roles.all()
        ],
    }
    if event.summary:
        data["description"] = event.summary
    if event.city or event.venue:
        data["location"] = {
            "@type": "Place",
            "name": event.venue or event.city,
            "address": {
                "@type": "PostalAddress",
                "addressLocality": event.city,
                "addressCountry": event.country.iso2 if event.country else "",
            },
        }
    return data


class EventDetailView(DetailView):
    template_name = "events/event_detail.html"
    context_object_name = "event"

    def get_queryset(self) -> QuerySet[Event]:
        return (
            Event.objects.public()
            .select_related("country", "part_of")
            .prefetch_related(
                Prefetch(
                    "organizer_roles",
                    queryset=EventOrganizer.objects.select_related("organization").order_by(
                        "role", "organization__name"
                    ),
                ),
                "themes",
                "sdgs",
            )
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        event: Event = self.object
        # Cases and documents live in the paks app, above this one: reached through relations.
        context["cases"], context["more_cases"] = first(
            event.cases.published()
            .select_related("country", "organization")
            .order_by("-published_at", "-pk")
        )
        context["documents"] = window(
            self.request,
            event.documents.public().filter(case__isnull=True).order_by("uploaded_at", "pk"),
            param="documents",
        )
        context["participations"] = window(
            self.request,
            event.participations.select_related("country").order_by("country__name", "pk"),
            param="countries",
            n=100,
        )
        context["side_events"] = window(
            self.request,
            Event.objects.public().filter(part_of=event).order_by("start", "pk"),
            param="side",
        )
        context["json_ld"] = event_json_ld(event, self.request.build_absolute_uri())
        context["part_of_public"] = (
            event.part_of if event.part_of and event.part_of.is_public else None
        )
        return context
