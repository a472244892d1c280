"""Shared pieces of the REST API: pagination, the permissions (scope, a rule, a rule per action), the
viewsets' shared shapes (`views`), and the one exception handler."""

from .pagination import StandardPagination
from .permissions import ActionRules, ScopedObjectPermission, allowed_by

__all__ = ["ActionRules", "ScopedObjectPermission", "StandardPagination", "allowed_by"]
