"""View guards for pages that only the supervision office (and administrators) may open."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied

from .scope import is_office


def office_required(view):
    @wraps(view)
    @login_required
    def wrapper(request, *args, **kwargs):
        if not is_office(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper
