"""The roadmap and its progress: milestones added and moved along, progress reports with their
evidence (the lead unit's weekly word on how far the work has come)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from duban.accounts.scope import is_office
from duban.core.errors import Invalid, NotPermitted, TransitionRefused
from duban.core.rules import require
from duban.core.services import model_create
from duban.core.uploads import EVIDENCE, check_upload

from ..models import Directive, EventKind, Evidence, Milestone, MilestoneState, ProgressReport, State
from ..rules import acts_for_lead_unit, is_plannable, is_reportable, works_on
from .common import leader_user, locked, notify_about, record, relight
from .transitions import directive_start


def _require_plannable(directive: Directive) -> None:
    if not is_plannable(directive):
        raise TransitionRefused(
            _("事项当前状态为“%(state)s”，不能再修改。") % {"state": directive.get_state_display()}
        )


@transaction.atomic
def milestone_add(*, directive: Directive, by, title: str, due_on: date) -> Milestone:
    directive = locked(directive)
    require(works_on, by, directive)
    _require_plannable(directive)
    if due_on > directive.deadline:
        raise Invalid(
            fields={"due_on": [_("节点时限不能晚于事项的办理时限（%(d)s）。") % {"d": directive.deadline}]}
        )
    order = (directive.milestones.order_by("-order").values_list("order", flat=True).first() or 0) + 1
    milestone = model_create(Milestone, directive=directive, order=order, title=title, due_on=due_on)
    record(
        directive, EventKind.MILESTONE, by=by, note=_("新增节点：%(t)s（%(d)s）") % {"t": title, "d": due_on}
    )
    relight(directive)
    return milestone


def _set_milestone_state(milestone: Milestone, state: str, today: date) -> tuple[str, str] | None:
    if state not in MilestoneState.values:
        raise Invalid(_("节点状态“%(s)s”无效。") % {"s": state})
    if milestone.state == state:
        return None
    before = milestone.state
    milestone.state = state
    milestone.done_on = today if state == MilestoneState.DONE else None
    milestone.full_clean()
    milestone.save()
    return before, state


def _move_due_date(milestone: Milestone, due_on: date, *, by) -> str:
    if not is_office(by):
        # Moving a date is the office's call; the unit asks through an extension.
        raise NotPermitted
    note = _("节点“%(t)s”时限由 %(a)s 调整为 %(b)s") % {
        "t": milestone.title,
        "a": milestone.due_on,
        "b": due_on,
    }
    milestone.due_on = due_on
    milestone.full_clean()
    milestone.save()
    return note


@transaction.atomic
def milestone_update(
    *, milestone: Milestone, by, state: str | None = None, due_on: date | None = None
) -> Milestone:
    directive = milestone.directive
    require(works_on, by, directive)
    _require_plannable(directive)
    notes = []
    if due_on is not None and due_on != milestone.due_on:
        notes.append(_move_due_date(milestone, due_on, by=by))
    if state is not None and (change := _set_milestone_state(milestone, state, timezone.localdate())):
        labels = {"a": MilestoneState(change[0]).label, "b": MilestoneState(change[1]).label}
        notes.append(_("节点“%(t)s”：%(a)s → %(b)s") % {"t": milestone.title, **labels})
    if notes:
        record(directive, EventKind.MILESTONE, by=by, note="；".join(notes))
        relight(directive)
    return milestone


def _milestone_changes(directive: Directive, milestone_states: dict[int, str]) -> tuple[list[dict], dict]:
    today = timezone.localdate()
    milestones = {m.pk: m for m in directive.milestones.all()}
    changes = []
    for milestone_id, state in milestone_states.items():
        milestone = milestones.get(int(milestone_id)) if str(milestone_id).strip().isdecimal() else None
        if milestone is None:
            raise Invalid(_("节点 %(id)s 不属于该事项。") % {"id": milestone_id})
        if change := _set_milestone_state(milestone, state, today):
            changes.append(
                {"milestone": milestone.pk, "title": milestone.title, "from": change[0], "to": change[1]}
            )
    return changes, milestones


@transaction.atomic
def progress_report_add(
    *,
    directive: Directive,
    by,
    text: str,
    percent: int,
    milestone_states: dict[int, str] | None = None,
    files: Iterable = (),
) -> ProgressReport:
    """The lead unit reports progress: text, percent, milestone changes and evidence files."""
    # The state as stored now, not as the caller last read it.
    directive = locked(directive)
    require(acts_for_lead_unit, by, directive)
    if not is_reportable(directive):
        raise TransitionRefused(
            _("事项当前状态为“%(state)s”，不能报送进展。") % {"state": directive.get_state_display()}
        )
    files = list(files)
    for upload in files:
        check_upload(upload, allowed=EVIDENCE)
    if directive.state == State.ASSIGNED:
        # Reporting progress on an assigned directive is taking it up.
        directive = directive_start(directive=directive, by=by, note=_("报送进展时自动签收。"))
    changes, milestones = _milestone_changes(directive, milestone_states or {})
    report = model_create(
        ProgressReport, directive=directive, text=text, percent=percent, milestone_changes=changes, author=by
    )
    # Files sent with the report that completes one milestone are that milestone's evidence.
    completed = [c["milestone"] for c in changes if c["to"] == MilestoneState.DONE]
    milestone = milestones[completed[0]] if len(completed) == 1 else None
    for upload in files:
        Evidence.objects.create(
            directive=directive,
            report=report,
            milestone=milestone,
            file=upload,
            name=str(upload.name)[:200],
            uploaded_by=by,
        )
    # The percent on the directive is a cache of the latest report.
    Directive.objects.filter(pk=directive.pk).update(percent=percent)
    record(directive, EventKind.PROGRESS, by=by, note=f"{percent}%：{text[:200]}")
    relight(directive)
    # The responsible leader follows the work: an informational notice (his daily digest, by default).
    notify_about(
        directive,
        kind="progress",
        title=_("进展报送：%(title)s"),
        users=[leader_user(directive)],
        body=f"{percent}%：{text[:500]}",
        by=by,
        informational=True,
    )
    return report
