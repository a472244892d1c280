from rest_framework import viewsets

from duban.core.api.views import SelectorViewSetMixin

from .. import selectors
from ..filters import UserFilterSet
from .serializers import UserSerializer


class UserViewSet(SelectorViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """Users, narrowed to the caller's scope. Accounts are managed on the office's pages."""

    serializer_class = UserSerializer
    filterset_class = UserFilterSet
    select = selectors.user_list
