"""Shared pieces of the REST API: pagination, the scope permission, and the one exception handler."""

from .pagination import StandardPagination
from .permissions import ScopedObjectPermission, allowed_by

__all__ = ["ScopedObjectPermission", "StandardPagination", "allowed_by"]
