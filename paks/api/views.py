"""API v1 views for the knowledge space: cases (searched) and documents."""

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Prefetch, QuerySet
from django.http import HttpResponseBase
from django.utils.translation import gettext
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    PolymorphicProxySerializer,
    extend_schema,
    inline_serializer,
)
from rest_framework import filters, mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import (
    APIException,
    ErrorDetail,
    NotFound,
    ValidationError,
)
from rest_framework.parsers import MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.reverse import reverse
from rest_framework.utils.urls import remove_query_param, replace_query_param

from accounts.models import signed_in
from core.filters import StrictFilterSet
from core.renderers import CSVExportMixin
from core.sync import CURSOR, PAGE_SIZE, UPDATED_SINCE, ChangePagination, ChangesList, wants_changes
from core.sync import updated_since as changed_since
from countries.models import countries_of
from paks import opendata, roles
from paks.api.idempotency import HEADER as IDEMPOTENCY_HEADER
from paks.api.idempotency import idempotent
from paks.api.parsers import LimitedJSONParser
from paks.api.permissions import CONTRIBUTOR, EDITOR, SIGNED_IN
from paks.api.preconditions import (
    VersionedWrites,
    check_document_etag,
    document_etag,
    expected_version,
    service_error,
)
from paks.api.schema import CHANGE_PARAMETERS, RoleAwareSchema
from paks.api.serializers import (
    CaseDetailSerializer,
    CaseReviewSerializer,
    CaseSearchParamsSerializer,
    CaseSerializer,
    CaseWriteSerializer,
    DocumentDetailsSerializer,
    DocumentSerializer,
    DocumentUploadSerializer,
    FacetValueSerializer,
    SearchHitSerializer,
    WorkspaceCaseSerializer,
)
from paks.documents.accept import DocumentRejected, accept_document, max_upload_bytes
from paks.models import CaseStudy, CaseTranslation, Contribution, Document
from paks.public_cache import cached_public_read
from paks.search import CaseSearch, FacetValue, search_cases
from paks.search.backends import check_values
from paks.search.base import FACETS
from paks.services import (
    ServiceError,
    create_case,
    delete_case,
    delete_document,
    document_version,
    publish_case,
    request_changes,
    submit_case,
    update_case,
    update_document,
)

IF_MATCH = OpenApiParameter(
    "If-Match",
    str,
    OpenApiParameter.HEADER,
    required=True,
    description="The ETag of the version you read (428 without it, 412 if it changed since).",
)
IDEMPOTENCY_KEY = OpenApiParameter(
    IDEMPOTENCY_HEADER,
    str,
    OpenApiParameter.HEADER,
    description="Any unique string (a UUID): a retry with the same key and body gets the "
    "first response instead of a second upload.",
)


