"""The knowledge space's public pages, in the "paks" namespace."""

from django.urls import path

from paks import views
from paks.documents.urls import urlpatterns as document_urlpatterns

app_name = "paks"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("cases/", views.case_list, name="case-list"),
    path("cases/<slug:slug>/", views.CaseDetailView.as_view(), name="case-detail"),
    path("themes/", views.ThemeListView.as_view(), name="theme-list"),
    path("themes/<slug:slug>/", views.ThemeDetailView.as_view(), name="theme-detail"),
    path("sdgs/", views.SDGListView.as_view(), name="sdg-list"),
    path("sdgs/<int:number>/", views.SDGDetailView.as_view(), name="sdg-detail"),
    path("about/", views.AboutView.as_view(), name="about"),
    *document_urlpatterns,
]
