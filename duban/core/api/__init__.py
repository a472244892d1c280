"""Shared pieces of the REST API: pagination, the scope permission, and the one exception handler."""

from .pagination import StandardPagination
from .permissions import ScopedObjectPermission

__all__ = ["ScopedObjectPermission", "StandardPagination"]
