"""The classification of projects (分类施策): the rules in force applied to a project's facts, the daily
reclassification of the programme, and the office's override with its reason."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from duban.audit.context import audit_context
from duban.audit.models import Channel
from duban.core.rules import require

from .. import classification, rules, selectors
from ..models import ClassChoice, PPPProject
from . import common
from .common import invalid, locked, project_event, require_reason

REASON_TEXTS = {
    "fixed_obligation": gettext_lazy(
        "与运营绩效挂钩的建设成本比例 %(share)s 低于 %(minimum)s，属固化政府支出责任（财办金〔2017〕92号）"
    ),
    "idle_before_execution": gettext_lazy("尚未进入执行阶段，已 %(days)s 天无进展"),
    "overdue_tasks": gettext_lazy("%(count)s 项整改任务逾期未完成"),
    "major_findings": gettext_lazy("%(count)s 个重大或严重问题尚未整改"),
    "arrears": gettext_lazy("政府付费欠付 %(amount)s 万元"),
    "review_failed": gettext_lazy("最近一次履约审查评定为履约较差或严重违约"),
    "late": gettext_lazy("计划节点或合同义务最长逾期 %(days)s 天"),
    "idle": gettext_lazy("尚未进入执行阶段，已 %(days)s 天无进展"),
}


def describe_reason(reason: dict) -> str:
    """One classification reason in the user's language."""
    code = reason.get("code", "")
    text = str(REASON_TEXTS.get(code, code))
    try:
        return text % reason.get("params", {})
    except (KeyError, TypeError, ValueError):
        return text


def _reason_as_json(reason: classification.Reason) -> dict:
    return {
        "code": reason.code,
        "class": str(reason.suggests),
        "params": {
            key: str(value) if isinstance(value, Decimal) else value for key, value in reason.params.items()
        },
    }


def project_reclassify(*, project: PPPProject, today: date | None = None) -> PPPProject:
    """Apply the rules in force; the office's override, when set, stays the project's class."""
    day = today or common.today()
    result = classification.classify(
        facts=selectors.project_facts(project=project, today=day),
        rules=selectors.rules_in_force(day),
        today=day,
    )
    computed = str(result.project_class)
    reasons = [_reason_as_json(reason) for reason in result.reasons]
    effective = project.override_class or computed
    if (project.computed_class, project.computed_reasons, project.project_class) != (
        computed,
        reasons,
        effective,
    ):
        project.computed_class, project.computed_reasons, project.project_class = computed, reasons, effective
        project.classified_at = timezone.now()
        # Derived from audited rows and the dated rules, so a plain update is enough.
        PPPProject.objects.filter(pk=project.pk).update(
            computed_class=computed,
            computed_reasons=reasons,
            project_class=effective,
            classified_at=project.classified_at,
        )
    return project


def programme_reclassify(*, by=None, today: date | None = None) -> int:
    """Reclassify every project in the library (dates move on even when nothing is edited)."""
    if by is not None:
        require(rules.is_manager, by)
    projects = list(selectors.active_projects())
    for project in projects:
        project_reclassify(project=project, today=today)
    return len(projects)


RECLASSIFY_SCHEDULE = "ppp.reclassify"
RECLASSIFY_FUNC = "duban.ppp.services.programme_reclassify_job"


def programme_reclassify_job() -> int:
    """The daily django-q2 schedule's entry point: overdue counts move with the date."""
    with audit_context(channel=Channel.SYSTEM):
        return programme_reclassify()


def ensure_reclassify_schedule(schedule_model=None) -> bool:
    """Create the daily schedule if it is missing (idempotent); True when it was created.

    The data migration passes its historical Schedule model; elsewhere the current one is used."""
    if schedule_model is None:
        from django_q.models import Schedule as schedule_model
    zone = ZoneInfo(settings.TIME_ZONE)
    tomorrow = datetime.now(zone).date() + timedelta(days=1)
    _schedule, created = schedule_model.objects.get_or_create(
        name=RECLASSIFY_SCHEDULE,
        defaults={
            "func": RECLASSIFY_FUNC,
            "schedule_type": "D",
            # After the directives' lights (00:05), before anyone starts work.
            "next_run": datetime.combine(tomorrow, time(0, 20), tzinfo=zone),
            "repeats": -1,
        },
    )
    return created


@transaction.atomic
def project_override_class(*, project: PPPProject, by, project_class: str, reason: str) -> PPPProject:
    """The office sets (or, with an empty class, clears) the class by hand, with a reason."""
    require(rules.may_override_class, by, project)
    if project_class and project_class not in ClassChoice.values:
        raise invalid("project_class", _("无效的分类。"))
    reason = require_reason(reason, message=_("请填写调整理由。"))
    current = locked(project)
    override = {
        "override_class": project_class,
        "override_reason": reason if project_class else "",
        "override_by": by if project_class else None,
        "override_at": timezone.now() if project_class else None,
        "project_class": project_class or current.computed_class,
    }
    for name, value in override.items():
        setattr(current, name, value)
    current.version += 1  # an action, not an edit from a version: it moves the version on for the editors
    current.save(update_fields=[*override, "version", "modified_at"])
    if project_class:
        cls = current.get_project_class_display()
        text = _("督查室调整分类为“%(cls)s”：%(reason)s") % {"cls": cls, "reason": reason}
    else:
        text = _("督查室取消人工分类：%(reason)s") % {"reason": reason}
    project_event(current, by=by, kind="class", text=text)
    return current
