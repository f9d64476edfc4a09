from typing import Any

from django.utils.translation import gettext
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request
from rest_framework.views import APIView


class StandardPagination(PageNumberPagination):
    """`count`, `next`, `previous`, `results`; `?page=` and `?page_size=` (at most 100)."""

    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100

    def get_page_size(self, request: Request) -> int:
        """A malformed page size is the client's error (400), not silently the default."""
        values = request.query_params.getlist(self.page_size_query_param)
        if not values:
            return self.page_size
        if len(values) > 1 or not values[0].isdigit() or not 1 <= int(values[0]) <= 100:
            raise ValidationError(
                {self.page_size_query_param: [gettext("Give one whole number from 1 to 100.")]},
                code="invalid",
            )
        return int(values[0])

    def get_page_number(self, request: Request, paginator: Any) -> Any:
        """A malformed page (`?page=`, `?page=two`) is the client's error too."""
        values = request.query_params.getlist(self.page_query_param)
        if not values or values == ["last"]:  # "last": DRF's name for the last page
            return super().get_page_number(request, paginator)
        if len(values) > 1 or not values[0].isdigit() or int(values[0]) < 1:
            raise ValidationError(
                {self.page_query_param: [gettext("Give one whole number from 1.")]}, code="invalid"
            )
        return super().get_page_number(request, paginator)

    def get_schema_operation_parameters(self, view: APIView) -> list[dict[str, Any]]:
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_query_param:
                parameter["schema"]["minimum"] = 1
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"].update(minimum=1, maximum=self.max_page_size)
        return parameters
