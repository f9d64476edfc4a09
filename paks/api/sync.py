"""`/api/v1/deleted/`: the tombstones a mirror applies after reading what changed."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.utils.translation import gettext
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, viewsets
from rest_framework.exceptions import ValidationError

from core.sync import ChangePagination, ChangesList
from countries.models import countries_of
from paks import roles
from paks.models import Tombstone


class TombstoneSerializer(serializers.ModelSerializer):
    id = serializers.IntegerField(source="object_id", help_text="The item's id.")

    class Meta:
        model = Tombstone
        fields = ["kind", "id", "key", "reason", "removed_at"]


class TombstonePagination(ChangePagination):
    def __init__(self) -> None:
        super().__init__("removed_at")


@extend_schema_view(
    list=extend_schema(
        parameters=[
            OpenApiParameter(
                "kind",
                str,
                enum=Tombstone.Kind.values,
                description="Only items of this kind.",
            ),
        ]
    )
)
class TombstoneViewSet(ChangesList, mixins.ListModelMixin, viewsets.GenericViewSet):
    """Items that left the lists, oldest removal first, in cursor pages.

    `reason` is `deleted` (gone for good) or `withdrawn` (no longer public: archived,
    unpublished, hidden; those who may still see it, its country's focal points, keep finding
    it in their lists). An item published again loses its tombstone and is listed as changed.
    Anyone reads the tombstones of items that had been public; a country's focal points also
    those of their countries' drafts, editors all.
    """

    serializer_class = TombstoneSerializer
    pagination_class = TombstonePagination
    changed_field = "removed_at"
    filter_backends: list[type] = []
    queryset = Tombstone.objects.none()  # for the schema; get_queryset picks the rows

    @property
    def paginator(self) -> TombstonePagination:
        if not hasattr(self, "_tombstone_paginator"):
            self._tombstone_paginator = TombstonePagination()
        return self._tombstone_paginator

    def get_queryset(self) -> QuerySet[Tombstone]:
        user = self.request.user
        tombstones = Tombstone.objects.all()
        if not roles.is_editor(user):
            tombstones = tombstones.filter(Q(public=True) | Q(country__in=countries_of(user)))
        kinds = self.request.query_params.getlist("kind")
        if kinds:
            if len(kinds) > 1 or kinds[0] not in Tombstone.Kind.values:
                raise ValidationError(
                    {
                        "kind": [
                            # Translators: %(kinds)s lists the kinds as the API spells them.
                            gettext("Give one of: %(kinds)s.")
                            % {"kinds": ", ".join(Tombstone.Kind.values)}
                        ]
                    },
                    code="invalid",
                )
            tombstones = tombstones.filter(kind=kinds[0])
        return tombstones
