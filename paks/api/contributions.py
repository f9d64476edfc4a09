"""API v1 for an event's contributions (presentations, talks, papers, statements):
`/api/v1/events/{event_slug}/contributions/`.

Anyone reads the published contributions of a public event; a country's focal points also
their countries' contributions in every status, editors everything (events that are not
public too). Focal points add their country's contributions to an event it took part in,
change them while drafts or returned, upload their slides and submit them; editors publish
or return them. Writes go through `paks.contributions`, as in the workspace and the admin.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import cached_property
from typing import Any, cast

from django.db import transaction
from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.reverse import reverse

from accounts.models import signed_in
from core.sync import ChangesList
from countries.api.serializers import CountryRefSerializer, OrganizationRefSerializer
from countries.models import Country, Organization, countries_of
from events.models import Event, Person, Session
from paks import roles
from paks.api.idempotency import idempotent
from paks.api.parsers import LimitedJSONParser
from paks.api.permissions import CONTRIBUTOR, EDITOR
from paks.api.preconditions import (
    VersionedWrites,
    expected_version,
    service_error,
)
from paks.api.serializers import CaseReviewSerializer, DocumentSerializer, DocumentUploadSerializer
from paks.api.views import (
    IDEMPOTENCY_KEY,
    IF_MATCH,
    refuse_declared_oversize,
    upload_response,
)
from paks.contributions import (
    create_contribution,
    delete_contribution,
    person_named,
    publish_contribution,
    return_contribution,
    submit_contribution,
    update_contribution,
)
from paks.models import CaseStudy, Contribution, ContributionSpeaker, Document
from paks.services import ServiceError

EVENT_SLUG = OpenApiParameter(
    "event_slug", str, OpenApiParameter.PATH, description="The event's slug."
)
MAX_SPEAKERS = 50


def _own_country_ids(context: Mapping[str, Any]) -> set[int]:
    """The reader's countries, read once per response (the key DocumentSerializer shares)."""
    # The root serializer's context dict, shared by every serializer of the response.
    shared = cast(dict[str, Any], context)
    if "own_country_ids" not in shared:
        user = getattr(shared.get("request"), "user", None)
        mine = countries_of(user) if user is not None else Country.objects.none()
        shared["own_country_ids"] = set(mine.values_list("pk", flat=True))
    return cast(set[int], shared["own_country_ids"])


# Reading ---------------------------------------------------------------------------------


class SessionRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Session
        fields = ["id", "title"]


class CaseRefSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api-v1:case-detail", lookup_field="slug")

    class Meta:
        model = CaseStudy
        fields = ["slug", "title", "url"]


class SpeakerSerializer(serializers.ModelSerializer):
    organization = OrganizationRefSerializer(read_only=True, allow_null=True)
    country = CountryRefSerializer(read_only=True, allow_null=True)

    class Meta:
        model = Person
        fields = ["name", "position", "organization", "country"]


class ContributionSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()
    event = serializers.SlugRelatedField[Event](slug_field="slug", read_only=True)
    session = SessionRefSerializer(read_only=True, allow_null=True)
    country = CountryRefSerializer(
        read_only=True,
        allow_null=True,
        help_text="The country it speaks for; null for an organization's own contribution.",
    )
    case = serializers.SerializerMethodField(
        help_text="The country case it presents; null when none, or when the case is a draft "
        "you may not see."
    )
    speakers = serializers.SerializerMethodField()
    documents = serializers.SerializerMethodField()

    class Meta:
        model = Contribution
        fields = [
            "id",
            "url",
            "event",
            "session",
            "title",
            "kind",
            "abstract",
            "country",
            "case",
            "speakers",
            "documents",
            "status",
            "version",
            "submitted_at",
            "published_at",
            "updated_at",
        ]

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, contribution: Contribution) -> str:
        path = reverse(
            "api-v1:event-contribution-detail",
            kwargs={"event_slug": contribution.event.slug, "id": contribution.pk},
        )
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path

    @extend_schema_field(CaseRefSerializer(allow_null=True))
    def get_case(self, contribution: Contribution) -> dict[str, Any] | None:
        case = contribution.case
        if case is None:
            return None
        user = getattr(self.context.get("request"), "user", None)
        visible = (
            case.status == CaseStudy.Status.PUBLISHED
            or (user is not None and roles.is_editor(user))
            or case.country_id in _own_country_ids(self.context)
        )
        return CaseRefSerializer(case, context=self.context).data if visible else None

    @extend_schema_field(SpeakerSerializer(many=True))
    def get_speakers(self, contribution: Contribution) -> list[dict[str, Any]]:
        people = [role.person for role in contribution.speaker_roles.all()]
        return serializers.ListSerializer(people, child=SpeakerSerializer()).data

    @extend_schema_field(DocumentSerializer(many=True))
    def get_documents(self, contribution: Contribution) -> list[dict[str, Any]]:
        # Whoever may see the contribution may see its documents.
        documents = getattr(contribution, "listed_documents", None)
        if documents is None:
            documents = contribution.documents.order_by("uploaded_at", "pk")
        many = serializers.ListSerializer(
            documents, child=DocumentSerializer(), context=self.context
        )
        return many.data


# Writing ---------------------------------------------------------------------------------


class CountryCodeField(serializers.SlugRelatedField[Country]):
    """A country by its ISO 3166 alpha-3 code, in either case."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(slug_field="iso3", queryset=Country.objects.all(), **kwargs)

    def to_internal_value(self, data: Any) -> Country:
        return super().to_internal_value(data.upper() if isinstance(data, str) else data)


class VisibleCaseField(serializers.SlugRelatedField[CaseStudy]):
    """A case by its slug, among those the caller may see: another country's draft is as
    unknown as a slug that names nothing."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(slug_field="slug", queryset=CaseStudy.objects.all(), **kwargs)

    def get_queryset(self) -> QuerySet[CaseStudy]:
        user = getattr(self.context.get("request"), "user", None)
        return CaseStudy.objects.visible_to(user) if user else CaseStudy.objects.none()


class SpeakerWriteSerializer(serializers.Serializer):
    """A speaker, found by name (and country) among the people already recorded, or added."""

    name = serializers.CharField(max_length=300)
    position = serializers.CharField(max_length=300, required=False, allow_blank=True)
    organization = serializers.SlugRelatedField(
        slug_field="slug",
        queryset=Organization.objects.all(),
        required=False,
        allow_null=True,
        help_text="The organization's slug.",
    )
    country = CountryCodeField(required=False, allow_null=True, help_text="ISO 3166 alpha-3.")

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        # Required in a PATCH too: a partial change of a contribution replaces whole speakers.
        if "name" not in attrs:
            raise serializers.ValidationError({"name": [gettext("This field is required.")]})
        return attrs


class ContributionWriteSerializer(serializers.Serializer):
    """What a focal point or an editor sends to add or change a contribution."""

    title = serializers.CharField(max_length=300)
    kind = serializers.ChoiceField(choices=Contribution.Kind.choices, required=False)
    abstract = serializers.CharField(max_length=20000, required=False, allow_blank=True)
    session = serializers.PrimaryKeyRelatedField(
        queryset=Session.objects.all(),
        required=False,
        allow_null=True,
        help_text="The id of one of the event's sessions.",
    )
    case = VisibleCaseField(
        required=False,
        allow_null=True,
        help_text="The slug of a case of the contribution's country.",
    )
    position = serializers.IntegerField(
        min_value=0, max_value=32767, required=False, help_text="Order within its session."
    )
    country = CountryCodeField(
        required=False,
        allow_null=True,
        help_text="ISO 3166 alpha-3. A focal point of one country may leave it out; naming "
        "a country it is not the focal point of is refused (400). Editors may leave it empty "
        "for an organization's own contribution. A contribution keeps its country.",
    )
    speakers: serializers.ListSerializer[Any] = serializers.ListSerializer(
        child=SpeakerWriteSerializer(),
        required=False,
        max_length=MAX_SPEAKERS,
        help_text="In the order they spoke; replaces the speakers given before.",
    )


