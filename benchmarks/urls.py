"""The site's URLs plus a bare view, served by the benchmarks' own gunicorn servers.

The bare view returns a fixed JSON body through the same middleware as every page, so
bench_api can compare the API's throughput with what Django itself costs on this machine.
"""

from django.http import HttpRequest, JsonResponse
from django.urls import path

from paks.urls import handler404
from paks.urls import urlpatterns as site_urlpatterns

BARE_BODY = {"count": 1, "next": None, "previous": None, "results": [{"slug": "fixed"}]}


def bare_json(request: HttpRequest) -> JsonResponse:
    return JsonResponse(BARE_BODY)


urlpatterns = [path("bench/bare/", bare_json, name="bench-bare"), *site_urlpatterns]
__all__ = ["handler404", "urlpatterns"]
