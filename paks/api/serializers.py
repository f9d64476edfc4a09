import datetime
from collections.abc import Mapping
from typing import Any, cast

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, ngettext, pgettext
from drf_spectacular.utils import extend_schema_field
from rest_framework import ISO_8601, serializers
from rest_framework.relations import PKOnlyObject
from rest_framework.settings import api_settings

from core.serializers import refuse_non_text
from countries.api.serializers import CountryRefSerializer, OrganizationRefSerializer
from countries.models import Country, Organization, countries_of
from events.models import Event
from paks import roles
from paks.models import CaseComment, CaseLink, CaseStudy, CaseTranslation, Document
from paks.search.base import SLUG_PLACEHOLDER, CaseRow
from paks.services import CASE_FIELDS
from paks.translations import TRANSLATION_FIELDS
from taxonomy.models import SDG, Theme

DATETIME = serializers.DateTimeField()  # as the model serializers write dates and times


def _zone() -> datetime.tzinfo | None:
    """The time zone times are written in, or None when DRF is set to write them otherwise
    than in ISO 8601 (then DATETIME writes them)."""
    return timezone.get_current_timezone() if api_settings.DATETIME_FORMAT == ISO_8601 else None


def _datetime(value: datetime.datetime, zone: datetime.tzinfo | None) -> str:
    """What DATETIME writes for a time, without its per-call lookups (a page of results has
    forty): ISO 8601 in `zone` (`_zone()`, read once a page), UTC as Z."""
    if zone is None or timezone.is_naive(value):
        return str(DATETIME.to_representation(value))
    text = value.astimezone(zone).isoformat()
    return f"{text[:-6]}Z" if text.endswith("+00:00") else text


