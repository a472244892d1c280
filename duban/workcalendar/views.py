from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from duban.accounts.decorators import office_required
from duban.core.pagination import paginate

from . import selectors, services
from .forms import CalendarOverrideForm, WorkingDayQueryForm
from .models import CalendarOverride


@office_required
def override_list(request):
    form = CalendarOverrideForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.calendar_override_save(by=request.user, override=form.instance)
        messages.success(request, _("已保存日历调整。"))
        return redirect("workcalendar:override_list")
    query = WorkingDayQueryForm(request.GET or None)
    answer = None
    if query.is_bound and query.is_valid():
        start, days = query.cleaned_data["start"], query.cleaned_data["days"]
        answer = selectors.add_working_days(start, days)
    return render(
        request,
        "workcalendar/override_list.html",
        {
            "form": form,
            "page_obj": paginate(request, selectors.calendar_override_list()),
            "query": query,
            "answer": answer,
        },
    )


@require_POST
@office_required
def override_delete(request, pk):
    services.calendar_override_delete(by=request.user, override=get_object_or_404(CalendarOverride, pk=pk))
    messages.success(request, _("已删除日历调整。"))
    return redirect("workcalendar:override_list")
