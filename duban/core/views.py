"""The home page: one screen that says what is red, in the user's own scope."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from duban.accounts.scope import is_office
from duban.directives.models import ACTIVE_STATES, Light
from duban.directives.selectors import directive_list, light_counts, my_work
from duban.weekly.selectors import current_cycle, my_report, report_counts

RED_LIST_LENGTH = 10


@login_required
def home(request):
    user = request.user
    open_directives = directive_list(user=user).filter(state__in=ACTIVE_STATES)
    cycle = current_cycle()
    context = {
        "counts": light_counts(open_directives),
        "red_list": open_directives.filter(light=Light.RED).order_by("deadline", "pk")[:RED_LIST_LENGTH],
        "waiting": my_work(user=user)[:RED_LIST_LENGTH],
        "cycle": cycle,
        "cycle_counts": report_counts(cycle=cycle) if cycle and is_office(user) else None,
        "my_report": my_report(user=user) if user.unit_id and not is_office(user) else None,
        "leader": getattr(user, "leader", None) if user.role == "leader" else None,
    }
    return render(request, "core/home.html", context)
