"""API for webhook endpoints: editors and focal points manage their own, read their
deliveries and send a test (`/api/v1/webhooks/`)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import ngettext
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.models import signed_in
from paks.api.permissions import CONTRIBUTOR, SIGNED_IN
from paks.webhooks import EVENTS
from paks.webhooks.delivery import send_test
from paks.webhooks.models import (
    MAX_ENDPOINTS_PER_OWNER,
    Delivery,
    Endpoint,
    scope_of,
    validate_events,
)
from paks.webhooks.services import save_endpoint

DELIVERY_LOG_LIMIT = 100  # the newest; older ones are in the admin until pruned


class EndpointSerializer(serializers.ModelSerializer[Endpoint]):
    events = serializers.ListField(child=serializers.ChoiceField(choices=EVENTS), min_length=1)
    scope = serializers.SerializerMethodField(
        help_text="Whose items the endpoint hears of: an editor's every country's, a focal "
        "point's public items and its own countries' ones."
    )

    class Meta:
        model = Endpoint
        fields = [
            "id",
            "url",
            "description",
            "events",
            "active",
            "scope",
            "consecutive_failures",
            "created_at",
        ]
        read_only_fields = ["consecutive_failures", "created_at"]

    @extend_schema_field(serializers.CharField())
    def get_scope(self, obj: Endpoint) -> str:
        # One owner for all the rows: asked once per response.
        cached: dict[int, str] = self.__dict__.setdefault("_scopes", {})
        if obj.owner_id not in cached:
            cached[obj.owner_id] = scope_of(obj.owner)
        return cached[obj.owner_id]

    def validate_events(self, value: list[str]) -> list[str]:
        validate_events(value)
        return value

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        request = self.context["request"]
        if self.instance is None:
            owned = Endpoint.objects.filter(owner=request.user).count()
            if owned >= MAX_ENDPOINTS_PER_OWNER:
                raise serializers.ValidationError(
                    ngettext(
                        "You have %(count)d webhook endpoint, the most allowed; remove one first.",
                        "You have %(count)d webhook endpoints, the most allowed; remove one first.",
                        owned,
                    )
                    % {"count": owned}
                )
        return attrs

    def create(self, validated_data: dict[str, Any]) -> Endpoint:
        return save_endpoint(Endpoint(**validated_data))

    def update(self, instance: Endpoint, validated_data: dict[str, Any]) -> Endpoint:
        for name, value in validated_data.items():
            setattr(instance, name, value)
        return save_endpoint(instance)


class EndpointCreatedSerializer(EndpointSerializer):
    secret = serializers.CharField(
        read_only=True,
        help_text="Shown once, now: the key of the HMAC-SHA256 signature of every delivery.",
    )

    class Meta(EndpointSerializer.Meta):
        fields = [*EndpointSerializer.Meta.fields, "secret"]


class DeliverySerializer(serializers.ModelSerializer[Delivery]):
    # Plain text in the schema: an enum named "status" would take the cases' enum's name.
    status = serializers.CharField(read_only=True, help_text="pending, succeeded or failed")

    class Meta:
        model = Delivery
        fields = [
            "id",
            "event",
            "event_id",
            "status",
            "attempts",
            "next_attempt_at",
            "response_code",
            "error",
            "created_at",
            "delivered_at",
            "payload",
        ]
        read_only_fields = fields


class WebhookViewSet(viewsets.ModelViewSet[Endpoint]):
    """Your webhook endpoints: the HTTPS addresses PAKS posts signed events to."""

    serializer_class = EndpointSerializer
    queryset = Endpoint.objects.none()  # for the schema; get_queryset picks the rows
    resource_name = "webhook endpoint"
    required_roles = {
        "list": SIGNED_IN,
        "retrieve": SIGNED_IN,
        "create": CONTRIBUTOR,  # an editor or a focal point
        "update": SIGNED_IN,  # one's own (get_queryset)
        "partial_update": SIGNED_IN,
        "destroy": SIGNED_IN,
        "deliveries": SIGNED_IN,
        "test": SIGNED_IN,
    }

    def get_queryset(self) -> QuerySet[Endpoint]:
        if not self.request.user.is_authenticated:
            return Endpoint.objects.none()
        return Endpoint.objects.filter(owner=self.request.user).select_related("owner")

    @extend_schema(responses={201: EndpointCreatedSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = EndpointCreatedSerializer(
            data=request.data, context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        serializer.save(owner=signed_in(request.user))
        return Response(serializer.data, status=status.HTTP_201_CREATED)

    @extend_schema(responses=DeliverySerializer(many=True))
    @action(detail=True, methods=["get"])
    def deliveries(self, request: Request, pk: str | None = None) -> Response:
        """The endpoint's newest deliveries (at most 100), newest first."""
        rows = self.get_object().deliveries.order_by("-created_at", "-pk")[:DELIVERY_LOG_LIMIT]
        return Response(DeliverySerializer(rows, many=True).data)

    @extend_schema(request=None, responses={201: DeliverySerializer})
    @action(detail=True, methods=["post"])
    def test(self, request: Request, pk: str | None = None) -> Response:
        """Send a `ping` now and answer how it went (`status`, `response_code`, `error`)."""
        delivery = send_test(self.get_object())
        return Response(DeliverySerializer(delivery).data, status=status.HTTP_201_CREATED)
