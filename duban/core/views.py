from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from duban.accounts.selectors import user_list
from duban.organisation.selectors import unit_list


@login_required
def home(request):
    user = request.user
    context = {
        "unit_count": unit_list(user=user).count(),
        "user_count": user_list(user=user).count(),
        "leader": getattr(user, "leader", None) if user.role == "leader" else None,
    }
    return render(request, "core/home.html", context)
