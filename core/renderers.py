"""CSV for the bulk exports of the case and event lists (`?format=csv` or `Accept: text/csv`)."""

import csv
import io
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any

from django.http import HttpResponseBase
from django.utils.translation import gettext
from rest_framework.exceptions import ValidationError
from rest_framework.renderers import BaseRenderer
from rest_framework.request import Request

from core.csvexport import csv_cell, streaming_csv


class CSVRenderer(BaseRenderer):
    """Lists stream their own CSV (see CSVExportMixin); errors are answered in JSON.

    This renders what is left: a list of flat objects, or one object, as rows.
    """

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(
        self,
        data: Any,
        accepted_media_type: str | None = None,
        renderer_context: Mapping[str, Any] | None = None,
    ) -> bytes:
        if data is None:
            return b""
        rows = data if isinstance(data, list) else [data]
        header = sorted({key for row in rows if isinstance(row, dict) for key in row})
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(header)
        for row in rows:
            if isinstance(row, dict):
                writer.writerow([csv_cell(row.get(key)) for key in header])
        return out.getvalue().encode()


if TYPE_CHECKING:
    from rest_framework.viewsets import GenericViewSet

    _ViewSet = GenericViewSet[Any]
else:
    _ViewSet = object  # a mixin: the view set it is mixed into comes after it


class CSVExportMixin(_ViewSet):
    """Offers the list action as CSV too: every matching row, unpaged, streamed."""

    csv_filename: str

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        # DRF takes a blank `?format=` for none given; the list offers two, so say which.
        if any(not value.strip() for value in request.query_params.getlist("format")):
            # Translators: csv and json are the values of the format parameter; keep them.
            raise ValidationError({"format": [gettext("Give csv or json, or leave it out.")]})
        super().initial(request, *args, **kwargs)

    def get_renderers(self) -> list[BaseRenderer]:
        renderers = super().get_renderers()
        # No action: a method the list does not offer, answered 405 in the format asked for.
        if self.action in ("list", None):
            renderers.append(CSVRenderer())
        return renderers

    @staticmethod
    def wants_csv(request: Request) -> bool:
        renderer = getattr(request, "accepted_renderer", None)
        return isinstance(renderer, CSVRenderer)

    def csv_response(
        self,
        columns: list[tuple[str, Callable[[Any], Any]]],
        objects: Iterable[Any],
    ) -> HttpResponseBase:
        header = [name for name, _ in columns]
        rows = ([value(obj) for _, value in columns] for obj in objects)
        return streaming_csv(header, rows, filename=self.csv_filename)
