"""API v1 for the translations of a case: `/api/v1/cases/{case_slug}/translations/`.

Anyone reads the published translations of a published case (the case's detail lists them
too); the case's country's focal points and the editors also its drafts and submitted ones.
They write a translation with PUT (creating it) or PATCH, delete it and submit it for
review; editors publish or return it. Writes go through `paks.translations`, as in the
workspace and the admin.
"""

from __future__ import annotations

from functools import cached_property
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.reverse import reverse

from accounts.models import signed_in
from paks import roles
from paks.api.parsers import LimitedJSONParser
from paks.api.permissions import CONTRIBUTOR, EDITOR
from paks.api.preconditions import (
    PreconditionFailed,
    VersionedWrites,
    expected_version,
    service_error,
)
from paks.api.serializers import (
    CaseReviewSerializer,
    CaseTranslationSerializer,
    CaseTranslationWriteSerializer,
)
from paks.api.views import IF_MATCH
from paks.models import CaseStudy, CaseTranslation
from paks.services import ServiceError
from paks.translations import (
    TRANSLATION_FIELDS,
    check_language,
    delete_case_translation,
    publish_case_translation,
    return_case_translation,
    save_case_translation,
    submit_case_translation,
)

CASE_SLUG = OpenApiParameter(
    "case_slug", str, OpenApiParameter.PATH, description="The case's slug."
)
LANGUAGE = OpenApiParameter(
    "language",
    str,
    OpenApiParameter.PATH,
    enum=[code for code, _name in settings.LANGUAGES],
    description="The translation's language: one of the portal's, not the case's own.",
)
IF_MATCH_TO_CHANGE = OpenApiParameter(
    "If-Match",
    str,
    OpenApiParameter.HEADER,
    description="To change a translation: the ETag of the version you read (428 without it, "
    "412 if it changed since). To create one, leave it out.",
)


def _django_validation(exc: DjangoValidationError) -> ValidationError:
    return ValidationError(exc.message_dict if hasattr(exc, "error_dict") else exc.messages)


