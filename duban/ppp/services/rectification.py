"""Rectification tasks (整改任务) and the directives that carry them: one service per step of
`workflow.TASKS`, each locking the task, checking the table, moving and writing the project's timeline
event in one transaction.

Every task is carried by a directive (督办事项) assigned to its owner unit, so it gets the lights,
reminders and weekly reporting of every directive. Directives are issued, closed and cancelled by the
supervision office only, so a task the finance reviewers create lands in the office's queue of tasks
awaiting a directive: the office is notified at once (and the owner unit, which can report on the task
before it is a directive), the office's home page and the task's page say how long it has waited, and
one click ("转为督办事项", or `duban ppp link-rectification` for all) issues the directive assigned by
rule. Once linked the office decides on it. Directives are reached only through their app's selectors,
services and rules; their refusals travel as they are.
"""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from duban.accounts.scope import programme_theme
from duban.core.concurrency import versioned_update
from duban.core.rules import require
from duban.directives import rules as directive_rules
from duban.directives import selectors as directive_selectors
from duban.directives import services as directive_services
from duban.notifications.models import NotificationKind
from duban.notifications.services import notify, recipients_for_office, recipients_for_unit
from duban.organisation.models import Theme

from .. import rules, selectors
from ..models import ContractReview, Finding, RectificationTask
from ..workflow import TASKS
from .classification import project_reclassify
from .common import invalid, locked, project_event, require_reason, saved, step_with_reason, today
from .reviews import require_under_review

# The programme's theme is declared once, in settings.DUBAN_PROGRAMME_THEMES (its leaders read PPP).
PPP_THEME_CODE = programme_theme("ppp")


def ppp_theme() -> Theme:
    theme, _created = Theme.objects.get_or_create(
        code=programme_theme("ppp"),
        defaults={"name": _("PPP项目"), "keywords": ["PPP", "政府和社会资本合作"]},
    )
    return theme


def task_url(task: RectificationTask) -> str:
    return reverse("ppp:task_detail", args=[task.pk])


def _source_note(task: RectificationTask) -> str:
    """The campaign and the way back to the task, within the directive's 200 characters (the link whole)."""
    campaign, link = task.review.campaign.name, task_url(task)
    note = _("%(campaign)s · 整改任务 %(link)s") % {"campaign": campaign, "link": link}
    if len(note) > 200:
        note = _("%(campaign)s · 整改任务 %(link)s") % {"campaign": campaign[: 200 - len(note)], "link": link}
    return note[:200]


def _directive_fields(task: RectificationTask) -> dict:
    theme = ppp_theme()
    title = _("PPP项目整改：%(project)s — %(title)s") % {"project": task.project.name, "title": task.title}
    content = task.requirement
    if task.finding_id:
        finding = _("审查发现：%(text)s") % {"text": task.finding.description}
        content = "\n\n".join(part for part in (task.requirement, finding) if part)
    serious = task.finding_id and task.finding.severity != Finding.Severity.MINOR
    return {
        "title": title[:200],
        "content": content,
        "source_note": _source_note(task),
        "theme": theme,
        "lead_unit": task.owner_unit,
        "responsible_leader": selectors.responsible_leader_for(task.owner_unit, theme),
        "deadline": task.deadline,
        "priority": "important" if serious else "normal",
    }


def _record(task: RectificationTask, name: str, *, by, text: str, from_state: str = "") -> None:
    """The timeline event of a step taken without `TASKS.move` (the edits through versioned_update)."""
    TASKS.record(task, TASKS[name], by=by, note="", from_state=from_state or task.state, text=text)


@transaction.atomic
def task_link(*, task: RectificationTask, by) -> RectificationTask:
    """Create and assign the directive carrying an open task (idempotent: a linked or finished task is
    left alone)."""
    require(rules.is_office_user, by, task)
    current = locked(task)
    if current.directive_id or current.state in RectificationTask.FINISHED:
        return current
    TASKS.check(by, current, "link")
    current.directive = directive_services.directive_create_from(
        by=by, source="key_work", assign=True, **_directive_fields(current)
    )
    text = _("整改任务转为督办事项：%(title)s") % {"title": current.title}
    return TASKS.move(current, "link", by=by, text=text)


