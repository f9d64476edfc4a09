from django.urls import reverse
from rest_framework import serializers

from countries.api.serializers import CountryRefSerializer, OrganizationRefSerializer
from paks.models import SDG, CaseLink, CaseStudy, Document, Theme


class ThemeSerializer(serializers.HyperlinkedModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api-v1:theme-detail", lookup_field="slug")

    class Meta:
        model = Theme
        fields = ["url", "slug", "name", "description"]


class SDGSerializer(serializers.HyperlinkedModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api-v1:sdg-detail", lookup_field="number")

    class Meta:
        model = SDG
        fields = ["url", "number", "short_title", "title", "colour"]


class DocumentSerializer(serializers.HyperlinkedModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api-v1:document-detail")
    case = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    event = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = Document
        fields = [
            "url",
            "id",
            "title",
            "kind",
            "case",
            "event",
            "original_filename",
            "media_type",
            "size",
            "sha256",
            "page_count",
            "state",
            "uploaded_at",
            "download_url",
            "external_url",
        ]

    def get_download_url(self, document: Document) -> str | None:
        if not document.file:
            return None
        path = reverse("paks:document-download", args=[document.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path


class CaseLinkSerializer(serializers.ModelSerializer):
    class Meta:
        model = CaseLink
        fields = ["title", "url"]


class CaseSerializer(serializers.HyperlinkedModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api-v1:case-detail", lookup_field="slug")
    country = CountryRefSerializer(read_only=True)
    organization = OrganizationRefSerializer(read_only=True)
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
        request = self.context.get("request")
        path = case.get_absolute_url()
        return request.build_absolute_uri(path) if request else path


class CaseDetailSerializer(CaseSerializer):
    themes = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)
    sdgs = serializers.SlugRelatedField(slug_field="number", many=True, read_only=True)
    event = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    links = CaseLinkSerializer(many=True, read_only=True)
    documents = serializers.SerializerMethodField()

    class Meta(CaseSerializer.Meta):
        fields = [
            *CaseSerializer.Meta.fields,
            "challenge",
            "solution",
            "results",
            "lessons_learned",
            "themes",
            "sdgs",
            "event",
            "links",
            "documents",
        ]

    def get_documents(self, case: CaseStudy) -> list[dict]:
        documents = getattr(case, "public_documents", None)
        if documents is None:
            documents = Document.objects.public().filter(case=case)
        return DocumentSerializer(documents, many=True, context=self.context).data


class FacetValueSerializer(serializers.Serializer):
    value = serializers.CharField()
    label = serializers.CharField()
    count = serializers.IntegerField()
    selected = serializers.BooleanField()


class SearchHitSerializer(serializers.Serializer):
    """One result of a case search: the case, its score and where the words matched."""

    case = CaseSerializer()
    score = serializers.FloatField()
    snippet = serializers.CharField(help_text="HTML: escaped text with <mark> around matches.")
    document = serializers.SerializerMethodField()

    def get_document(self, hit: object) -> dict | None:
        match = getattr(hit, "document_match", None)
        if match is None:
            return None
        return {
            "id": match.document_id,
            "title": match.title,
            "page": match.page,
            "snippet": str(match.snippet),
        }
