"""The home page: one screen that says what is red, in the user's own scope.

The cockpit sits above the capabilities: it reads each of them through their selectors, so that the
platform apps below (core, accounts, organisation, …) know none of them.
"""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from duban.accounts.scope import is_office
from duban.core.routes import Pages
from duban.directives import selectors as directives
from duban.weekly import selectors as weekly

pages = Pages()

RED_LIST_LENGTH = 10


@pages.route("")
@login_required
def home(request):
    user = request.user
    open_directives = directives.open_directive_list(user=user)
    cycle = weekly.current_cycle()
    context = {
        "counts": directives.light_counts(open_directives),
        "red_list": directives.with_light_reasons(directives.red_list(open_directives)[:RED_LIST_LENGTH]),
        "waiting": directives.my_work(user=user)[:RED_LIST_LENGTH],
        "cycle": cycle,
        "cycle_counts": weekly.report_counts(cycle=cycle) if cycle and is_office(user) else None,
        "my_report": weekly.my_report(user=user) if user.unit_id and not is_office(user) else None,
        "leader": getattr(user, "leader", None) if user.role == "leader" else None,
    }
    return render(request, "cockpit/home.html", context)
