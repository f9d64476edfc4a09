"""Serving stored documents with headers that keep browsers from running what they download."""

from django.db.models import F
from django.http import FileResponse, Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_safe

from countries.models import countries_of
from paks.models import Document

# Shown in the browser only where that is safe; everything else is saved to disk.
INLINE_TYPES = {"application/pdf", "image/png", "image/jpeg", "image/webp", "image/gif"}


def _visible(document: Document, request: HttpRequest) -> bool:
    if Document.objects.public().filter(pk=document.pk).exists():
        return True
    user = request.user
    if getattr(user, "is_editor", False):
        return True
    # A draft's files: only its country's focal points besides editors.
    return (
        bool(document.case_id) and countries_of(user).filter(pk=document.case.country_id).exists()
    )


@require_safe
def download(request: HttpRequest, pk: int) -> FileResponse:
    document = get_object_or_404(Document.objects.select_related("case"), pk=pk)
    if not document.file or not _visible(document, request):
        raise Http404("No such document.")
    is_public = Document.objects.public().filter(pk=pk).exists()
    if request.method == "GET":
        # Counted without storing who downloaded it.
        Document.objects.filter(pk=pk).update(download_count=F("download_count") + 1)
    response = FileResponse(
        document.file.open("rb"),
        as_attachment=document.media_type not in INLINE_TYPES,
        filename=document.original_filename or document.file.name.rsplit("/", 1)[-1],
        content_type=document.media_type or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "public, max-age=3600" if is_public else "private, no-store"
    if document.sha256:
        response["ETag"] = f'"{document.sha256}"'
    return response
