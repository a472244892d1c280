"""The escalation ladder (逐级督办): the office's steps (提醒 → 蓝色督办单 → 黄色督办单 → 红色督办单 →
约谈/通报), each proposed by a condition, producing a document, approved by the office or the
directive's leader, and answered by the unit by a working-day deadline; and each directive's rungs."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from duban.core.fields import optional_link, weak_link

from . import DIRECTIVE_SCOPE, Directive, Light, Reminder, ReplyState, SupervisionNotice, _through_directive


class StepDocument(models.TextChoices):
    REMINDER = "reminder", _("催办")
    NOTICE = "notice", _("编号督办单")


class StepLight(models.TextChoices):
    YELLOW = "yellow", _("黄灯或红灯")
    RED = "red", _("红灯")


# The lights each condition admits.
STEP_LIGHTS = {StepLight.YELLOW: (Light.YELLOW, Light.RED), StepLight.RED: (Light.RED,)}


class Approver(models.TextChoices):
    OFFICE = "office", _("督查室签发")
    LEADER = "leader", _("责任领导审批后签发")


class EscalationStep(models.Model):
    """One step of the ladder. A directive climbs it in order: a step is proposed when the directive
    has reached the step before it and every condition set here holds."""

    order = models.PositiveSmallIntegerField(_("顺序"), unique=True)
    name = models.CharField(_("名称"), max_length=40)
    document = models.CharField(
        _("形成文书"), max_length=16, choices=StepDocument.choices, default=StepDocument.NOTICE
    )
    series = models.CharField(
        _("编号字"),
        max_length=4,
        blank=True,
        help_text=_("督办单编号中的颜色字，如“蓝”：督办〔2026〕蓝3号。每年每个编号字分别编号。"),
    )
    light = models.CharField(_("亮灯条件"), max_length=8, choices=StepLight.choices, default=StepLight.RED)
    overdue_days = models.PositiveSmallIntegerField(
        _("逾期工作日不少于"), null=True, blank=True, help_text=_("留空：不看是否逾期。")
    )
    unanswered_days = models.PositiveSmallIntegerField(
        _("上一步逾期未回复工作日不少于"),
        null=True,
        blank=True,
        help_text=_(
            "上一步的文书超过回复时限这么多个工作日仍未回复时提出本步；0：一过回复时限即提出；留空：不看回复。"
        ),
    )
    approver = models.CharField(_("审批"), max_length=16, choices=Approver.choices, default=Approver.OFFICE)
    reply_days = models.PositiveSmallIntegerField(
        _("回复时限（工作日）"), default=5, validators=[MinValueValidator(1)]
    )
    active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("督办层级")
        ordering = ["order"]

    def __str__(self) -> str:
        return self.name

    def clean(self):
        if self.document == StepDocument.NOTICE and not self.series.strip():
            raise ValidationError({"series": _("编号督办单须有编号字（如“蓝”）。")})
        if self.document == StepDocument.REMINDER and self.series:
            raise ValidationError({"series": _("催办不编号，请留空编号字。")})

    @property
    def condition_text(self) -> str:
        parts = [str(self.get_light_display())]
        if self.overdue_days is not None:
            parts.append(_("逾期 %(n)d 个工作日以上") % {"n": self.overdue_days})
        if self.unanswered_days is not None:
            parts.append(_("上一步超过回复时限 %(n)d 个工作日未回复") % {"n": self.unanswered_days})
        return "，".join(str(p) for p in parts)


class EscalationState(models.TextChoices):
    PROPOSED = "proposed", _("待签发")
    AWAITING_LEADER = "awaiting_leader", _("待领导审批")
    ISSUED = "issued", _("已印发")
    REFUSED = "refused", _("领导未同意")
    WITHDRAWN = "withdrawn", _("已撤回")


# The rungs a directive stands on or is about to (the next step is proposed from the highest).
HELD_STATES = (EscalationState.PROPOSED, EscalationState.AWAITING_LEADER, EscalationState.ISSUED)
OPEN_STATES = (EscalationState.PROPOSED, EscalationState.AWAITING_LEADER)


class Escalation(models.Model):
    """A step of the ladder on one directive: proposed by the morning job, issued by the office (the
    red step after its leader approves), answered by the unit through the document's replies."""

    directive = models.ForeignKey(
        Directive, verbose_name=_("督办事项"), on_delete=models.CASCADE, related_name="escalations"
    )
    step = models.ForeignKey(
        EscalationStep, verbose_name=_("督办层级"), on_delete=models.PROTECT, related_name="escalations"
    )
    state = models.CharField(
        _("状态"), max_length=16, choices=EscalationState.choices, default=EscalationState.PROPOSED
    )
    reason = models.CharField(_("提出依据"), max_length=300, blank=True)
    proposed_on = models.DateField(_("提出日期"))
    decided_by = weak_link(settings.AUTH_USER_MODEL, _("签发人"), blank=True)
    approved_by = weak_link(settings.AUTH_USER_MODEL, _("审批领导"), blank=True)
    approval_note = models.CharField(_("审批意见"), max_length=300, blank=True)
    issued_at = models.DateTimeField(_("印发时间"), null=True, blank=True)
    reply_by = models.DateField(_("回复时限"), null=True, blank=True)
    notice = optional_link(SupervisionNotice, _("督办单"), related_name="escalations")
    reminder = optional_link(Reminder, _("催办"), related_name="escalations")

    data_scope = _through_directive(DIRECTIVE_SCOPE)

    class Meta:
        verbose_name = _("逐级督办")
        ordering = ["directive", "step__order", "id"]
        constraints = [
            # A directive takes each step once, and waits on one proposal at a time.
            models.UniqueConstraint(
                fields=["directive", "step"],
                condition=models.Q(state__in=[s.value for s in HELD_STATES]),
                name="escalation_step_once",
            ),
            models.UniqueConstraint(
                fields=["directive"],
                condition=models.Q(state__in=[s.value for s in OPEN_STATES]),
                name="escalation_one_open",
            ),
        ]
        indexes = [models.Index(fields=["state", "proposed_on"], name="escalation_state_day")]

    def __str__(self) -> str:
        return f"{self.directive} · {self.step}"

    @property
    def document(self):
        return self.notice or self.reminder

    @property
    def reply_state(self) -> str:
        """The unit's reply to the step's document ("" before it is issued)."""
        document = self.document
        if self.state != EscalationState.ISSUED or document is None:
            return ""
        replied = getattr(self, "replied", None)
        if replied is not None and document.__dict__.get("replied") is None:
            document.replied = replied
        return document.reply_state

    def get_reply_state_display(self) -> str:
        state = self.reply_state
        return str(ReplyState(state).label) if state else ""
