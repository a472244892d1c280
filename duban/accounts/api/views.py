from rest_framework import viewsets

from .. import selectors
from ..filters import UserFilterSet
from .serializers import UserSerializer


class UserViewSet(viewsets.ReadOnlyModelViewSet):
    """Users, narrowed to the caller's scope. Accounts are managed on the office's pages."""

    serializer_class = UserSerializer
    filterset_class = UserFilterSet

    def get_queryset(self):
        return selectors.user_list(user=self.request.user)
