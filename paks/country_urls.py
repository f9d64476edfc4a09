from django.urls import path

from paks import country_views as views

app_name = "countries"

urlpatterns = [
    path("countries/", views.CountryListView.as_view(), name="list"),
    path("countries/compare/", views.CompareView.as_view(), name="compare"),
    path("countries/<str:iso3>/", views.CountryDetailView.as_view(), name="detail"),
    path("organizations/", views.OrganizationListView.as_view(), name="organization-list"),
    path(
        "organizations/<slug:slug>/",
        views.OrganizationDetailView.as_view(),
        name="organization-detail",
    ),
]
