from typing import Any, cast

import django_filters
from django import forms
from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import exceptions, filters, status, viewsets
from rest_framework.parsers import BaseParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.reverse import reverse
from rest_framework.settings import api_settings

from accounts.models import signed_in
from core.filters import StrictFilterSet
from core.sync import ChangesList
from countries.api.serializers import (
    CountryDetailSerializer,
    CountrySerializer,
    OrganizationSerializer,
    OrganizationWriteSerializer,
)
from countries.models import Country, EGovScore, Organization
from countries.services import (
    OrganizationChanged,
    OrganizationError,
    OrganizationNotAllowed,
    create_organization,
    update_organization,
)

# The role names of the API's permission class (`paks.api.permissions`), which sits above
# this app: a signed-in person gets through, and the service decides who may write what.
SIGNED_IN = "signed in"


class StrictBooleanField(forms.NullBooleanField):
    """`true` or `false` (or 1/0); anything else is an error, not silently "any"."""

    widget = forms.TextInput  # the select widget would turn unknown values into "any"

    # None is "any", as in Django's NullBooleanField, whose stub is just as much at odds with
    # BooleanField's.
    def to_python(self, value: object) -> bool | None:  # type: ignore[override]
        if value in (None, ""):
            return None
        if value in (True, "true", "True", "1"):
            return True
        if value in (False, "false", "False", "0"):
            return False
        # Translators: true and false are the values the API takes; keep them as they are.
        raise forms.ValidationError(gettext("Use true or false."), code="invalid")

    def validate(self, value: object) -> None:
        pass


class StrictBooleanFilter(django_filters.BooleanFilter):
    field_class = StrictBooleanField


class CountryFilter(StrictFilterSet):
    is_ldc = StrictBooleanFilter(help_text="Least developed countries.")
    is_lldc = StrictBooleanFilter(help_text="Landlocked developing countries.")
    is_sids = StrictBooleanFilter(help_text="Small island developing states.")

    class Meta:
        model = Country
        fields = ["region_name", "is_ldc", "is_lldc", "is_sids"]


class CountryViewSet(ChangesList, viewsets.ReadOnlyModelViewSet):
    """UN M49 countries and areas with their groupings and E-Government Survey scores."""

    lookup_field = "iso3"
    lookup_value_regex = "[A-Za-z]{3}"
    filter_backends = [DjangoFilterBackend, filters.SearchFilter, filters.OrderingFilter]
    search_fields = ["name", "iso3"]
    ordering_fields = ["name", "iso3", "region_name"]
    ordering = ["name"]
    filterset_class = CountryFilter

    def get_queryset(self) -> QuerySet[Country]:
        countries = Country.objects.all()
        if self.action == "retrieve":
            scores = EGovScore.objects.order_by("-survey_year")
            countries = countries.prefetch_related(Prefetch("egov_scores", queryset=scores))
        return countries

    def get_object(self) -> Country:
        self.kwargs["iso3"] = self.kwargs["iso3"].upper()
        return super().get_object()

    def get_serializer_class(self) -> type:
        return CountryDetailSerializer if self.action == "retrieve" else CountrySerializer


class PreconditionRequired(exceptions.APIException):
    status_code = status.HTTP_428_PRECONDITION_REQUIRED
    default_code = "precondition_required"
    default_detail = _(
        # Translators: If-Match is an HTTP header and ETag its value; keep both as they are.
        "Send an If-Match header with the ETag of the version you read, "
        "so that nobody's changes are overwritten."
    )


