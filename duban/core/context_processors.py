"""What every page needs to draw the navigation for the user's role."""

from django.conf import settings


def navigation(request):
    user = getattr(request, "user", None)
    return {
        "duban_city_name": settings.DUBAN_CITY_NAME,
        "duban_office_name": settings.DUBAN_OFFICE_NAME,
        "nav_sees_everything": bool(user and user.is_authenticated and user.sees_everything),
        "nav_role": getattr(user, "role", None) if user and user.is_authenticated else None,
    }
