"""Rectification tasks: the list, the task's page where its owner unit reports, and the managers' (or,
for a task that is a directive, the office's) decisions on it."""

from __future__ import annotations

from functools import partial

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from duban.core.forms import service_errors_into
from duban.core.rules import rule_required
from duban.core.views import ListPage, button, done, find, form_of

from .. import rules, selectors, services
from ..filters import TaskFilterSet
from ..forms import TaskRescheduleForm, TaskSubmitForm
from .common import pages, reason

pages.list(
    "tasks/",
    ListPage(selectors.task_list, "ppp/task_list.html", filterset_class=TaskFilterSet),
    name="task_list",
)


@pages.route("tasks/<int:pk>/")
@login_required
def task_detail(request, pk):
    """The task's page; its owner unit reports the rectification here."""
    task = find(request, selectors.task_list, pk)
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


# A button on the task's page: a step of the task's life cycle.
_step = partial(button, select=selectors.task_list, name="task", page="ppp:task_detail")


task_accept = pages.route("tasks/<int:pk>/accept/", name="task_accept")(
    _step(services.task_accept, gettext_lazy("已销号。"))
)
task_return = pages.route("tasks/<int:pk>/return/", name="task_return")(
    _step(services.task_return, gettext_lazy("已退回。"), read=reason)
)
task_cancel = pages.route("tasks/<int:pk>/cancel/", name="task_cancel")(
    _step(services.task_cancel, gettext_lazy("已撤销整改任务。"), read=reason)
)
task_link = pages.route("tasks/<int:pk>/link/", name="task_link")(
    _step(services.task_link, gettext_lazy("已转为督办事项并交办责任单位。"))
)
task_reschedule = pages.route("tasks/<int:pk>/reschedule/", name="task_reschedule")(
    _step(services.task_reschedule, gettext_lazy("已调整整改期限。"), read=form_of(TaskRescheduleForm))
)


@pages.route("tasks/link-all/", name="tasks_link")
@require_POST
@rule_required(rules.is_office_user)
def tasks_link(request):
    """The office's one click for its whole queue: every task no directive carries yet becomes one."""
    count = services.tasks_link(by=request.user)
    return done(request, _("已将 %(n)s 项整改任务转为督办事项并交办。") % {"n": count}, "ppp:task_list")