def _people(speakers: Sequence[Mapping[str, Any]]) -> list[Person]:
    return [
        person_named(
            name=speaker["name"],
            position=speaker.get("position", ""),
            organization=speaker.get("organization"),
            country=speaker.get("country"),
        )
        for speaker in speakers
    ]


# The view --------------------------------------------------------------------------------


@extend_schema(parameters=[EVENT_SLUG])
class ContributionViewSet(
    ChangesList, VersionedWrites, mixins.ListModelMixin, viewsets.GenericViewSet
):
    """The contributions to an event: presentations, talks, papers and statements.

    Anyone reads the published ones; a country's focal points also their countries' ones in
    every status, editors all. Focal points add their country's contributions to an event
    the country took part in or hosted, change them while they are drafts or returned,
    upload their slides and submit them for review; editors publish or return them. Changes
    need `If-Match` with the ETag of the version read.
    """

    resource_name = "contribution"  # in the permission class's refusals
    serializer_class = ContributionSerializer
    detail_serializer_class = ContributionSerializer
    queryset = Contribution.objects.none()  # for the schema; get_queryset picks the rows
    lookup_field = "pk"
    lookup_url_kwarg = "id"
    lookup_value_regex = "[0-9]+"
    filter_backends: list[type] = []
    # Reading is open; every write needs a signed-in person (401 otherwise) in this role.
    required_roles = {
        "create": CONTRIBUTOR,
        "partial_update": CONTRIBUTOR,
        "destroy": CONTRIBUTOR,
        "submit": CONTRIBUTOR,
        "documents": {"POST": CONTRIBUTOR},
        "publish": EDITOR,
        "return_": EDITOR,
    }
    parser_classes = [LimitedJSONParser]  # documents take multipart; see `documents`

    @cached_property
    def event(self) -> Event:
        """The event of the URL: a public one, or any for an editor; 404 otherwise."""
        editor = roles.is_editor(self.request.user)
        events = Event.objects.all() if editor else Event.objects.public()
        return get_object_or_404(events, slug=self.kwargs["event_slug"])

    def get_queryset(self) -> QuerySet[Contribution]:
        if getattr(self, "swagger_fake_view", False):
            return Contribution.objects.none()
        return (
            Contribution.objects.visible_to(self.request.user)
            .filter(event=self.event)
            .select_related("event", "session", "country", "case")
            .prefetch_related(
                Prefetch(
                    "speaker_roles",
                    queryset=ContributionSpeaker.objects.select_related(
                        "person__organization", "person__country"
                    ).order_by("position", "pk"),
                ),
                Prefetch(
                    "documents",
                    queryset=Document.objects.defer("extracted_text")
                    .select_related("event")
                    .order_by("uploaded_at", "pk"),
                    to_attr="listed_documents",
                ),
            )
        )

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self._detail_response(self.get_object(), fresh=False)

    @extend_schema(
        parameters=[IDEMPOTENCY_KEY],
        request=ContributionWriteSerializer,
        responses={201: ContributionSerializer},
    )
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        event = self.event  # an unknown event is a 404, whatever the key
        return idempotent(request, lambda: self._create(request, event))

    def _create(self, request: Request, event: Event) -> Response:
        serializer = ContributionWriteSerializer(
            data=request.data, context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        country, speakers = data.pop("country", None), data.pop("speakers", [])
        try:
            with transaction.atomic():  # the speakers of a refused contribution are not kept
                contribution = create_contribution(
                    user=signed_in(request.user),
                    event=event,
                    data=data,
                    country=country,
                    speakers=_people(speakers),
                )
        except ServiceError as exc:
            raise service_error(exc) from None
        response = self._detail_response(contribution, status_code=status.HTTP_201_CREATED)
        response["Location"] = reverse(
            "api-v1:event-contribution-detail",
            kwargs={"event_slug": event.slug, "id": contribution.pk},
        )
        return response

    @extend_schema(
        parameters=[IF_MATCH],
        request=ContributionWriteSerializer,
        responses={200: ContributionSerializer},
    )
    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        contribution = self.get_object()
        version = expected_version(request, contribution)
        serializer = ContributionWriteSerializer(
            data=request.data, partial=True, context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        if data.pop("country", contribution.country) != contribution.country:
            raise ValidationError(
                {
                    "country": [
                        gettext("A contribution keeps its country; add a new one for another.")
                    ]
                },
                code="invalid",
            )
        speakers = data.pop("speakers", None)
        try:
            with transaction.atomic():  # the speakers of a refused change are not kept
                contribution = update_contribution(
                    contribution=contribution,
                    user=signed_in(request.user),
                    data=data,
                    expected_version=version,
                    speakers=None if speakers is None else _people(speakers),
                )
        except ServiceError as exc:
            raise service_error(exc) from None
        return self._detail_response(contribution)

    @extend_schema(parameters=[IF_MATCH], responses={204: None})
    def destroy(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Delete a draft with its documents (editors: any contribution)."""
        contribution = self.get_object()
        version = expected_version(request, contribution)
        try:
            delete_contribution(
                contribution=contribution, user=signed_in(request.user), expected_version=version
            )
        except ServiceError as exc:
            raise service_error(exc) from None
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=None, responses={200: ContributionSerializer})
    @action(detail=True, methods=["post"])
    def submit(self, request: Request, event_slug: str, id: str) -> Response:
        """Send a draft (or a contribution returned for changes) to the editors for review."""
        contribution = self.get_object()
        return self._transition(
            request,
            contribution,
            lambda: submit_contribution(contribution=contribution, user=signed_in(request.user)),
        )

    @extend_schema(request=None, responses={200: ContributionSerializer})
    @action(detail=True, methods=["post"])
    def publish(self, request: Request, event_slug: str, id: str) -> Response:
        """Editors only: publish a submitted contribution (or a draft of their own)."""
        contribution = self.get_object()
        return self._transition(
            request,
            contribution,
            lambda: publish_contribution(contribution=contribution, editor=signed_in(request.user)),
        )

    @extend_schema(request=CaseReviewSerializer, responses={200: ContributionSerializer})
    @action(detail=True, methods=["post"], url_path="return", url_name="return")
    def return_(self, request: Request, event_slug: str, id: str) -> Response:
        """Editors only: return a submitted contribution to its country, saying what to change."""
        contribution = self.get_object()
        review = CaseReviewSerializer(data=request.data)
        review.is_valid(raise_exception=True)
        comment = review.validated_data["comment"]
        return self._transition(
            request,
            contribution,
            lambda: return_contribution(
                contribution=contribution, editor=signed_in(request.user), comment=comment
            ),
        )

    @extend_schema(methods=["GET"], request=None, responses={200: DocumentSerializer(many=True)})
    @extend_schema(
        methods=["POST"],
        parameters=[IDEMPOTENCY_KEY],
        request={"multipart/form-data": DocumentUploadSerializer},
        responses={201: DocumentSerializer},
    )
    @action(
        detail=True,
        methods=["get", "post"],
        pagination_class=None,
        parser_classes=[MultiPartParser],
    )
    def documents(self, request: Request, event_slug: str, id: str) -> Response:
        """Its slides or paper; POST uploads one (multipart), for those who may change it."""
        contribution = self.get_object()
        context = self.get_serializer_context()
        if request.method == "GET":
            documents = DocumentSerializer(
                contribution.listed_documents, many=True, context=context
            )
            return Response(documents.data)
        refuse_declared_oversize(request)
        return idempotent(
            request, lambda: upload_response(request, context, contribution=contribution)
        )