def tasks_link(*, by) -> int:
    """Link every open task without a directive; returns how many were linked."""
    require(rules.is_office_user, by)
    tasks = list(selectors.unlinked_tasks())
    for task in tasks:
        task_link(task=task, by=by)
    return len(tasks)


@transaction.atomic
def task_create(
    *, review: ContractReview, by, owner_unit, title: str, deadline: date, requirement: str = "", finding=None
) -> RectificationTask:
    """Call for a rectification; the office's task is a directive at once, the finance reviewers' waits."""
    require_under_review(review, by)
    if finding is not None and finding.review_id != review.pk:
        raise invalid("finding", _("该问题不属于本次审查。"))
    task = saved(
        RectificationTask(
            review=review,
            project=review.project,
            finding=finding,
            owner_unit=owner_unit,
            title=title,
            requirement=requirement,
            deadline=deadline,
        )
    )
    if review.state == ContractReview.State.RATED:
        review.state = ContractReview.State.RECTIFYING
        review.save(update_fields=["state"])
    text = _("下达整改任务：%(title)s（%(unit)s，%(deadline)s 前）") % {
        "title": title,
        "unit": owner_unit,
        "deadline": deadline,
    }
    project_event(review.project, by=by, kind="task", text=text)
    if rules.is_office_user.test(by):
        task = task_link(task=task, by=by)
    else:
        _tell_office_and_unit(task, by=by)
    project_reclassify(project=review.project)
    return task


def _tell_office_and_unit(task: RectificationTask, *, by) -> None:
    """A finance reviewer's task is no directive yet: the office is asked to issue one, and the owner unit
    learns of the task at once (it may report on it before it is a directive)."""
    facts = {
        "project": task.project.name,
        "title": task.title,
        "unit": task.owner_unit,
        "deadline": task.deadline,
    }
    notify(
        recipients=recipients_for_office(),
        kind=NotificationKind.ASSIGNED,
        title=_("待转督办：%(unit)s的PPP整改任务“%(title)s”") % facts,
        body=_(
            "%(project)s：财政审核员下达整改任务“%(title)s”，责任单位%(unit)s，%(deadline)s 前完成。"
            "请转为督办事项，以便预警、催办和纳入周报。"
        )
        % facts,
        url=task_url(task),
        sender=by,
    )
    notify(
        recipients=recipients_for_unit(task.owner_unit),
        kind=NotificationKind.ASSIGNED,
        title=_("PPP整改任务：%(title)s") % facts,
        body=_("%(project)s：请于 %(deadline)s 前完成整改并在任务页报送整改情况。") % facts,
        url=task_url(task),
        sender=by,
    )


@transaction.atomic
def task_submit(*, task: RectificationTask, by, response: str, expected_version: int) -> RectificationTask:
    """The owner unit reports the rectification done; the managers then accept or return it.

    When the owner unit's liaison reports on a task carried by a directive, the directive asks for
    completion too, so the office sees the request on either page."""
    TASKS.check(by, locked(task), "submit")
    response = require_reason(response, message=_("请填写整改情况。"), field="response")
    fields = {"response": response, "state": RectificationTask.State.SUBMITTED, "submitted_on": today()}
    current = versioned_update(task, expected_version=expected_version, fields=fields, by=by).instance
    _directive_follows(current, "submit", by=by, note=response)
    text = _("报送整改情况：%(title)s") % {"title": current.title}
    _record(current, "submit", by=by, text=text, from_state=RectificationTask.State.OPEN)
    return current


def _directive_deadline(*, directive, by, deadline) -> None:
    directive_services.directive_update(
        directive=directive, by=by, expected_version=directive.version, deadline=deadline
    )


