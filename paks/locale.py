"""Which language a request is answered in.

Public pages, the workspace and the account pages carry their language in the address:
`/fr/cases/`, `/ar/events/`; English has no prefix (`/cases/`) and is what an address without
one always shows, whatever the browser asks for, so that an address means one page. The API
and the admin have no language in their addresses: they answer in the client's
`Accept-Language` and say that the answer varies with it.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, HttpResponseBase, HttpResponsePermanentRedirect
from django.middleware import locale
from django.utils import translation
from django.utils.cache import patch_vary_headers

# The addresses outside `i18n_patterns` whose answers hold words for people.
NEGOTIATED = ("/api/", "/admin/")


def negotiated(request: HttpRequest) -> bool:
    return request.path_info.startswith(NEGOTIATED)


class LocaleMiddleware(locale.LocaleMiddleware):
    def process_request(self, request: HttpRequest) -> None:
        if not negotiated(request):
            super().process_request(request)
            return
        translation.activate(translation.get_language_from_request(request))
        request.LANGUAGE_CODE = translation.get_language()

    def process_response(
        self, request: HttpRequest, response: HttpResponseBase
    ) -> HttpResponseBase:
        # Not Django's: a page's address alone says its language (an address without a prefix
        # is English for everybody), so only the negotiated answers vary with Accept-Language.
        if negotiated(request):
            patch_vary_headers(response, ("Accept-Language",))
        response.headers.setdefault("Content-Language", translation.get_language())
        return response


def english_without_prefix(request: HttpRequest, rest: str) -> HttpResponse:
    """`/en/cases/` → `/cases/`: English pages have no prefix, and one address each."""
    # Never `//host` or `/\\host`, which browsers read as another site.
    path = "/" + rest.lstrip("/\\")
    query = request.META.get("QUERY_STRING", "")
    return HttpResponsePermanentRedirect(path + (f"?{query}" if query else ""))
