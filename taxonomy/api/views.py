from rest_framework import viewsets

from core.sync import ChangesList
from taxonomy.api.serializers import SDGSerializer, ThemeSerializer
from taxonomy.models import SDG, Theme


class ThemeViewSet(ChangesList, viewsets.ReadOnlyModelViewSet):
    lookup_field = "slug"
    serializer_class = ThemeSerializer
    queryset = Theme.objects.order_by("name")


class SDGViewSet(ChangesList, viewsets.ReadOnlyModelViewSet):
    lookup_field = "number"
    lookup_value_regex = "[0-9]{1,2}"
    serializer_class = SDGSerializer
    queryset = SDG.objects.order_by("number")
