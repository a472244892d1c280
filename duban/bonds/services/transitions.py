"""The steps of a project's life, one service per step of the transition table (workflow.WORKFLOW), each
named `project_<step>`: lock the project, check the step (who, state, guards), do what is particular to
it, and move (new state, version, timeline event), all in one transaction."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from duban.core.errors import Invalid, TransitionRefused

from .. import selectors
from ..models import (
    ApplicationOutcome,
    BondApplication,
    BondBatch,
    BondProject,
    DebtKind,
    Disbursement,
    ProjectDebt,
    ProjectState,
    Spending,
)
from ..workflow import WORKFLOW, transition_kwargs
from .cash_flows import parse_amount
from .debts import clean_instalments, debt_check

S = ProjectState


def _begin(project: BondProject, by, name: str, *, note: str | None = None, **inputs):
    """Lock the row and check the step against the project as it is now: (the project, the step)."""
    current = (
        BondProject.objects.select_for_update(of=("self",))
        .select_related("applying_unit", "supervising_department", "batch", "investment_area")
        .get(pk=project.pk)
    )
    return current, WORKFLOW.check(by, current, name, note=note, **inputs)


def _begin_with_amount(project: BondProject, by, name: str, amount, *, label: str, default=None):
    """Begin a step that moves money: (the project, the step, the amount, more than 0). A missing amount
    is `default(project)` where the step has one (issuance: the quota; on-lending: the issue)."""
    project, step = _begin(project, by, name)
    if amount in (None, "") and default is not None:
        amount = default(project)
    value = parse_amount(amount, label=label)
    if value <= 0:
        raise Invalid(_("%(label)s应大于 0。") % {"label": label}, fields={"amount": [_("应大于 0。")]})
    return project, step, value


def _at_most(amount: Decimal, ceiling: Decimal, message: str) -> None:
    if amount > ceiling:
        raise TransitionRefused(message)


def _decide(project: BondProject, outcome: str, **fields) -> None:
    """Close the project's pending application with the reviewers' outcome."""
    application = selectors.application_last(project, outcome=ApplicationOutcome.PENDING)
    if application is not None:
        for name, value in {"outcome": outcome, "decided_at": timezone.now(), **fields}.items():
            setattr(application, name, value)
        application.save()


# ---------------------------------------------------------------------------------------------------
# Preparing and applying


@transaction.atomic
def project_start_draft(*, project: BondProject, by, note: str = "") -> BondProject:
    project, step = _begin(project, by, "start_draft")
    return WORKFLOW.move(project, step, by=by, note=note)


@transaction.atomic
def project_submit(
    *, project: BondProject, by, batch: BondBatch | None = None, note: str = ""
) -> BondProject:
    """Submit (or, after a return, resubmit in a later batch): opens an application in the batch."""
    project, step = _begin(project, by, "submit", batch=batch)
    BondApplication.objects.create(
        project=project, batch=batch, applied_amount=project.bond_demand, submitted_at=timezone.now()
    )
    project.batch = batch
    return WORKFLOW.move(project, step, by=by, note=note, batch=batch, amount=project.bond_demand)


# ---------------------------------------------------------------------------------------------------
# Reviews


def _approval(name: str):
    """The service of a review step: it moves the project on, and the final approval decides its
    pending application."""

    @transaction.atomic
    def approve(*, project: BondProject, by, note: str = "") -> BondProject:
        project, step = _begin(project, by, name)
        project = WORKFLOW.move(project, step, by=by, note=note, batch=project.batch)
        if project.state == S.APPROVED:
            _decide(project, ApplicationOutcome.APPROVED)
        return project

    approve.__name__ = approve.__qualname__ = f"project_{name}"
    return approve


project_unit_approve = _approval("unit_approve")


@transaction.atomic
def project_finance_approve(
    *, project: BondProject, by, note: str = "", override_reason: str = ""
) -> BondProject:
    """The finance bureau approves and reports to the province. A project whose balance test fails
    (coverage below the minimum, or no test at all) is approved only with the reviewer's reason, which
    is kept with the figures on the timeline and shown on the project."""
    project, step = _begin(project, by, "finance_approve")
    failure = selectors.balance_failure(project)
    data = None
    if failure is not None:
        override_reason = (override_reason or "").strip()
        if not override_reason:
            raise Invalid(
                _("资金平衡测算未通过（%(failure)s）。仍要审核通过，须填写理由。")
                % {"failure": failure.summary},
                fields={"override_reason": [_("请填写未通过资金平衡测算仍审核通过的理由。")]},
                code="balance_failed",
                extra={"balance_failure": failure.as_data()},
            )
        data = {selectors.OVERRIDE_KEY: {**failure.as_data(), "reason": override_reason}}
    return WORKFLOW.move(project, step, by=by, note=note, batch=project.batch, data=data)


project_province_approve = _approval("province_approve")
project_province_final_approve = _approval("province_final_approve")
project_ministry_approve = _approval("ministry_approve")


@transaction.atomic
def project_return(*, project: BondProject, by, reason: str = "") -> BondProject:
    """Send the project back with the reviewer's reasons; it may resubmit in a later batch."""
    reason = (reason or "").strip()
    project, step = _begin(project, by, "return", note=reason)
    _decide(project, ApplicationOutcome.RETURNED, returned_at_state=project.state, return_reason=reason)
    return WORKFLOW.move(project, step, by=by, note=reason, batch=project.batch)


# ---------------------------------------------------------------------------------------------------
# The money: quota, issuance, on-lending, disbursement, spending


