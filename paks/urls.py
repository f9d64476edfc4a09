from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path

from paks import feeds, views
from paks.sitemaps import SITEMAPS

handler404 = "paks.views.page_not_found"

admin.site.site_header = "PAKS administration"
admin.site.site_title = "PAKS admin"
admin.site.index_title = "Curate the knowledge space"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("healthz", views.healthz, name="healthz"),
    path("robots.txt", views.robots_txt, name="robots"),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("feeds/cases.rss", feeds.LatestCasesFeed(), name="feed-cases-rss"),
    path("feeds/cases.atom", feeds.LatestCasesAtomFeed(), name="feed-cases-atom"),
    path("feeds/events.rss", feeds.EventsFeed(), name="feed-events-rss"),
    path("feeds/events.atom", feeds.EventsAtomFeed(), name="feed-events-atom"),
    path("api/v1/", include("paks.api.urls")),
    path("account/", include("accounts.urls")),
    path("workspace/", include("workspace.urls")),
    path("events/", include("events.urls")),
    path("", include("countries.urls")),
    path("", include("paks.public_urls")),
]
