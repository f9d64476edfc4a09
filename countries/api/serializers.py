from rest_framework import serializers

from countries.models import Country, EGovScore, Organization


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

    class Meta:
        model = Country
        fields = [
            "url",
            "iso3",
            "iso2",
            "m49",
            "name",
            "region_name",
            "subregion_name",
            "intermediate_region_name",
            "is_ldc",
            "is_lldc",
            "is_sids",
            "groups",
        ]


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

    class Meta:
        model = Organization
        fields = ["url", "slug", "name", "acronym", "kind", "country", "parent", "website"]
