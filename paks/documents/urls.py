"""Document routes, included in the public "paks" namespace by paks/public_urls.py."""

from django.urls import path

from paks.documents import views

urlpatterns = [
    path("documents/<int:pk>/download/", views.download, name="document-download"),
    path("documents/<int:pk>/thumbnail/", views.thumbnail, name="document-thumbnail"),
]
