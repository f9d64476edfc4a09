from rest_framework import serializers

from countries.api.serializers import CountryRefSerializer, OrganizationRefSerializer
from events.models import Event, EventOrganizer, Participation, Session
from taxonomy.models import SDG, Theme


class OrganizerSerializer(serializers.ModelSerializer):
    organization = OrganizationRefSerializer(read_only=True)

    class Meta:
        model = EventOrganizer
        fields = ["organization", "role"]


class ParticipationSerializer(serializers.ModelSerializer):
    country = CountryRefSerializer(read_only=True)

    class Meta:
        model = Participation
        fields = ["country", "participants"]


class EventSerializer(serializers.HyperlinkedModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api-v1:event-detail", lookup_field="slug")
    country = CountryRefSerializer(read_only=True, allow_null=True)
    # In the event's own time zone, with its offset (the API's other times are UTC).
    local_start = serializers.SerializerMethodField()
    local_end = serializers.SerializerMethodField()
    all_day = serializers.BooleanField(
        read_only=True,
        help_text=(
            "Known by its dates only: whole days from the date of local_start to that of "
            "local_end (the day before, when local_end is 00:00); their hours mean nothing."
        ),
    )
    part_of = serializers.SerializerMethodField(help_text="Slug of the event it was part of.")

    class Meta:
        model = Event
        fields = [
            "url",
            "slug",
            "title",
            "language",
            "kind",
            "start",
            "end",
            "timezone",
            "local_start",
            "local_end",
            "all_day",
            "mode",
            "venue",
            "city",
            "country",
            "part_of",
            "website",
            "updated_at",
        ]

    def get_part_of(self, event: Event) -> str | None:
        parent = event.part_of
        return parent.slug if parent and parent.is_public else None

    def get_local_start(self, event: Event) -> str:
        return event.local_start.isoformat()

    def get_local_end(self, event: Event) -> str:
        return event.local_end.isoformat()


class SessionPersonSerializer(serializers.Serializer):
    name = serializers.CharField()
    position = serializers.CharField()
    affiliation = serializers.CharField(help_text="Position, organization and country.")


class SessionSerializer(serializers.ModelSerializer):
    """One part of the programme; times in UTC (the event's `timezone` says where)."""

    chairs = SessionPersonSerializer(many=True, read_only=True)

    class Meta:
        model = Session
        fields = ["id", "title", "kind", "start", "end", "place", "description", "chairs"]


class EventDetailSerializer(EventSerializer):
    organizers = OrganizerSerializer(source="organizer_roles", many=True, read_only=True)
    participations = ParticipationSerializer(many=True, read_only=True)
    themes = serializers.SlugRelatedField[Theme](slug_field="slug", many=True, read_only=True)
    sdgs = serializers.SlugRelatedField[SDG](slug_field="number", many=True, read_only=True)
    # Its contributions: /api/v1/events/{slug}/contributions/ (filter by session there).
    sessions = SessionSerializer(many=True, read_only=True)

    class Meta(EventSerializer.Meta):
        fields = [
            *EventSerializer.Meta.fields,
            "summary",
            "objectives",
            "outputs",
            "languages",
            "expected_participants",
            "actual_participants",
            "organizers",
            "participations",
            "themes",
            "sdgs",
            "sessions",
        ]
