from django.db.models import Prefetch, QuerySet
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import filters, viewsets

from events.api.serializers import EventDetailSerializer, EventSerializer
from events.filters import EventFilter
from events.models import Event, EventOrganizer, Participation


class EventViewSet(viewsets.ReadOnlyModelViewSet):
    """Public events: workshops, conferences, study visits, trainings."""

    lookup_field = "slug"
    filter_backends = [DjangoFilterBackend, filters.OrderingFilter]
    filterset_class = EventFilter
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
            )
        return events

    def get_serializer_class(self) -> type:
        return EventDetailSerializer if self.action == "retrieve" else EventSerializer