@transaction.atomic
def project_allocate_quota(
    *, project: BondProject, by, amount=None, allocated_on: date | None = None, note: str = ""
) -> BondProject:
    """Record the quota allocated (分配金额), which may be less than the amount applied for."""
    project, step, amount = _begin_with_amount(project, by, "allocate_quota", amount, label=_("分配金额"))
    _at_most(
        amount,
        project.bond_demand,
        _("分配金额 %(amount)s 万元不能超过申请金额 %(applied)s 万元。")
        % {"amount": amount, "applied": project.bond_demand},
    )
    allocated_on = allocated_on or timezone.localdate()
    project.quota_allocated = amount
    application = selectors.application_last(project, outcome=ApplicationOutcome.APPROVED)
    if application is not None:
        application.allocated_amount = amount
        application.allocated_on = allocated_on
        application.save()
    data = {"allocated_on": allocated_on.isoformat(), "applied": str(project.bond_demand)}
    return WORKFLOW.move(project, step, by=by, note=note, amount=amount, batch=project.batch, data=data)


@transaction.atomic
def project_record_issuance(
    *,
    project: BondProject,
    by,
    bond_code: str = "",
    issue_date: date | None = None,
    term_years: int | None = None,
    rate=None,
    amount=None,
    instalments: dict | None = None,
) -> BondProject:
    """The province issued the bond: code, date, term and coupon; it replaces the planned bond."""
    project, step, amount = _begin_with_amount(
        project, by, "record_issuance", amount, label=_("发行金额"), default=lambda p: p.quota_allocated
    )
    if not (bond_code or "").strip() or issue_date is None or term_years is None or rate is None:
        raise Invalid(_("请填写债券编码、发行日、期限和票面利率。"))
    _at_most(
        amount,
        project.quota_allocated,
        _("发行金额 %(amount)s 万元不能超过分配额度 %(quota)s 万元。")
        % {"amount": amount, "quota": project.quota_allocated},
    )
    debt = ProjectDebt(
        project=project,
        kind=DebtKind.BOND,
        principal=amount,
        rate=Decimal(str(rate)),
        issue_year=issue_date.year,
        term_years=int(term_years),
        instalments=clean_instalments(instalments),
        is_issued=True,
        bond_code=bond_code.strip(),
        issue_date=issue_date,
    )
    debt_check(debt)
    debt.save()
    project.issued_amount = amount
    data = {
        "bond_code": debt.bond_code,
        "issue_date": issue_date.isoformat(),
        "term_years": debt.term_years,
        "rate": str(debt.rate),
    }
    return WORKFLOW.move(project, step, by=by, amount=amount, data=data)


@transaction.atomic
def project_record_onlending(
    *, project: BondProject, by, amount=None, onlent_on: date | None = None, note: str = ""
) -> BondProject:
    """The province lends the bond money on to the city or county (转贷)."""
    project, step, amount = _begin_with_amount(
        project, by, "record_onlending", amount, label=_("转贷金额"), default=lambda p: p.issued_amount
    )
    _at_most(
        amount,
        project.issued_amount,
        _("转贷金额不能超过已发行金额 %(issued)s 万元。") % {"issued": project.issued_amount},
    )
    project.onlent_amount = amount
    project.onlent_on = onlent_on or timezone.localdate()
    data = {"onlent_on": project.onlent_on.isoformat()}
    return WORKFLOW.move(project, step, by=by, note=note, amount=amount, data=data)


@transaction.atomic
def project_record_disbursement(
    *, project: BondProject, by, amount=None, paid_on: date | None = None, note: str = ""
) -> BondProject:
    """One tranche paid to the project; the tranches together may not exceed the money lent on."""
    project, step, amount = _begin_with_amount(
        project, by, "record_disbursement", amount, label=_("拨付金额")
    )
    ceiling = project.onlent_amount or project.issued_amount
    _at_most(
        project.disbursed_amount + amount,
        ceiling,
        _("累计拨付 %(total)s 万元将超过转贷金额 %(ceiling)s 万元。")
        % {"total": project.disbursed_amount + amount, "ceiling": ceiling},
    )
    paid_on = paid_on or timezone.localdate()
    Disbursement.objects.create(project=project, paid_on=paid_on, amount=amount, note=note)
    project.disbursed_amount += amount
    # A tranche paid while spending is under way keeps the project in SPENDING.
    target = S.SPENDING if project.state == S.SPENDING else S.DISBURSING
    data = {"paid_on": paid_on.isoformat()}
    return WORKFLOW.move(project, step, by=by, note=note, target=target, amount=amount, data=data)


@transaction.atomic
def project_record_spending(
    *, project: BondProject, by, amount=None, spent_on: date | None = None, note: str = ""
) -> BondProject:
    """Money spent on the works; when all issued money is spent the project is SPENT."""
    project, step, amount = _begin_with_amount(project, by, "record_spending", amount, label=_("支出金额"))
    _at_most(
        project.spent_amount + amount,
        project.disbursed_amount,
        _("累计支出 %(total)s 万元将超过已拨付 %(disbursed)s 万元。")
        % {"total": project.spent_amount + amount, "disbursed": project.disbursed_amount},
    )
    spent_on = spent_on or timezone.localdate()
    Spending.objects.create(project=project, spent_on=spent_on, amount=amount, note=note)
    project.spent_amount += amount
    target = S.SPENT if project.spent_amount >= project.issued_amount else S.SPENDING
    data = {"spent_on": spent_on.isoformat()}
    return WORKFLOW.move(project, step, by=by, note=note, target=target, amount=amount, data=data)


def project_transition(*, project: BondProject, by, name: str, **inputs) -> BondProject:
    """Take the step `name` with the inputs a page's form or an API client sent (the rest is ignored):
    the service of each step of the table is `project_<name>`."""
    step = WORKFLOW.get(name)
    service = globals()[f"project_{step.name}"]
    return service(project=project, by=by, **transition_kwargs(step, inputs))