class PayloadTooLarge(APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_code = "too_large"

    def __init__(self, limit: int) -> None:
        message = gettext("The file is larger than %(megabytes)s MB.") % {
            "megabytes": limit // (1024 * 1024)
        }
        super().__init__({"file": [message]}, code="too_large")


def _django_validation(exc: DjangoValidationError) -> ValidationError:
    return ValidationError(exc.message_dict if hasattr(exc, "error_dict") else exc.messages)


UPLOAD_ERRORS = {
    "forbidden": status.HTTP_403_FORBIDDEN,
    "invalid_status": status.HTTP_409_CONFLICT,
    "too_large": status.HTTP_413_REQUEST_ENTITY_TOO_LARGE,
    "unsupported_type": status.HTTP_415_UNSUPPORTED_MEDIA_TYPE,
    "duplicate": status.HTTP_409_CONFLICT,
}


def refuse_declared_oversize(request: Request) -> None:
    """413 for an upload that says it is too large, before its body is read."""
    declared = request.META.get("CONTENT_LENGTH") or "0"
    if declared.isdigit() and int(declared) > max_upload_bytes() + 64 * 1024:
        raise PayloadTooLarge(max_upload_bytes())


def upload_response(
    request: Request,
    context: Mapping[str, Any],
    *,
    case: CaseStudy | None = None,
    contribution: Contribution | None = None,
) -> Response:
    """A multipart upload accepted for a case or a contribution (201 with the document), or
    refused with the status its reason means (`UPLOAD_ERRORS`)."""
    upload = DocumentUploadSerializer(data=request.data)
    upload.is_valid(raise_exception=True)
    try:
        document = accept_document(
            upload=upload.validated_data["file"],
            title=upload.validated_data.get("title", ""),
            kind=upload.validated_data["kind"],
            case=case,
            contribution=contribution,
            uploaded_by=signed_in(request.user),
        )
    except DocumentRejected as exc:
        error = APIException(exc.message, code=exc.code)
        error.status_code = UPLOAD_ERRORS.get(exc.code, status.HTTP_400_BAD_REQUEST)
        error.detail = {exc.field: [ErrorDetail(exc.message, code=exc.code)]}
        raise error from None
    body = DocumentSerializer(document, context=context).data
    response = Response(body, status=status.HTTP_201_CREATED)
    response["ETag"] = document_etag(document)
    response["Location"] = reverse("api-v1:document-detail", args=[document.pk])
    return response


def _refuse(problems: tuple[tuple[str, str], ...]) -> None:
    """A 400 naming the first parameter at fault, in the API's words for it."""
    if problems:
        field, message = problems[0]
        field = "page_size" if field == "per_page" else field
        raise ValidationError({field: [message]}, code="invalid")


def _search_from(request: Request) -> CaseSearch:
    """The case search a request asks for; any malformed parameter answers 400."""
    params = request.query_params.copy()
    params.pop("per_page", None)  # the API's name is page_size
    if "page_size" in params:
        params.setlist("per_page", params.getlist("page_size"))
    search = CaseSearch.from_request(request, params)
    _refuse(search.problems)
    return search


def _facet_size(request: Request) -> int:
    values = request.query_params.getlist("facet_size")
    if not values:
        return 20
    if len(values) == 1 and values[0].isascii() and values[0].isdigit():
        size = int(values[0])
        if size <= 1000:
            return size
    raise ValidationError(
        {"facet_size": [gettext("Give one number from 0 to 1000.")]}, code="invalid"
    )


def _top(values: list[FacetValue], size: int) -> list[FacetValue]:
    """The most frequent values first, and every selected one whatever its count."""
    ranked = sorted(values, key=lambda v: (not v.selected, -v.count))
    return [v for i, v in enumerate(ranked) if i < size or v.selected]


class CaseSchema(RoleAwareSchema):
    """The case list answers one search page (hits, facets, counts), not an array of cases."""

    def _is_list_view(
        self,
        serializer: serializers.Serializer[Any] | type[serializers.Serializer[Any]] | None = None,
    ) -> bool:
        if getattr(self.view, "action", None) == "list":
            return False
        return super()._is_list_view(serializer)

    def get_operation_id(self) -> str:
        if getattr(self.view, "action", None) == "list":
            return "cases_search"
        return super().get_operation_id()


class CaseViewSet(CSVExportMixin, VersionedWrites, viewsets.ModelViewSet):
    """Country cases (good practices).

    Anyone reads published cases; the list is the full-text search. A country's focal
    points create drafts of their country, change them while they are drafts or returned
    for changes, upload their documents and submit them for review; editors do this for
    every country and publish or return submitted cases. Writes need `If-Match` with the
    ETag of the version read.
    """

    lookup_field = "slug"
    serializer_class = CaseDetailSerializer
    # Reading is open; every write needs a signed-in person (401 otherwise) in this role.
    required_roles = {
        "create": CONTRIBUTOR,
        "update": CONTRIBUTOR,
        "partial_update": CONTRIBUTOR,
        "destroy": CONTRIBUTOR,
        "submit": CONTRIBUTOR,
        "documents": {"POST": CONTRIBUTOR},
        "delete_document": CONTRIBUTOR,
        "publish": EDITOR,
        "request_changes": EDITOR,
    }
    csv_filename = "cases"
    detail_serializer_class = CaseDetailSerializer
    pagination_class = None  # the list pages its search results itself
    schema = CaseSchema()
    parser_classes = [LimitedJSONParser]  # documents take multipart; see `documents`
    http_method_names = ["get", "post", "put", "patch", "delete", "head", "options"]

    def get_queryset(self) -> QuerySet[CaseStudy]:
        return (
            CaseStudy.objects.visible_to(self.request.user)
            .select_related("country", "organization", "event")
            .prefetch_related(
                "themes",
                "sdgs",
                "links",
                Prefetch(
                    "documents",
                    queryset=Document.objects.defer("extracted_text").order_by("uploaded_at", "pk"),
                    to_attr="listed_documents",
                ),
                # As the case's page shows them (paks.views.CaseDetailView).
                Prefetch(
                    "translations",
                    queryset=CaseTranslation.objects.published()
                    .select_related("translated_by")
                    .order_by("language"),
                    to_attr="published_translations",
                ),
            )
        )

    def get_serializer_class(self) -> type[serializers.BaseSerializer]:
        if self.action in {"create", "update", "partial_update"}:
            return CaseWriteSerializer
        if self.action == "list":
            return CaseSerializer
        return CaseDetailSerializer

    @extend_schema(
        parameters=[CaseSearchParamsSerializer, *CHANGE_PARAMETERS],
        description="The search: one page of hits with facets and counts. With `updated_since` "
        "or `cursor` (and no search parameters), every published case in the order of change "
        "instead, in cursor pages of cases (`next`, `previous`, `results`), for mirrors.",
        responses={
            (200, "text/csv"): OpenApiTypes.STR,
            (200, "application/json"): PolymorphicProxySerializer(
                component_name="CaseListPage",
                serializers=[
                    inline_serializer(
                        "CaseSearchPage",
                        {
                            "count": serializers.IntegerField(),
                            "next": serializers.URLField(allow_null=True),
                            "previous": serializers.URLField(allow_null=True),
                            "results": SearchHitSerializer(many=True),
                            "facets": inline_serializer(
                                "Facets",
                                # None of them with `facets=false`.
                                {
                                    name: FacetValueSerializer(many=True, required=False)
                                    for name in FACETS
                                },
                            ),
                            "suggestion": serializers.CharField(allow_null=True),
                            "message": serializers.CharField(allow_null=True),
                        },
                    ),
                    inline_serializer(
                        "CaseChangePage",
                        {
                            "count": serializers.IntegerField(),
                            "next": serializers.URLField(allow_null=True),
                            "previous": serializers.URLField(allow_null=True),
                            "results": CaseSerializer(many=True),
                        },
                    ),
                ],
                resource_type_field_name=None,
            ),
        },
    )
    # DRF sends whatever HttpResponse a handler returns (a streamed CSV, a cached page); the
    # stubs say Response.
    def list(self, request: Request, *args: Any, **kwargs: Any) -> HttpResponseBase:  # type: ignore[override]
        if wants_changes(request):
            return self._changes(request)
        search = _search_from(request)
        if self.wants_csv(request):
            return self._csv(request, search)
        return cached_public_read(request, lambda: self._search_page(request, search))

    def _search_page(self, request: Request, search: CaseSearch) -> Response:
        facet_size = _facet_size(request)
        results = search_cases(search)
        _refuse(results.problems)  # values that name no country, theme ...
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
                # Plain dicts: a serializer per facet value (some 300 of them) cost more than
                # the whole search. The schema still names FacetValueSerializer.
                "facets": {
                    name: [
                        {
                            "value": v.value,
                            "label": v.label,
                            "count": v.count,
                            "selected": v.selected,
                        }
                        for v in _top(values, facet_size)
                    ]
                    for name, values in results.facets.items()
                },
                "suggestion": results.suggestion,
                "message": results.message,
            }
        )

    def _changes(self, request: Request) -> Response:
        """Published cases in the order of change, for mirrors (see core.sync): the same
        objects as the search's hits, without ranking, words or facets."""
        others = sorted(set(request.query_params) - {UPDATED_SINCE, CURSOR, PAGE_SIZE, "format"})
        if others:
            raise ValidationError(
                {
                    others[0]: [
                        gettext(
                            # Translators: updated_since and cursor are parameter names; keep them.
                            "With updated_since or cursor the list gives every published case "
                            "in the order of change; search with words and filters without them."
                        )
                    ]
                },
                code="invalid",
            )
        cases = CaseStudy.objects.published().select_related("country", "organization")
        since = changed_since(request)
        if since is not None:
            cases = cases.filter(updated_at__gte=since)
        paginator = ChangePagination()
        page = paginator.paginate_queryset(cases, request, view=self)
        context = self.get_serializer_context()
        return paginator.get_paginated_response(
            CaseSerializer(page, many=True, context=context).data
        )

    def _csv(self, request: Request, search: CaseSearch) -> HttpResponseBase:
        """Every match, unpaged: the open data table of cases, the one definition of it."""
        _refuse(check_values(search).problems)
        return opendata.download(request, opendata.cases_table(request), "csv")

    # A cached page is an HttpResponse, which DRF sends as it is (see `list`).
    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> HttpResponseBase:  # type: ignore[override]
        return cached_public_read(
            request, lambda: self._detail_response(self.get_object(), fresh=False)
        )

    @extend_schema(parameters=[IDEMPOTENCY_KEY], responses={201: CaseDetailSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return idempotent(request, lambda: self._create(request))

    def _create(self, request: Request) -> Response:
        serializer = CaseWriteSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        try:
            case = create_case(
                user=signed_in(request.user), data=data, country=data.pop("country", None)
            )
        except ServiceError as exc:
            raise service_error(exc) from None
        except DjangoValidationError as exc:
            raise _django_validation(exc) from None
        response = self._detail_response(case, status_code=status.HTTP_201_CREATED)
        response["Location"] = reverse("api-v1:case-detail", kwargs={"slug": case.slug})
        return response

    @extend_schema(
        parameters=[IF_MATCH],
        request=CaseWriteSerializer,
        responses={200: CaseDetailSerializer},
    )
    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        case = self.get_object()
        version = expected_version(request, case)
        partial = kwargs.get("partial", False)
        serializer = CaseWriteSerializer(
            case, data=request.data, partial=partial, context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        try:
            case = update_case(
                case=case,
                user=signed_in(request.user),
                data=data,
                expected_version=version,
                country=data.pop("country", None),  # editors move cases; others are told
            )
        except ServiceError as exc:
            raise service_error(exc) from None
        except DjangoValidationError as exc:
            raise _django_validation(exc) from None
        return self._detail_response(case)

    @extend_schema(
        parameters=[IF_MATCH],
        request=CaseWriteSerializer,
        responses={200: CaseDetailSerializer},
    )
    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self.update(request, *args, partial=True, **kwargs)

    @extend_schema(parameters=[IF_MATCH], responses={204: None})
    def destroy(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        case = self.get_object()
        version = expected_version(request, case)
        try:
            delete_case(case=case, user=signed_in(request.user), expected_version=version)
        except ServiceError as exc:
            raise service_error(exc) from None
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=None, responses={200: CaseDetailSerializer})
    @action(detail=True, methods=["post"])
    def submit(self, request: Request, slug: str) -> Response:
        """Send a draft (or a case returned for changes) to the editors for review."""
        case = self.get_object()
        return self._transition(
            request, case, lambda: submit_case(case=case, user=signed_in(request.user))
        )

    @extend_schema(request=None, responses={200: CaseDetailSerializer})
    @action(detail=True, methods=["post"])
    def publish(self, request: Request, slug: str) -> Response:
        """Editors only: publish a submitted case."""
        case = self.get_object()
        return self._transition(
            request, case, lambda: publish_case(case=case, editor=signed_in(request.user))
        )

    @extend_schema(request=CaseReviewSerializer, responses={200: CaseDetailSerializer})
    @action(detail=True, methods=["post"], url_path="request-changes")
    def request_changes(self, request: Request, slug: str) -> Response:
        """Editors only: return a submitted case to its country with a comment."""
        case = self.get_object()
        review = CaseReviewSerializer(data=request.data)
        review.is_valid(raise_exception=True)
        comment = review.validated_data["comment"]
        return self._transition(
            request,
            case,
            lambda: request_changes(case=case, editor=signed_in(request.user), comment=comment),
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
    def documents(self, request: Request, slug: str) -> Response:
        """The case's documents; POST uploads one (multipart), for those who may edit it."""
        case = self.get_object()
        if request.method == "GET":
            documents = DocumentSerializer(
                case.listed_documents, many=True, context=self.get_serializer_context()
            )
            return Response(documents.data)
        refuse_declared_oversize(request)
        context = self.get_serializer_context()
        return idempotent(request, lambda: upload_response(request, context, case=case))

    @extend_schema(parameters=[IF_MATCH], responses={204: None})
    @action(
        detail=True,
        methods=["delete"],
        url_path=r"documents/(?P<document_id>[0-9]+)",
        url_name="document",
    )
    def delete_document(self, request: Request, slug: str, document_id: str) -> Response:
        """Remove a document from a case that may still be edited."""
        case = self.get_object()
        document = next((d for d in case.listed_documents if d.pk == int(document_id)), None)
        if document is None:
            raise NotFound()
        check_document_etag(request, document)
        try:
            delete_document(document=document, user=signed_in(request.user))
        except ServiceError as exc:
            raise service_error(exc) from None
        return Response(status=status.HTTP_204_NO_CONTENT)


class WorkspaceCaseFilter(StrictFilterSet):
    class Meta:
        model = CaseStudy
        fields = ["status"]


class WorkspaceCaseViewSet(ChangesList, mixins.ListModelMixin, viewsets.GenericViewSet):
    """Your countries' cases in every status (all cases for editors), newest change first."""

    serializer_class = WorkspaceCaseSerializer
    queryset = CaseStudy.objects.none()  # for the schema; get_queryset picks the rows
    required_roles = {"list": SIGNED_IN, "download": SIGNED_IN}
    filter_backends = [DjangoFilterBackend]
    filterset_class = WorkspaceCaseFilter

    def get_queryset(self) -> QuerySet[CaseStudy]:
        cases = CaseStudy.objects.select_related("country", "organization")
        if not roles.is_editor(self.request.user):
            cases = cases.filter(country__in=countries_of(self.request.user))
        return cases.order_by("-updated_at", "pk")

    @extend_schema(
        parameters=[OpenApiParameter("suffix", str, OpenApiParameter.PATH, enum=["csv", "json"])],
        responses={
            (200, "text/csv"): OpenApiTypes.STR,
            (200, "application/json"): OpenApiTypes.OBJECT,
        },
    )
    @action(detail=False, url_path=r"download\.(?P<suffix>csv|json)", pagination_class=None)
    def download(self, request: Request, suffix: str) -> HttpResponseBase:
        """Every case of your countries (all for editors) in every status, streamed as CSV
        or JSON with the public table's columns and the review's (status, version, dates)."""
        cases = self.filter_queryset(self.get_queryset())
        return opendata.download(request, opendata.workspace_cases_table(request, cases), suffix)


class DocumentViewSet(ChangesList, viewsets.ReadOnlyModelViewSet):
    """Documents of published cases and public events: metadata and a download link.

    Signed in, also the documents of the cases you may see (your country's drafts)."""

    serializer_class = DocumentSerializer
    filter_backends = [filters.OrderingFilter]
    ordering_fields = ["uploaded_at", "title", "size"]
    ordering = ["-uploaded_at", "pk"]
    # Who may change a document's details depends on its case or contribution: the service
    # decides (403 otherwise).
    required_roles = {"partial_update": SIGNED_IN}
    http_method_names = ["get", "patch", "head", "options"]
    parser_classes = [LimitedJSONParser]

    def get_queryset(self) -> QuerySet[Document]:
        return (
            Document.objects.visible_to(self.request.user)
            .defer("extracted_text")
            .select_related("case", "event")
        )

    def _detail_response(self, document: Document) -> Response:
        body = DocumentSerializer(document, context=self.get_serializer_context()).data
        response = Response(body)
        response["ETag"] = document_etag(document)
        return response

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self._detail_response(self.get_object())

    @extend_schema(
        parameters=[IF_MATCH],
        request=DocumentDetailsSerializer,
        responses={200: DocumentSerializer},
    )
    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Change a document's title, kind or language, for those who may edit its case or
        contribution (editors: any document)."""
        document = self.get_object()
        check_document_etag(request, document)
        details = DocumentDetailsSerializer(document, data=request.data, partial=True)
        details.is_valid(raise_exception=True)
        try:
            document = update_document(
                document=document,
                user=signed_in(request.user),
                data=details.validated_data,
                expected_version=document_version(document),
            )
        except ServiceError as exc:
            raise service_error(exc) from None
        except DjangoValidationError as exc:
            raise _django_validation(exc) from None
        return self._detail_response(self.get_queryset().get(pk=document.pk))