# The step the directive carrying a task takes with it: (the directives service, the rule it asks).
DIRECTIVE_FOLLOWS = {
    "submit": (directive_services.directive_request_completion, directive_rules.may_request_completion),
    "return": (directive_services.directive_return, directive_rules.may_return),
    "cancel": (directive_services.directive_cancel, directive_rules.may_cancel),
    "reschedule": (_directive_deadline, directive_rules.may_edit_directive),
}


def _directive_follows(task: RectificationTask, name: str, *, by, **arguments) -> None:
    """Take the same step on the directive carrying the task, where there is one and the user may."""
    step, may = DIRECTIVE_FOLLOWS[name]
    directive = directive_selectors.linked_directive(task.directive_id)
    if directive is not None and may.test(by, directive):
        step(directive=directive, by=by, **arguments)


def _finished(task: RectificationTask) -> None:
    """After a task is accepted or withdrawn: its finding and its review may be done."""
    if (
        task.finding_id
        and task.state == RectificationTask.State.DONE
        and not selectors.open_tasks(finding_id=task.finding_id).exists()
    ):
        task.finding.resolved = True
        task.finding.save(update_fields=["resolved"])
    review = task.review
    if review.state == ContractReview.State.RECTIFYING and not selectors.open_tasks(review=review).exists():
        review.state = ContractReview.State.RATED
        review.save(update_fields=["state"])


@transaction.atomic
def task_accept(*, task: RectificationTask, by, note: str = "") -> RectificationTask:
    """Accept the reported rectification (销号); the directive carrying the task is closed with it."""
    current = locked(task)
    TASKS.check(by, current, "accept")
    current.done_on = today()
    text = _("整改任务销号：%(title)s") % {"title": current.title}
    TASKS.move(current, "accept", by=by, note=note, text=text)
    _finished(current)
    directive = directive_selectors.linked_directive(current.directive_id)
    if directive is not None:
        note = (note or "").strip() or _("%(campaign)s整改任务验收销号：%(title)s") % {
            "campaign": current.review.campaign.name,
            "title": current.title,
        }
        directive_services.directive_finish(directive=directive, by=by, note=note)
    project_reclassify(project=current.project)
    return current


@transaction.atomic
def task_return(*, task: RectificationTask, by, reason: str) -> RectificationTask:
    """Send the report back: the rectification is not done; the directive is returned with it."""
    ask, say = _("请填写退回理由。"), _("退回整改任务：%(title)s（%(reason)s）")
    current = step_with_reason(TASKS, task, "return", by=by, reason=reason, ask=ask, say=say)
    _directive_follows(current, "return", by=by, note=reason)
    return current


@transaction.atomic
def task_reschedule(
    *, task: RectificationTask, by, deadline: date, expected_version: int, reason: str = ""
) -> RectificationTask:
    """Change the task's deadline (its state stays); the directive carrying it gets the same deadline."""
    old = locked(task)
    TASKS.check(by, old, "reschedule")
    update = versioned_update(task, expected_version=expected_version, fields={"deadline": deadline}, by=by)
    current = update.instance
    if not update:
        return current
    _directive_follows(current, "reschedule", by=by, deadline=deadline)
    text = _("整改期限调整：%(title)s（%(old)s → %(new)s）") % {
        "title": current.title,
        "old": old.deadline,
        "new": deadline,
    }
    if reason.strip():
        text = f"{text} {reason.strip()}"
    _record(current, "reschedule", by=by, text=text)
    project_reclassify(project=current.project)
    return current


@transaction.atomic
def task_cancel(*, task: RectificationTask, by, reason: str) -> RectificationTask:
    """Withdraw a task that is no longer needed; the directive carrying it is cancelled with the reason."""
    ask, say = _("请填写撤销理由。"), _("撤销整改任务：%(title)s（%(reason)s）")
    current = step_with_reason(TASKS, task, "cancel", by=by, reason=reason, ask=ask, say=say)
    _finished(current)
    _directive_follows(current, "cancel", by=by, note=reason)
    project_reclassify(project=current.project)
    return current
