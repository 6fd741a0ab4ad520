from rest_framework.pagination import CursorPagination


class IdCursorPagination(CursorPagination):
    """Keyset pagination by id: stable under inserts and no OFFSET scans on deep pages."""

    ordering = "id"
    page_size = 50
