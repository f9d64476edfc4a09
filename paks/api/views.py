"""API v1 views for the knowledge space: cases (searched), documents, themes and SDGs."""

from typing import Any

from django.db.models import Prefetch, QuerySet
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import filters, serializers, viewsets
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

from paks.api.serializers import (
    CaseDetailSerializer,
    CaseSerializer,
    DocumentSerializer,
    FacetValueSerializer,
    SDGSerializer,
    SearchHitSerializer,
    ThemeSerializer,
)
from paks.models import SDG, CaseStudy, Document, Theme
from paks.search import CaseSearch, search_cases
from paks.search.base import FACETS

SEARCH_PARAMETERS = [
    OpenApiParameter("q", str, description='Words; "phrase", -excluded, or.'),
    *[
        OpenApiParameter(name, str, many=True, description=f"Filter by {name} (repeatable).")
        for name in (*FACETS, "event")
    ],
    OpenApiParameter("sort", str, enum=["relevance", "newest", "oldest", "title"]),
    OpenApiParameter("page", int),
    OpenApiParameter("page_size", int, description="Results per page, at most 100."),
]


class CaseViewSet(viewsets.ReadOnlyModelViewSet):
    """Published country cases (good practices). The list is the full-text search."""

    lookup_field = "slug"
    serializer_class = CaseSerializer

    def get_queryset(self) -> QuerySet[CaseStudy]:
        return (
            CaseStudy.objects.published()
            .select_related("country", "organization", "event")
            .prefetch_related(
                "themes",
                "sdgs",
                "links",
                Prefetch(
                    "documents",
                    queryset=Document.objects.public().order_by("uploaded_at", "pk"),
                    to_attr="public_documents",
                ),
            )
        )

    def get_serializer_class(self) -> type:
        return CaseDetailSerializer if self.action == "retrieve" else CaseSerializer

    @extend_schema(
        parameters=SEARCH_PARAMETERS,
        responses=inline_serializer(
            "CaseSearchPage",
            {
                "count": serializers.IntegerField(),
                "next": serializers.URLField(allow_null=True),
                "previous": serializers.URLField(allow_null=True),
                "results": SearchHitSerializer(many=True),
                "facets": serializers.DictField(child=FacetValueSerializer(many=True)),
                "suggestion": serializers.CharField(allow_null=True),
                "message": serializers.CharField(allow_null=True),
            },
        ),
    )
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        params = request.query_params.copy()
        if "page_size" in params:
            params["per_page"] = params["page_size"]
        search = CaseSearch.from_params(params)
        results = search_cases(search)
        url = request.build_absolute_uri()
        hits = SearchHitSerializer(results.hits, many=True, context={"request": request}).data
        return Response(
            {
                "count": results.total,
                "next": replace_query_param(url, "page", search.page + 1)
                if results.has_next
                else None,
                "previous": (
                    (
                        replace_query_param(url, "page", search.page - 1)
                        if search.page > 2
                        else remove_query_param(url, "page")
                    )
                    if results.has_previous
                    else None
                ),
                "results": hits,
                "facets": {
                    name: FacetValueSerializer(values, many=True).data
                    for name, values in results.facets.items()
                },
                "suggestion": results.suggestion,
                "message": results.message,
            }
        )


class DocumentViewSet(viewsets.ReadOnlyModelViewSet):
    """Documents of published cases and public events: metadata and a download link."""

    serializer_class = DocumentSerializer
    filter_backends = [filters.OrderingFilter]
    ordering_fields = ["uploaded_at", "title", "size"]
    ordering = ["-uploaded_at", "pk"]

    def get_queryset(self) -> QuerySet[Document]:
        return Document.objects.public().select_related("case", "event")


class ThemeViewSet(viewsets.ReadOnlyModelViewSet):
    lookup_field = "slug"
    serializer_class = ThemeSerializer
    queryset = Theme.objects.order_by("name")


class SDGViewSet(viewsets.ReadOnlyModelViewSet):
    lookup_field = "number"
    lookup_value_regex = "[0-9]{1,2}"
    serializer_class = SDGSerializer
    queryset = SDG.objects.order_by("number")
