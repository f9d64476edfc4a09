from django.urls import path

from paks import insight_views as views
from paks.map_views import MapView

app_name = "insight"

urlpatterns = [
    path("statistics/", views.StatisticsView.as_view(), name="statistics"),
    path("map/", MapView.as_view(), name="map"),
]
