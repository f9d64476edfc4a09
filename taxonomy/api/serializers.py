from rest_framework import serializers

from taxonomy.models import SDG, Theme


class ThemeSerializer(serializers.HyperlinkedModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api-v1:theme-detail", lookup_field="slug")

    class Meta:
        model = Theme
        fields = ["url", "slug", "name", "description", "updated_at"]


class SDGSerializer(serializers.HyperlinkedModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api-v1:sdg-detail", lookup_field="number")

    class Meta:
        model = SDG
        fields = ["url", "number", "short_title", "title", "colour", "updated_at"]