@extend_schema(parameters=[CASE_SLUG])
class CaseTranslationViewSet(VersionedWrites, mixins.ListModelMixin, viewsets.GenericViewSet):
    """The translations of a case into the portal's other languages.

    Anyone reads the published translations of a published case; the case's country's focal
    points and the editors also its drafts and submitted ones. They create a translation with
    PUT, change it with PUT or PATCH (a focal point: while it is a draft), delete a draft and
    submit it for review; editors publish or return it. Changes need `If-Match` with the ETag
    of the version read.
    """

    serializer_class = CaseTranslationSerializer
    detail_serializer_class = CaseTranslationSerializer
    queryset = CaseTranslation.objects.none()  # for the schema; get_queryset picks the rows
    lookup_field = "language"
    lookup_value_regex = "[^/.]+"
    pagination_class = None  # five languages at most
    filter_backends: list[type] = []
    # Reading is open; every write needs a signed-in person (401 otherwise) in this role, of
    # the case (`_case_to_change`).
    required_roles = {
        "update": CONTRIBUTOR,
        "partial_update": CONTRIBUTOR,
        "destroy": CONTRIBUTOR,
        "submit": CONTRIBUTOR,
        "publish": EDITOR,
        "return_": EDITOR,
    }
    parser_classes = [LimitedJSONParser]
    http_method_names = ["get", "put", "patch", "delete", "post", "head", "options"]

    @cached_property
    def case(self) -> CaseStudy:
        """The case of the URL, among those the caller may see; 404 otherwise."""
        cases = CaseStudy.objects.visible_to(self.request.user)
        return get_object_or_404(cases, slug=self.kwargs["case_slug"])

    def get_queryset(self) -> QuerySet[CaseTranslation]:
        if getattr(self, "swagger_fake_view", False):
            return CaseTranslation.objects.none()
        translations = CaseTranslation.objects.filter(case=self.case).select_related(
            "case", "translated_by"
        )
        if not roles.works_on(self.request.user, self.case):
            # As the case's page: the public reads published translations only.
            translations = translations.published()
        return translations.order_by("language")

    def _case_to_change(self) -> CaseStudy:
        """The case, once the caller may do this to its translations (403 otherwise): asked
        before the translation is looked up, so a refusal says nothing of drafts."""
        self.check_object_permissions(self.request, self.case)
        return self.case

    def _translation(self) -> CaseTranslation:
        return get_object_or_404(self.get_queryset(), language=self.kwargs["language"])

    @extend_schema(parameters=[LANGUAGE])
    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self._detail_response(self.get_object(), fresh=False)

    @extend_schema(
        parameters=[LANGUAGE, IF_MATCH_TO_CHANGE],
        request=CaseTranslationWriteSerializer,
        responses={200: CaseTranslationSerializer, 201: CaseTranslationSerializer},
    )
    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Create the translation into this language, or replace its text (sections left
        out become empty)."""
        return self._write(request, partial=False)

    @extend_schema(
        parameters=[LANGUAGE, IF_MATCH],
        request=CaseTranslationWriteSerializer,
        responses={200: CaseTranslationSerializer},
    )
    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Change the fields given of an existing translation."""
        return self._write(request, partial=True)

    def _write(self, request: Request, *, partial: bool) -> Response:
        case = self._case_to_change()
        language = self.kwargs["language"]
        try:
            check_language(case, language)
        except ServiceError as exc:
            raise service_error(exc) from None
        translation = self.get_queryset().filter(language=language).first()
        if translation is None:
            if partial:
                raise NotFound()
            if request.headers.get("If-Match", "").strip():
                raise PreconditionFailed()  # it names a version of nothing
            version = None
        else:
            version = expected_version(request, translation)
        serializer = CaseTranslationWriteSerializer(data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        withdraw = bool(data.pop("withdraw", False))
        if not partial:
            data = {name: data.get(name, "") for name in TRANSLATION_FIELDS}
        try:
            saved = save_case_translation(
                case=case,
                language=language,
                data=data,
                user=signed_in(request.user),
                expected_version=version,
                withdraw=withdraw,
            )
        except ServiceError as exc:
            raise service_error(exc) from None
        except DjangoValidationError as exc:
            raise _django_validation(exc) from None
        if translation is not None:
            return self._detail_response(saved)
        response = self._detail_response(saved, status_code=status.HTTP_201_CREATED)
        response["Location"] = reverse(
            "api-v1:case-translation-detail",
            kwargs={"case_slug": case.slug, "language": language},
        )
        return response

    @extend_schema(parameters=[LANGUAGE, IF_MATCH], responses={204: None})
    def destroy(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Delete a draft translation (editors: any)."""
        self._case_to_change()
        translation = self._translation()
        version = expected_version(request, translation)
        try:
            delete_case_translation(
                translation=translation, user=signed_in(request.user), expected_version=version
            )
        except ServiceError as exc:
            raise service_error(exc) from None
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(parameters=[LANGUAGE], request=None, responses={200: CaseTranslationSerializer})
    @action(detail=True, methods=["post"])
    def submit(self, request: Request, case_slug: str, language: str) -> Response:
        """Send a draft translation to the editors for review."""
        self._case_to_change()
        translation = self._translation()
        return self._transition(
            request,
            translation,
            lambda: submit_case_translation(translation=translation, user=signed_in(request.user)),
        )

    @extend_schema(parameters=[LANGUAGE], request=None, responses={200: CaseTranslationSerializer})
    @action(detail=True, methods=["post"])
    def publish(self, request: Request, case_slug: str, language: str) -> Response:
        """Editors only: publish a submitted translation (or a draft). The public reads it once
        the case is published."""
        self._case_to_change()
        translation = self._translation()
        return self._transition(
            request,
            translation,
            lambda: publish_case_translation(
                translation=translation, editor=signed_in(request.user)
            ),
        )

    @extend_schema(
        parameters=[LANGUAGE],
        request=CaseReviewSerializer,
        responses={200: CaseTranslationSerializer},
    )
    @action(detail=True, methods=["post"], url_path="return", url_name="return")
    def return_(self, request: Request, case_slug: str, language: str) -> Response:
        """Editors only: return a submitted (or published) translation to draft, saying what
        to change; the comment joins the case's remarks."""
        self._case_to_change()
        translation = self._translation()
        review = CaseReviewSerializer(data=request.data)
        review.is_valid(raise_exception=True)
        comment = review.validated_data["comment"]
        return self._transition(
            request,
            translation,
            lambda: return_case_translation(
                translation=translation, editor=signed_in(request.user), comment=comment
            ),
        )
