"""The home page: each role's own work, in the user's own scope.

The office, leaders and liaisons see the lights of their directives, the red list and what waits for them;
the office and a rectification task's unit also see the PPP tasks no directive carries yet. A finance
reviewer sees the finance bureau's work instead: projects awaiting 财政审核, the open batches, the review
campaign and the overdue rectification tasks.

The cockpit (领导驾驶舱) is the office's and the leaders' one screen: the cards every capability declares
(each opens the list it counts), the charts, and the meeting-room screen (大屏), which refreshes itself.

The cockpit sits above the capabilities: it reads each of them through their selectors (each capability
renders its own panel, `<app>/_home_*.html`), so that the platform apps below (core, accounts,
organisation, …) know none of them.
"""

from django.contrib.auth.decorators import login_required
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from duban.accounts.roles import Role
from duban.accounts.scope import is_office
from duban.assessment import selectors as assessment
from duban.bonds import selectors as bonds
from duban.core.routes import Pages
from duban.core.rules import rule_required
from duban.directives import selectors as directives
from duban.ppp import selectors as ppp
from duban.weekly import selectors as weekly

from . import charts, rules
from . import selectors as cockpit

pages = Pages()

RED_LIST_LENGTH = 10
PANEL_LENGTH = 8


def _first(rows, length=PANEL_LENGTH) -> tuple[list, int]:
    """The first rows of a list and how many there are in all (one query when they all fit)."""
    shown = list(rows[: length + 1])
    if len(shown) <= length:
        return shown, len(shown)
    return shown[:length], rows.count()


def _finance_work(user) -> dict:
    """The finance reviewer's home: what waits for the finance bureau in bonds and PPP."""
    reviews, review_count = _first(bonds.finance_review_list(user=user))
    overdue, overdue_count = _first(ppp.overdue_task_list(user=user))
    return {
        "finance_reviews": reviews,
        "finance_review_count": review_count,
        "open_batches": list(bonds.open_batch_rows(user=user, on=timezone.localdate())[:PANEL_LENGTH]),
        "campaigns": ppp.campaigns_under_way(user=user),
        "overdue_tasks": overdue,
        "overdue_task_count": overdue_count,
    }


def _directive_work(user) -> dict:
    open_directives = directives.open_directive_list(user=user)
    cycle = weekly.current_cycle()
    # Rectification tasks no directive carries yet: the office's queue, and a unit's own tasks.
    if is_office(user) or user.role == Role.LIAISON:
        awaiting, awaiting_count = _first(ppp.tasks_awaiting_directive(user=user))
    else:
        awaiting, awaiting_count = [], 0
    return {
        "counts": directives.light_counts(open_directives),
        "red_list": directives.with_light_reasons(directives.red_list(open_directives)[:RED_LIST_LENGTH]),
        "waiting": directives.my_work(user=user)[:RED_LIST_LENGTH],
        "cycle": cycle,
        "cycle_counts": weekly.report_counts(cycle=cycle) if cycle and is_office(user) else None,
        "my_report": weekly.my_report(user=user) if user.unit_id and not is_office(user) else None,
        "leader": getattr(user, "leader", None) if user.role == Role.LEADER else None,
        "awaiting_directive": awaiting,
        "awaiting_directive_count": awaiting_count,
        # 单位领导审核: what the unit's head is asked to approve.
        "head_reports": list(weekly.reports_awaiting_head(user=user)[:PANEL_LENGTH]),
        "head_completions": list(directives.awaiting_head(user=user)[:PANEL_LENGTH]),
        # 明争: the latest public ranking, the unit's own line first.
        "ranking": assessment.home_ranking(user=user),
    }


@pages.route("")
@login_required
def home(request):
    user = request.user
    if user.role == Role.SECURITY:  # no business data in this lane: the accounts are the work
        return redirect("accounts:security_account_list")
    if user.role == Role.FINANCE:
        return render(request, "cockpit/home.html", {"finance": True, **_finance_work(user)})
    return render(request, "cockpit/home.html", _directive_work(user))


def _cockpit_context(user) -> dict:
    return {
        "cards": cockpit.cockpit_cards(user=user),
        "red_list": cockpit.red_list(user=user),
        "leader": getattr(user, "leader", None) if user.role == Role.LEADER else None,
        "now": timezone.localtime(),
    }


@pages.route("cockpit/", name="cockpit")
@rule_required(rules.may_open_cockpit)
def cockpit_page(request):
    return render(request, "cockpit/cockpit.html", _cockpit_context(request.user))


@pages.route("cockpit/screen/")
@rule_required(rules.may_open_cockpit)
def screen(request):
    """The meeting-room screen (大屏): no navigation, large type; its panel refreshes itself."""
    return render(request, "cockpit/screen.html", _cockpit_context(request.user))


@pages.route("cockpit/screen/panel/")
@rule_required(rules.may_open_cockpit)
def screen_panel(request):
    """The screen's panel alone: what its polling swaps in."""
    return render(request, "cockpit/_screen_panel.html", _cockpit_context(request.user))


@pages.route("cockpit/charts/<slug:name>.json", name="chart")
@rule_required(rules.may_open_cockpit)
def chart(request, name):
    """One chart's figures, in the user's scope, each element with the lists it counts (`charts.py`)."""
    if name not in charts.CHARTS:
        raise Http404(name)
    return JsonResponse(charts.chart(name, user=request.user), json_dumps_params={"ensure_ascii": False})
