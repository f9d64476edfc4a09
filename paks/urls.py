from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path, re_path
from django.utils.translation import gettext_lazy as _
from django.views.generic import RedirectView

from paks import feeds, health, locale, sitemaps, views

handler404 = "paks.views.page_not_found"

admin.site.site_header = _("PAKS administration")
admin.site.site_title = _("PAKS admin")
admin.site.index_title = _("Curate the knowledge space")

urlpatterns = [
    path("admin/", admin.site.urls),
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("robots.txt", views.robots_txt, name="robots"),
    path("sitemap.xml", sitemaps.index, name="sitemap"),
    path("sitemap-<slug:section>.xml", sitemaps.section, name="sitemap-section"),
    path("api/v1/", include("paks.api.urls")),
    # English pages have no prefix; an address written with one leads to them.
    re_path(r"^en/(?P<rest>.*)$", locale.english_without_prefix),
]

# Everything people read, in the language its address names: /fr/cases/ (English: /cases/).
urlpatterns += i18n_patterns(
    path("feeds/cases.rss", feeds.LatestCasesFeed(), name="feed-cases-rss"),
    path("feeds/cases.atom", feeds.LatestCasesAtomFeed(), name="feed-cases-atom"),
    path("feeds/events.rss", feeds.EventsFeed(), name="feed-events-rss"),
    path("feeds/events.atom", feeds.EventsAtomFeed(), name="feed-events-atom"),
    # Invitation links e-mailed before the page moved to the workspace.
    path(
        "account/invitation/<str:key>/",
        RedirectView.as_view(pattern_name="workspace:accept-invitation"),
    ),
    path("account/", include("accounts.urls")),
    path("workspace/", include("workspace.urls")),
    path("events/", include("paks.event_urls")),
    path("", include("paks.country_urls")),
    path("", include("paks.insight_urls")),
    path("", include("paks.opendata_urls")),
    path("", include("paks.public_urls")),
    prefix_default_language=False,
)
