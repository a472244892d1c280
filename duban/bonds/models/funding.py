"""The money's way: an application in a batch, then the tranches paid to the project and spent on it."""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from duban.accounts.scope import ScopeRule

from .choices import AMOUNT, ZERO, ApplicationOutcome, ProjectState
from .parameters import BondBatch
from .projects import PROJECT_PART, BondProject


class BondApplication(models.Model):
    """One submission of a project in one batch; a returned project resubmits in a later batch."""

    project = models.ForeignKey(BondProject, on_delete=models.CASCADE, related_name="applications")
    batch = models.ForeignKey(BondBatch, on_delete=models.PROTECT, related_name="applications")
    applied_amount = models.DecimalField(_("申请金额（万元）"), **AMOUNT)
    outcome = models.CharField(
        _("结果"), max_length=10, choices=ApplicationOutcome.choices, default=ApplicationOutcome.PENDING
    )
    submitted_at = models.DateTimeField(_("提交时间"))
    decided_at = models.DateTimeField(_("审核完成时间"), null=True, blank=True)
    returned_at_state = models.CharField(
        _("退回环节"), max_length=20, choices=ProjectState.choices, blank=True
    )
    return_reason = models.TextField(_("退回理由"), blank=True)
    allocated_amount = models.DecimalField(_("分配金额（万元）"), **AMOUNT, default=ZERO)
    allocated_on = models.DateField(_("分配日期"), null=True, blank=True)

    data_scope = PROJECT_PART

    class Meta:
        verbose_name = _("申报记录")
        ordering = ["-submitted_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["project", "batch"], name="bonds_application_once")]

    def __str__(self) -> str:
        return f"{self.project} · {self.batch}"


class Tranche(models.Model):
    """Bond money moving on a date: paid to the project, or spent on the works."""

    DATE_FIELD = ""

    amount = models.DecimalField(_("金额（万元）"), **AMOUNT, validators=[MinValueValidator(Decimal("0.01"))])
    note = models.CharField(_("说明"), max_length=200, blank=True)

    data_scope = ScopeRule(
        units=("project__applying_unit",),
        programme="bonds",
        owner="",
        finance_sees_all=True,
        finance_changes=True,
    )

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.project} {getattr(self, self.DATE_FIELD)} {self.amount}"


class Disbursement(Tranche):
    """A tranche of bond money paid to the project (资金拨付)."""

    DATE_FIELD = "paid_on"
    project = models.ForeignKey(BondProject, on_delete=models.CASCADE, related_name="disbursements")
    paid_on = models.DateField(_("拨付日期"))

    class Meta:
        verbose_name = _("资金拨付")
        ordering = ["project", "paid_on", "pk"]


class Spending(Tranche):
    """Money spent on the works (支出, 形成实物工作量)."""

    DATE_FIELD = "spent_on"
    project = models.ForeignKey(BondProject, on_delete=models.CASCADE, related_name="spendings")
    spent_on = models.DateField(_("支出日期"))

    class Meta:
        verbose_name = _("资金支出")
        ordering = ["project", "spent_on", "pk"]
