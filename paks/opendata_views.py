"""The open data pages: the catalogue of tables, their downloads, the data package and the
DCAT-AP catalogue."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.views.decorators.http import require_safe
from django.views.generic import TemplateView

from paks import opendata


class OpenDataView(TemplateView):
    template_name = "paks/opendata.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["tables"] = [make(self.request) for make in opendata.TABLES.values()]
        context["licence"] = opendata.LICENCE
        context["sources"] = [opendata.SURVEY_SOURCE, opendata.M49_SOURCE]
        return context


@require_safe
def table(request: HttpRequest, name: str, suffix: str) -> StreamingHttpResponse:
    make = opendata.TABLES.get(name)
    if make is None or suffix not in ("csv", "json"):
        raise Http404("There is no such table.")
    return opendata.download(request, make(request), suffix)


@require_safe
def datapackage(request: HttpRequest) -> HttpResponse:
    return HttpResponse(
        opendata.dumps(opendata.datapackage(request)), content_type="application/json"
    )


@require_safe
def catalogue(request: HttpRequest) -> HttpResponse:
    return HttpResponse(
        opendata.dumps(opendata.catalogue(request)), content_type="application/ld+json"
    )