class DocumentSerializer(serializers.HyperlinkedModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api-v1:document-detail")
    case = serializers.SlugRelatedField[CaseStudy](
        slug_field="slug", read_only=True, allow_null=True
    )
    event = serializers.SlugRelatedField[Event](slug_field="slug", read_only=True, allow_null=True)
    download_url = serializers.SerializerMethodField()
    thumbnail_url = serializers.SerializerMethodField()
    processing_error = serializers.SerializerMethodField(
        help_text="Why processing failed, when it did; shown to the focal points of the "
        "case's (or contribution's) country and editors only."
    )

    class Meta:
        model = Document
        fields = [
            "url",
            "id",
            "title",
            "kind",
            "language",
            "case",
            "event",
            "original_filename",
            "media_type",
            "size",
            "sha256",
            "page_count",
            "state",
            "processing_error",
            "uploaded_at",
            "updated_at",
            "download_url",
            "thumbnail_url",
            "external_url",
        ]

    def _absolute(self, path: str) -> str:
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path

    def get_download_url(self, document: Document) -> str | None:
        if not document.file:
            return None
        return self._absolute(reverse("paks:document-download", args=[document.pk]))

    def get_thumbnail_url(self, document: Document) -> str | None:
        if not document.thumbnail:
            return None
        return self._absolute(reverse("paks:document-thumbnail", args=[document.pk]))

    def get_processing_error(self, document: Document) -> str | None:
        if document.state != Document.State.FAILED:
            return None
        request = self.context.get("request")
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        if roles.is_editor(user):
            return document.error
        # The root serializer's context dict, shared by every serializer of the response (the
        # stubs call it a Mapping so that nothing else writes to it).
        context = cast(dict[str, Any], self.context)
        if "own_country_ids" not in context:  # one query per response, only on failures
            context["own_country_ids"] = set(countries_of(user).values_list("pk", flat=True))
        owner = document.case or document.contribution  # a case's, or a contribution's
        own = owner is not None and owner.country_id in context["own_country_ids"]
        return document.error if own else None


class CaseLinkSerializer(serializers.ModelSerializer):
    class Meta:
        model = CaseLink
        fields = ["title", "url"]


class CaseSerializer(serializers.HyperlinkedModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api-v1:case-detail", lookup_field="slug")
    country = CountryRefSerializer(read_only=True)
    organization = OrganizationRefSerializer(read_only=True, allow_null=True)
    web_url = serializers.SerializerMethodField()

    class Meta:
        model = CaseStudy
        fields = [
            "url",
            "web_url",
            "slug",
            "title",
            "country",
            "organization",
            "year",
            "summary",
            "language",
            "published_at",
            "updated_at",
        ]

    def get_web_url(self, case: CaseStudy) -> str:
        return self._address("paks:case-detail", case.slug)

    def _address(self, view_name: str, slug: str) -> str:
        """The absolute address of a case's view: one reversal per serializer and view, then
        the slug put in its place (slugs need no quoting)."""
        templates: dict[str, tuple[str, str]] = self.__dict__.setdefault("_templates", {})
        if view_name not in templates:
            path = reverse(view_name, kwargs={"slug": SLUG_PLACEHOLDER})
            request = self.context.get("request")
            url = request.build_absolute_uri(path) if request else path
            prefix, suffix = url.split(SLUG_PLACEHOLDER)
            templates[view_name] = (prefix, suffix)
        prefix, suffix = templates[view_name]
        return f"{prefix}{slug}{suffix}"

    def to_representation(self, case: CaseStudy | CaseRow) -> dict[str, Any]:
        """The fields above, read directly: DRF's generic path (a lookup, a conversion and
        for links a reversal per field) took most of a search page's time. Fields that a
        subclass adds go the generic way. The API tests hold both paths to the same output."""
        country, organization = case.country, case.organization
        data: dict[str, Any] = {
            "url": self._address("api-v1:case-detail", case.slug),
            "web_url": self._address("paks:case-detail", case.slug),
            "slug": case.slug,
            "title": case.title,
            "country": {"iso3": country.iso3, "name": country.name},
            "organization": None
            if organization is None
            else {
                "slug": organization.slug,
                "name": organization.name,
                "acronym": organization.acronym,
            },
        }
        data["year"] = case.year
        data["summary"] = case.summary
        data["language"] = case.language
        # The current time zone, read once for the page (a context variable lookup each time).
        if "_zone" not in self.__dict__:
            self.__dict__["_zone"] = _zone()
        zone = self.__dict__["_zone"]
        for name in ("published_at", "updated_at"):
            value = getattr(case, name)
            data[name] = None if value is None else _datetime(value, zone)
        if len(self.Meta.fields) == len(data):
            return data  # building `self.fields` (model introspection) is costly too
        for field in self._readable_fields:
            field_name = field.field_name  # set when the field was bound to this serializer
            if field_name is not None and field_name not in data:
                attribute = field.get_attribute(case)
                present = attribute.pk if isinstance(attribute, PKOnlyObject) else attribute
                data[field_name] = None if present is None else field.to_representation(attribute)
        return data


class CaseCommentSerializer(serializers.ModelSerializer):
    author = serializers.StringRelatedField[CaseComment]()

    class Meta:
        model = CaseComment
        fields = ["author", "body", "created_at"]


def translator_name(translation: CaseTranslation) -> str:
    """Who translated, as the case's page names them: by name, or else as a focal point or
    the editors (the page never shows an e-mail address)."""
    person = translation.translated_by
    name = person.get_full_name() if person is not None else ""
    if name:
        return name
    if person is not None and not person.is_staff:
        # Translators: who translated a case, when the focal point gave no name.
        return pgettext("translator", "A focal point")
    # Translators: who translated a case, when an editor (or no known person) did.
    return pgettext("translator", "The editors")


class PublishedTranslationSerializer(serializers.ModelSerializer):
    """A published translation of a case, as its public page shows it."""

    translator = serializers.SerializerMethodField(
        help_text="The translator's name as the case's page shows it; without a name, "
        '"A focal point" or "The editors" in the language asked for.'
    )

    class Meta:
        model = CaseTranslation
        fields = ["language", *TRANSLATION_FIELDS, "translator", "published_at"]

    def get_translator(self, translation: CaseTranslation) -> str:
        return translator_name(translation)


# Inline (inside allOf, which drf-spectacular's enum naming leaves alone): a second set of
# choices named `status` would rename the cases' and contributions' StatusEnum in the schema.
@extend_schema_field({"allOf": [{"type": "string", "enum": list(CaseTranslation.Status.values)}]})
class TranslationStatusField(serializers.CharField):
    pass


class CaseTranslationSerializer(PublishedTranslationSerializer):
    """A translation of a case with its workflow: drafts and submitted ones are read by the
    case's country's focal points and the editors only."""

    url = serializers.SerializerMethodField()
    status = TranslationStatusField(read_only=True)

    class Meta(PublishedTranslationSerializer.Meta):
        fields = [
            "url",
            *PublishedTranslationSerializer.Meta.fields,
            "status",
            "version",
            "created_at",
            "updated_at",
        ]

    @extend_schema_field(serializers.URLField())
    def get_url(self, translation: CaseTranslation) -> str:
        path = reverse(
            "api-v1:case-translation-detail",
            kwargs={"case_slug": translation.case.slug, "language": translation.language},
        )
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path


class CaseTranslationWriteSerializer(serializers.ModelSerializer):
    """What a focal point or an editor sends to write a translation. PUT replaces it whole
    (sections left out become empty); PATCH changes the fields it names."""

    withdraw = serializers.BooleanField(
        required=False,
        default=False,
        help_text="A focal point changing a published translation takes it off the public "
        "site until the editors publish it again; true says so (409 without it). Editors "
        "change a published translation in place.",
    )

    class Meta:
        model = CaseTranslation
        fields = [*TRANSLATION_FIELDS, "withdraw"]

    def to_internal_value(self, data: Any) -> Any:
        if not isinstance(data, Mapping):
            raise serializers.ValidationError(
                {
                    "non_field_errors": [
                        gettext("Send a JSON object with the translation's fields.")
                    ]
                },
                code="invalid",
            )
        refuse_non_text(data, TRANSLATION_FIELDS)
        return super().to_internal_value(data)


class CaseDetailSerializer(CaseSerializer):
    themes = serializers.SlugRelatedField[Theme](slug_field="slug", many=True, read_only=True)
    sdgs = serializers.SlugRelatedField[SDG](slug_field="number", many=True, read_only=True)
    event = serializers.SlugRelatedField[Event](slug_field="slug", read_only=True, allow_null=True)
    links = CaseLinkSerializer(many=True, read_only=True)
    documents = serializers.SerializerMethodField()
    review_comments = serializers.SerializerMethodField(
        help_text="Editors' comments; shown to the case's country and to editors only."
    )
    translations = serializers.SerializerMethodField(
        help_text="Its published translations, as the case's page offers them; drafts and "
        "submitted ones are at translations/, for the case's country and the editors."
    )

    class Meta(CaseSerializer.Meta):
        fields = [
            *CaseSerializer.Meta.fields,
            "status",
            "version",
            "challenge",
            "solution",
            "results",
            "lessons_learned",
            "themes",
            "sdgs",
            "event",
            "links",
            "documents",
            "review_comments",
            "translations",
        ]

    def get_documents(self, case: CaseStudy) -> list[dict[str, Any]]:
        # Whoever may see the case may see its documents.
        documents = getattr(case, "listed_documents", None)
        if documents is None:
            documents = case.documents.order_by("uploaded_at", "pk")
        # What `many=True` builds, spelled out: the stubs type that as one DocumentSerializer.
        many = serializers.ListSerializer(
            documents, child=DocumentSerializer(), context=self.context
        )
        return many.data

    @extend_schema_field(PublishedTranslationSerializer(many=True))
    def get_translations(self, case: CaseStudy) -> list[dict[str, Any]]:
        published = getattr(case, "published_translations", None)
        if published is None:
            published = (
                case.translations.published().select_related("translated_by").order_by("language")
            )
        many = serializers.ListSerializer(
            published, child=PublishedTranslationSerializer(), context=self.context
        )
        return many.data

    def get_review_comments(self, case: CaseStudy) -> list[dict[str, Any]]:
        request = self.context.get("request")
        user = getattr(request, "user", None)
        if user is None or not roles.works_on(user, case):
            return []
        comments = case.comments.select_related("author").order_by("created_at")
        return serializers.ListSerializer(comments, child=CaseCommentSerializer()).data


# The most items each list of a case may have: every SDG, a generous number of themes and links.
LIST_LIMITS = {"themes": 30, "sdgs": 17, "links": 50}


class CaseWriteSerializer(serializers.ModelSerializer):
    """What a focal point or an editor sends to create or change a case."""

    country = serializers.SlugRelatedField(
        slug_field="iso3",
        queryset=Country.objects.all(),
        required=False,
        help_text="ISO 3166 alpha-3. Editors name it; a focal point of one country may leave "
        "it out, and naming a country it is not the focal point of is refused (400).",
    )
    organization = serializers.SlugRelatedField(
        slug_field="slug", queryset=Organization.objects.all(), required=False, allow_null=True
    )
    event = serializers.SlugRelatedField(
        slug_field="slug", queryset=Event.objects.public(), required=False, allow_null=True
    )
    themes = serializers.SlugRelatedField(
        slug_field="slug", queryset=Theme.objects.all(), many=True, required=False
    )
    sdgs = serializers.SlugRelatedField(
        slug_field="number", queryset=SDG.objects.all(), many=True, required=False
    )
    links = CaseLinkSerializer(many=True, required=False)

    class Meta:
        model = CaseStudy
        fields = [*CASE_FIELDS, "country", "themes", "sdgs", "links"]

    def to_internal_value(self, data: object) -> dict[str, Any]:
        if not isinstance(data, Mapping):  # a JSON object, or a form's QueryDict
            raise serializers.ValidationError(
                {"non_field_errors": [gettext("Send a JSON object with the case's fields.")]},
                code="invalid",
            )
        for name, limit in LIST_LIMITS.items():
            value = data.get(name)
            if isinstance(value, list) and len(value) > limit:
                # Refused before any of them is looked up.
                message = ngettext("Give at most %(limit)d.", "Give at most %(limit)d.", limit)
                raise serializers.ValidationError(
                    {name: [message % {"limit": limit}]}, code="max_length"
                )
        country = data.get("country")
        if isinstance(country, str):
            data = {**data, "country": country.upper()}
        return super().to_internal_value(data)


class CaseReviewSerializer(serializers.Serializer):
    comment = serializers.CharField(
        max_length=5000, help_text="What should change; the focal point sees it."
    )


class DocumentDetailsSerializer(serializers.ModelSerializer):
    """A document's details that those who may edit its case or contribution change."""

    class Meta:
        model = Document
        fields = ["title", "kind", "language"]

    def to_internal_value(self, data: Any) -> Any:
        if not isinstance(data, Mapping):
            raise serializers.ValidationError(
                {"non_field_errors": [gettext("Send a JSON object with the document's details.")]},
                code="invalid",
            )
        refuse_non_text(data, self.Meta.fields)
        return super().to_internal_value(data)


class DocumentUploadSerializer(serializers.Serializer):
    file = serializers.FileField(
        help_text="PDF, PPTX, DOCX, XLSX, PNG, JPEG, WebP or GIF; the type is read from the "
        "content, not the name."
    )
    title = serializers.CharField(max_length=300, required=False, allow_blank=True)
    kind = serializers.ChoiceField(
        choices=Document.Kind.choices, default=Document.Kind.PRESENTATION
    )


class FacetValueSerializer(serializers.Serializer):
    value = serializers.CharField()
    # DRF takes declared fields off the class, so this replaces no `Field.label`.
    label = serializers.CharField()  # type: ignore[assignment]
    count = serializers.IntegerField()
    selected = serializers.BooleanField()


class SearchHitSerializer(serializers.Serializer):
    """One result of a case search: the case, its score and where the words matched."""

    case = CaseSerializer()
    score = serializers.FloatField()
    snippet = serializers.CharField(help_text="HTML: escaped text with <mark> around matches.")
    document = serializers.SerializerMethodField()

    def to_representation(self, hit: Any) -> dict[str, Any]:
        """As DRF would build it, without its per-field lookups (see CaseSerializer)."""
        return {
            "case": self.fields["case"].to_representation(hit.case),
            "score": float(hit.score),
            "snippet": str(hit.snippet),
            "document": self.get_document(hit),
        }

    def get_document(self, hit: object) -> dict | None:
        match = getattr(hit, "document_match", None)
        if match is None:
            return None
        return {
            "id": match.document_id,
            "title": match.title,
            "page": match.page,
            "unit": match.unit,
            "snippet": str(match.snippet),
        }


class WorkspaceCaseSerializer(CaseSerializer):
    """A case in its country's workspace list: with its status and version."""

    class Meta(CaseSerializer.Meta):
        fields = [*CaseSerializer.Meta.fields, "status", "version", "submitted_at"]


class CaseSearchParamsSerializer(serializers.Serializer):
    """The case search's query string, as the schema documents it. The search itself reads
    it (`CaseSearch.from_params`); the API refuses any value it notes as wrong with 400."""

    q = serializers.CharField(
        required=False, allow_blank=True, help_text='Words; "exact phrase", -excluded, or.'
    )
    country = serializers.ListField(
        child=serializers.CharField(min_length=3, max_length=3),
        required=False,
        help_text="ISO 3166 alpha-3 codes (repeat for several).",
    )
    region = serializers.ListField(child=serializers.CharField(), required=False)
    group = serializers.ListField(
        child=serializers.ChoiceField(choices=["ldc", "lldc", "sids"]), required=False
    )
    theme = serializers.ListField(child=serializers.SlugField(), required=False)
    sdg = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=17), required=False
    )
    year = serializers.ListField(
        child=serializers.IntegerField(min_value=1990, max_value=2100), required=False
    )
    organization = serializers.ListField(child=serializers.SlugField(), required=False)
    event = serializers.ListField(child=serializers.SlugField(), required=False)
    sort = serializers.ChoiceField(
        choices=["relevance", "newest", "oldest", "title"], required=False
    )
    page = serializers.IntegerField(min_value=1, required=False)
    page_size = serializers.IntegerField(
        min_value=1, max_value=100, required=False, help_text="Results per page (default 20)."
    )
    facets = serializers.BooleanField(
        required=False,
        default=True,
        help_text="false: no facet counts (faster, for clients that only page results).",
    )
    facet_size = serializers.IntegerField(
        min_value=0,
        max_value=1000,
        required=False,
        help_text="Values per facet, most frequent first, selected ones always (default 20).",
    )
