"""The one pagination of the API: ``page`` and ``page_size`` in, ``items/total/page/...`` out."""

import math
from typing import Any

from ninja.pagination import PaginationBase
from pydantic import BaseModel, Field

DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100
MAX_PAGE = 1_000_000


class PageNumberPagination(PaginationBase):
    # Plain pydantic models: both are built from dicts, and ninja's Schema would wrap each in an
    # attribute resolver on every request for nothing.
    class Input(BaseModel):
        page: int = Field(1, ge=1, le=MAX_PAGE)
        page_size: int = Field(DEFAULT_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE)

    class Output(BaseModel):
        items: list[Any]
        total: int
        page: int
        page_size: int
        pages: int

    items_attribute = "items"

    def paginate_queryset(self, queryset, pagination: Input, request, **params) -> dict[str, Any]:
        total = self._items_count(queryset)
        offset = (pagination.page - 1) * pagination.page_size
        items = list(queryset[offset : offset + pagination.page_size]) if offset < total else []
        return {
            "items": items,
            "total": total,
            "page": pagination.page,
            "page_size": pagination.page_size,
            "pages": math.ceil(total / pagination.page_size) if total else 0,
        }
