from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.utils.translation import gettext
from rest_framework import serializers

from core.serializers import refuse_non_text
from countries.models import Country, EGovScore, Organization
from countries.names import territory
from countries.services import ORGANIZATION_FIELDS


class EGovScoreSerializer(serializers.ModelSerializer):
    class Meta:
        model = EGovScore
        fields = ["survey_year", "rank", "egdi", "osi", "hci", "tii", "epi"]


class CountryRefSerializer(serializers.ModelSerializer):
    """A country where another resource points to it."""

    class Meta:
        model = Country
        fields = ["iso3", "name"]


class CountrySerializer(serializers.HyperlinkedModelSerializer):
    url = serializers.HyperlinkedIdentityField(
        view_name="api-v1:country-detail", lookup_field="iso3"
    )
    groups = serializers.ListField(child=serializers.CharField(), read_only=True)
    names = serializers.SerializerMethodField(
        help_text="The name in each of the six UN languages, by language code: CLDR's, and "
        "M49's in English (`name`). The same whatever the request's language."
    )

    class Meta:
        model = Country
        fields = [
            "url",
            "iso3",
            "iso2",
            "m49",
            "name",
            "names",
            "region_name",
            "subregion_name",
            "intermediate_region_name",
            "is_ldc",
            "is_lldc",
            "is_sids",
            "groups",
            "updated_at",
        ]

    def get_names(self, country: Country) -> dict[str, str]:
        return {
            code: territory(country.iso2, country.name, code) for code, _name in settings.LANGUAGES
        }


class CountryDetailSerializer(CountrySerializer):
    egov_scores = EGovScoreSerializer(many=True, read_only=True)

    class Meta(CountrySerializer.Meta):
        fields = [*CountrySerializer.Meta.fields, "egov_scores"]


class OrganizationRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Organization
        fields = ["slug", "name", "acronym"]


class OrganizationSerializer(serializers.HyperlinkedModelSerializer):
    url = serializers.HyperlinkedIdentityField(
        view_name="api-v1:organization-detail", lookup_field="slug"
    )
    country = CountryRefSerializer(read_only=True, allow_null=True)
    # DRF takes declared fields off the class, so this replaces no `Field.parent`.
    parent = serializers.SlugRelatedField[Organization](  # type: ignore[assignment]
        slug_field="slug", read_only=True, allow_null=True
    )

    display_name = serializers.CharField(
        read_only=True, help_text="The short name, else the acronym, else the official name."
    )

    class Meta:
        model = Organization
        fields = [
            "url",
            "slug",
            "name",
            "short_name",
            "display_name",
            "acronym",
            "kind",
            "country",
            "parent",
            "website",
            "description",
            "updated_at",
        ]


class OrganizationWriteSerializer(serializers.ModelSerializer):
    """What a focal point or an editor sends to add or correct an organization."""

    slug = serializers.SlugField(
        max_length=200,
        required=False,
        allow_blank=True,
        help_text="Made from the name when not given (with a number when another has it).",
    )
    country = serializers.SlugRelatedField(
        slug_field="iso3",
        queryset=Country.objects.all(),
        required=False,
        allow_null=True,
        help_text="ISO 3166 alpha-3. A focal point names one of its own countries (its only "
        "one when it names none); editors any, or none.",
    )
    parent = serializers.SlugRelatedField(  # type: ignore[assignment]  # as above
        slug_field="slug",
        queryset=Organization.objects.all(),
        required=False,
        allow_null=True,
        help_text="The slug of the body this one is part of.",
    )

    class Meta:
        model = Organization
        fields = list(ORGANIZATION_FIELDS)  # what the service lets a write set

    def to_internal_value(self, data: object) -> dict[str, Any]:
        if not isinstance(data, Mapping):  # a JSON object, or a form's QueryDict
            raise serializers.ValidationError(
                {
                    "non_field_errors": [
                        gettext("Send a JSON object with the organization's fields.")
                    ]
                },
                code="invalid",
            )
        refuse_non_text(data, self.Meta.fields)
        country = data.get("country")
        if isinstance(country, str):
            data = {**data, "country": country.upper()}
        return super().to_internal_value(data)
