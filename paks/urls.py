from django.contrib import admin
from django.urls import include, path

from paks import views

admin.site.site_header = "PAKS administration"
admin.site.site_title = "PAKS admin"
admin.site.index_title = "Curate the knowledge space"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("healthz", views.healthz, name="healthz"),
    path("events/", include("events.urls")),
    path("", include("countries.urls")),
    path("", include("paks.public_urls")),
]