class PreconditionFailed(exceptions.APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_code = "precondition_failed"
    default_detail = _("It changed since you read it. Read it again and apply your changes to it.")


IF_MATCH = OpenApiParameter(
    "If-Match",
    str,
    OpenApiParameter.HEADER,
    required=True,
    description="The ETag of the version you read (428 without it, 412 if it changed since).",
)


def organization_etag(organization: Organization) -> str:
    """Names the saved version by its time of saving, to the microsecond."""
    saved = organization.updated_at
    stamp = int(saved.timestamp()) * 1_000_000 + saved.microsecond
    return f'"organization-{organization.pk}-{stamp}"'


def check_organization_etag(request: Request, organization: Organization) -> None:
    """428 without If-Match (or with `*`), 412 unless it names the saved version."""
    header = request.headers.get("If-Match", "").strip()
    if not header or header == "*":
        raise PreconditionRequired()
    # Compression marks a tag weak on the way out; the client sends back what it got.
    tags = {tag.strip().removeprefix("W/") for tag in header.split(",")}
    if organization_etag(organization) not in tags:
        raise PreconditionFailed()


def _refusal(exc: OrganizationError) -> exceptions.APIException:
    """The HTTP meaning of a write the service refused."""
    if isinstance(exc, OrganizationNotAllowed):
        return exceptions.PermissionDenied(str(exc))
    if isinstance(exc, OrganizationChanged):
        return PreconditionFailed(str(exc))
    return exceptions.ValidationError(exc.errors, code="invalid")


class OrganizationFilter(StrictFilterSet):
    not_blank = ("country",)
    country = django_filters.CharFilter(
        method="filter_country", help_text="ISO 3166 alpha-3 of the organization's country."
    )
    kind = django_filters.ChoiceFilter(choices=Organization.Kind.choices)

    class Meta:
        model = Organization
        fields = ["country", "kind"]

    def filter_country(
        self, queryset: QuerySet[Organization], name: str, value: str
    ) -> QuerySet[Organization]:
        code = value.strip()
        if not (len(code) == 3 and code.isascii() and code.isalpha()):
            raise exceptions.ValidationError(
                {
                    "country": [
                        gettext("Give an ISO 3166 alpha-3 code (three letters), not %(value)s.")
                        % {"value": repr(value)}
                    ]
                },
                code="invalid",
            )
        # A code no country has finds nothing, as on the event list.
        return queryset.filter(country__iso3=code.upper())


@extend_schema_view(
    list=extend_schema(
        parameters=[
            OpenApiParameter(
                "country",
                str,
                pattern="^[A-Za-z]{3}$",
                description="ISO 3166 alpha-3 code of the organization's country.",
            )
        ]
    )
)
class OrganizationViewSet(ChangesList, viewsets.ReadOnlyModelViewSet):
    """Bodies that organize events or whose people keep countries' cases current.

    Anyone reads them. A focal point adds and corrects its countries' organizations, editors
    any; nobody deletes one through the API. Changes need `If-Match` with the ETag read.
    """

    lookup_field = "slug"
    serializer_class = OrganizationSerializer
    queryset = Organization.objects.select_related("country", "parent")
    filter_backends = [DjangoFilterBackend, filters.SearchFilter, filters.OrderingFilter]
    filterset_class = OrganizationFilter
    search_fields = ["name", "short_name", "acronym"]
    ordering_fields = ["name"]
    ordering = ["name"]
    required_roles = {"create": SIGNED_IN, "update": SIGNED_IN, "partial_update": SIGNED_IN}
    http_method_names = ["get", "post", "put", "patch", "head", "options"]
    # JSON bodies only, through the API's checked JSON parser: a form's empty field would
    # pass for a field not sent.
    parser_classes = cast(
        list[type[BaseParser]],
        [
            parser
            for parser in api_settings.DEFAULT_PARSER_CLASSES
            if getattr(parser, "media_type", "") == "application/json"
        ],
    )

    def _detail_response(
        self, organization: Organization, *, status_code: int = 200, fresh: bool = True
    ) -> Response:
        """The organization with its ETag; `fresh` reads it again after a write."""
        if fresh:
            organization = self.get_queryset().get(pk=organization.pk)
        body = OrganizationSerializer(organization, context=self.get_serializer_context()).data
        response = Response(body, status=status_code)
        response["ETag"] = organization_etag(organization)
        return response

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self._detail_response(self.get_object(), fresh=False)

    @extend_schema(request=OrganizationWriteSerializer, responses={201: OrganizationSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = OrganizationWriteSerializer(
            data=request.data, context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        try:
            organization = create_organization(
                user=signed_in(request.user), data=dict(serializer.validated_data)
            )
        except OrganizationError as exc:
            raise _refusal(exc) from None
        response = self._detail_response(organization, status_code=status.HTTP_201_CREATED)
        response["Location"] = reverse(
            "api-v1:organization-detail", kwargs={"slug": organization.slug}
        )
        return response

    @extend_schema(
        parameters=[IF_MATCH],
        request=OrganizationWriteSerializer,
        responses={200: OrganizationSerializer},
    )
    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        organization = self.get_object()
        check_organization_etag(request, organization)
        serializer = OrganizationWriteSerializer(
            organization,
            data=request.data,
            partial=kwargs.get("partial", False),
            context=self.get_serializer_context(),
        )
        serializer.is_valid(raise_exception=True)
        try:
            organization = update_organization(
                organization=organization,
                user=signed_in(request.user),
                data=dict(serializer.validated_data),
                expected_updated_at=organization.updated_at,
            )
        except OrganizationError as exc:
            raise _refusal(exc) from None
        return self._detail_response(organization)

    @extend_schema(
        parameters=[IF_MATCH],
        request=OrganizationWriteSerializer,
        responses={200: OrganizationSerializer},
    )
    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self.update(request, *args, partial=True, **kwargs)
