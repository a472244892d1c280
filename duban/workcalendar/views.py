"""The working calendar's overrides and a working-day calculator, for the office."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from duban.core.pagination import paginate
from duban.core.routes import Pages
from duban.core.rules import require
from duban.core.views import find, form_page

from . import selectors, services
from .forms import CalendarOverrideForm, WorkingDayQueryForm
from .rules import may_edit_calendar

pages = Pages()


@pages.route("")
@login_required
def override_list(request):
    require(may_edit_calendar, request.user)

    def save(form):
        services.calendar_override_create(by=request.user, **form.cleaned_data)
        messages.success(request, _("已保存日历调整。"))
        return redirect("workcalendar:override_list")

    query = WorkingDayQueryForm(request.GET if "start" in request.GET else None)
    answer = None
    if query.is_bound and query.is_valid():
        answer = selectors.add_working_days(query.cleaned_data["start"], query.cleaned_data["days"])
    overrides = paginate(request, selectors.calendar_override_list(user=request.user))
    form = CalendarOverrideForm(request.POST or None)
    context = {"page_obj": overrides, "query": query, "answer": answer}
    return form_page(request, form, save=save, template="workcalendar/override_list.html", **context)


@pages.route("<int:pk>/delete/")
@require_POST
@login_required
def override_delete(request, pk):
    override = find(request, selectors.calendar_override_list, pk)
    services.calendar_override_delete(by=request.user, override=override)
    messages.success(request, _("已删除日历调整。"))
    return redirect("workcalendar:override_list")
