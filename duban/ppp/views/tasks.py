"""Rectification tasks: the list, the task's page where its owner unit reports, and the managers' (or,
for a task that is a directive, the office's) decisions on it."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from duban.core.forms import service_errors_into
from duban.core.views import list_page

from .. import selectors, services
from ..filters import TaskFilterSet
from ..forms import TaskRescheduleForm, TaskSubmitForm
from .common import done, valid


@login_required
def task_list(request):
    tasks = selectors.task_list(user=request.user, filters=request.GET)
    return list_page(request, "ppp/task_list.html", tasks, filterset_class=TaskFilterSet)


def _task_of(request, pk):
    return get_object_or_404(selectors.task_list(user=request.user), pk=pk)


@login_required
def task_detail(request, pk):
    """The task's page; its owner unit reports the rectification here."""
    task = _task_of(request, pk)
    initial = {"expected_version": task.version, "response": task.response}
    form = TaskSubmitForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        with service_errors_into(form):
            services.task_submit(task=task, by=request.user, **form.cleaned_data)
            return done(request, _("已报送整改情况。"), "ppp:task_detail", pk=pk)
    reschedule_form = TaskRescheduleForm(
        initial={"expected_version": task.version, "deadline": task.deadline}
    )
    return render(
        request, "ppp/task_detail.html", {"task": task, "form": form, "reschedule_form": reschedule_form}
    )


@require_POST
@login_required
def task_accept(request, pk):
    services.task_accept(task=_task_of(request, pk), by=request.user)
    return done(request, _("已销号。"), "ppp:task_detail", pk=pk)


@require_POST
@login_required
def task_return(request, pk):
    services.task_return(task=_task_of(request, pk), by=request.user, reason=request.POST.get("reason", ""))
    return done(request, _("已退回。"), "ppp:task_detail", pk=pk)


@require_POST
@login_required
def task_cancel(request, pk):
    services.task_cancel(task=_task_of(request, pk), by=request.user, reason=request.POST.get("reason", ""))
    return done(request, _("已撤销整改任务。"), "ppp:task_detail", pk=pk)


@require_POST
@login_required
def task_reschedule(request, pk):
    task = _task_of(request, pk)
    services.task_reschedule(task=task, by=request.user, **valid(TaskRescheduleForm(request.POST)))
    return done(request, _("已调整整改期限。"), "ppp:task_detail", pk=pk)


@require_POST
@login_required
def task_link(request, pk):
    services.task_link(task=_task_of(request, pk), by=request.user)
    return done(request, _("已转为督办事项并交办责任单位。"), "ppp:task_detail", pk=pk)
