"""A person's own API tokens: list them, make one (its key shown once), revoke one.

A member system's operator makes a read-only token for a mirror that only reads, and a
write token for one that also sends cases; a token that leaked is revoked here at once.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.reverse import reverse

from accounts.models import ApiToken, signed_in
from accounts.services import issue_token, revoke_token
from core.serializers import refuse_non_text
from paks.api.parsers import LimitedJSONParser
from paks.api.permissions import SIGNED_IN


class TokenSerializer(serializers.ModelSerializer):
    """A token as its owner sees it: never its key, which only its digest stands for."""

    scope = serializers.ChoiceField(
        choices=ApiToken.Scope.choices,
        default=ApiToken.Scope.WRITE,
        help_text="`read`: reads what you may see and changes nothing; `write`: also writes.",
    )
    expires_at = serializers.DateTimeField(
        required=False, help_text="When it stops working; a year from now when not given."
    )

    class Meta:
        model = ApiToken
        fields = [
            "id",
            "name",
            "prefix",
            "scope",
            "created_at",
            "expires_at",
            "last_used_at",
            "revoked_at",
        ]
        read_only_fields = ["id", "prefix", "created_at", "last_used_at", "revoked_at"]

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, Mapping):
            refuse_non_text(data, ["name", "scope", "expires_at"])
        return super().to_internal_value(data)

    def validate_name(self, value: str) -> str:
        if not value.strip():
            raise serializers.ValidationError(
                gettext("Give the token a name that says what it is for.")
            )
        return value.strip()

    def validate_expires_at(self, value: Any) -> Any:
        if value <= timezone.now():
            raise serializers.ValidationError(gettext("Give a moment in the future."))
        return value


class NewTokenSerializer(TokenSerializer):
    key = serializers.CharField(
        read_only=True,
        help_text="The key, shown this once: only a digest of it is kept. "
        "Send it as `Authorization: Token <key>`.",
    )

    class Meta(TokenSerializer.Meta):
        fields = [*TokenSerializer.Meta.fields, "key"]


class TokenViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """Your own API tokens. Making one answers its key once; deleting one revokes it at once
    (it stays listed, with `revoked_at`). A read-only token changes nothing, tokens included."""

    serializer_class = TokenSerializer
    queryset = ApiToken.objects.none()  # for the schema; get_queryset picks the rows
    required_roles = {
        "list": SIGNED_IN,
        "retrieve": SIGNED_IN,
        "create": SIGNED_IN,
        "destroy": SIGNED_IN,
    }
    pagination_class = None  # a person has a handful
    parser_classes = [LimitedJSONParser]  # a form's empty field would pass for one not sent

    def get_queryset(self) -> QuerySet[ApiToken]:
        if not self.request.user.is_authenticated:
            return ApiToken.objects.none()
        return ApiToken.objects.filter(user=self.request.user).order_by("-created_at", "-pk")

    @extend_schema(request=TokenSerializer, responses={201: NewTokenSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        form = TokenSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = form.validated_data
        user = signed_in(request.user)
        try:
            token, key = issue_token(
                user=user,
                name=data["name"],
                scope=data["scope"],
                expires_at=data.get("expires_at"),
                created_by=user,
            )
        except ValueError as exc:
            raise ValidationError({"non_field_errors": [str(exc)]}) from None
        body = NewTokenSerializer(token).data
        response = Response({**body, "key": key}, status=status.HTTP_201_CREATED)
        response["Location"] = reverse("api-v1:token-detail", args=[token.pk])
        # The key must not stay in a shared cache or a browser's history of responses.
        response["Cache-Control"] = "no-store"
        return response

    @extend_schema(responses={204: None})
    def destroy(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        revoke_token(token=self.get_object(), revoked_by=signed_in(request.user))
        return Response(status=status.HTTP_204_NO_CONTENT)
