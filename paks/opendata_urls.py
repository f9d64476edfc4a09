from django.urls import path

from paks import opendata_views as views

app_name = "opendata"

urlpatterns = [
    path("data/", views.OpenDataView.as_view(), name="index"),
    path("data/datapackage.json", views.datapackage, name="datapackage"),
    path("data/catalog.jsonld", views.catalogue, name="catalogue"),
    path("data/<slug:name>.<str:suffix>", views.table, name="table"),
]
