from typing import Any

from django.db.models import Prefetch, QuerySet
from django.http import HttpResponseBase
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import filters, viewsets
from rest_framework.request import Request

from core.renderers import CSVExportMixin
from core.sync import ChangesList
from events.api.serializers import EventDetailSerializer, EventSerializer
from events.filters import EventApiFilter
from events.models import Event, EventOrganizer, Participation, Person, Session


class EventViewSet(CSVExportMixin, ChangesList, viewsets.ReadOnlyModelViewSet):
    """Public events: workshops, conferences, study visits, trainings."""

    csv_filename = "events"

    lookup_field = "slug"
    filter_backends = [DjangoFilterBackend, filters.OrderingFilter]
    filterset_class = EventApiFilter
    ordering_fields = ["start", "title"]
    ordering = ["-start"]

    def get_queryset(self) -> QuerySet[Event]:
        events = Event.objects.public().select_related("country", "part_of")
        if self.action == "retrieve":
            events = events.prefetch_related(
                Prefetch(
                    "organizer_roles",
                    queryset=EventOrganizer.objects.select_related("organization"),
                ),
                Prefetch(
                    "participations", queryset=Participation.objects.select_related("country")
                ),
                "themes",
                "sdgs",
                Prefetch(
                    "sessions",
                    queryset=Session.objects.order_by("start", "pk").prefetch_related(
                        Prefetch(
                            "chairs",
                            queryset=Person.objects.select_related("organization", "country"),
                        )
                    ),
                ),
            )
        return events

    # DRF sends whatever HttpResponse a handler returns (here a streamed CSV); the stubs say
    # Response.
    def list(self, request: Request, *args: Any, **kwargs: Any) -> HttpResponseBase:  # type: ignore[override]
        if not self.wants_csv(request):
            return super().list(request, *args, **kwargs)
        events = self.filter_queryset(self.get_queryset()).iterator(chunk_size=500)
        return self.csv_response(
            [
                ("slug", lambda e: e.slug),
                ("title", lambda e: e.title),
                ("language", lambda e: e.language),
                ("kind", lambda e: e.kind),
                ("start", lambda e: e.start.isoformat()),
                ("end", lambda e: e.end.isoformat()),
                ("timezone", lambda e: e.timezone),
                ("mode", lambda e: e.mode),
                ("city", lambda e: e.city),
                ("country_iso3", lambda e: e.country.iso3 if e.country else ""),
                ("part_of", lambda e: e.part_of.slug if e.part_of else ""),
                ("url", lambda e: request.build_absolute_uri(e.get_absolute_url())),
            ],
            events,
        )

    def get_serializer_class(self) -> type:
        return EventDetailSerializer if self.action == "retrieve" else EventSerializer
