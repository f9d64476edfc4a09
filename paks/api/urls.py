"""API v1, mounted at /api/v1/ in the "api-v1" namespace."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from countries.api.views import CountryViewSet, OrganizationViewSet
from events.api.views import EventViewSet
from paks.api import contributions, sync, translations, views
from paks.api.tokens import TokenViewSet
from paks.webhooks.api import WebhookViewSet
from taxonomy.api.views import SDGViewSet, ThemeViewSet

app_name = "api-v1"

router = DefaultRouter()
router.register("cases", views.CaseViewSet, basename="case")
router.register(
    r"cases/(?P<case_slug>[^/.]+)/translations",
    translations.CaseTranslationViewSet,
    basename="case-translation",
)
router.register("workspace/cases", views.WorkspaceCaseViewSet, basename="workspace-case")
router.register("documents", views.DocumentViewSet, basename="document")
router.register("events", EventViewSet, basename="event")
router.register(
    r"events/(?P<event_slug>[^/.]+)/contributions",
    contributions.ContributionViewSet,
    basename="event-contribution",
)
router.register("countries", CountryViewSet, basename="country")
router.register("organizations", OrganizationViewSet, basename="organization")
router.register("themes", ThemeViewSet, basename="theme")
router.register("sdgs", SDGViewSet, basename="sdg")
router.register("tokens", TokenViewSet, basename="token")
router.register("webhooks", WebhookViewSet, basename="webhook")
router.register("deleted", sync.TombstoneViewSet, basename="deleted")

urlpatterns = [
    path("", include(router.urls)),
    path("schema/", SpectacularAPIView.as_view(api_version="v1"), name="schema"),
    # The split view serves its start-up script as a file: no inline script for the CSP.
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api-v1:schema"), name="docs"),
]
