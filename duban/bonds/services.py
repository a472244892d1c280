"""Changing the bond programme: the library, cash flows and debts, attachments, and one function per
transition of workflow.TRANSITIONS, each recording an event on the project's timeline."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from duban.accounts.roles import Role
from duban.accounts.scope import can_create, require_change
from duban.audit.context import audit_context
from duban.audit.models import Channel
from duban.core.concurrency import lock_for_update
from duban.core.excel import ImportRejected, RowErrors, read_sheet
from duban.core.uploads import EVIDENCE, SPREADSHEET, check_upload

from . import regulations
from .balance import BalanceInputError, validate_debt
from .messages import input_error_message
from .models import (
    ApplicationOutcome,
    BondApplication,
    BondBatch,
    BondProject,
    CashFlowRow,
    DebtKind,
    Disbursement,
    ProjectDebt,
    ProjectDocument,
    ProjectEvent,
    ProjectState,
    Spending,
)
from .selectors import debt_to_balance
from .workflow import EDITABLE_STATES, TRANSITIONS, Actor, actors_for, may

ZERO = Decimal(0)
CENT = Decimal("0.01")


class TransitionRefused(ValidationError):
    """The transition is not open to this project now (state or a guard); the message says why."""


# ---------------------------------------------------------------------------------------------------
# The library


def project_create(*, by, **fields) -> BondProject:
    """A new project enters the reserve pool (储备)."""
    unit = fields.get("applying_unit")
    if not can_create(by, BondProject, unit=unit) or by.role not in (Role.LIAISON, Role.FINANCE, Role.ADMIN):
        raise PermissionDenied
    project = BondProject(created_by=by, state=ProjectState.POOL, **fields)
    project.income_sources = split_sources(project.income_sources)
    project.full_clean()
    project.save()
    _record(project=project, by=by, transition="create", from_state="", note="")
    return project


@transaction.atomic
def project_update(*, project: BondProject, by, expected_version: int, **fields) -> BondProject:
    _require_editor(by, project)
    if project.state not in EDITABLE_STATES and by.role != Role.FINANCE:
        raise PermissionDenied
    current = lock_for_update(project, expected_version=expected_version, submitted=fields)
    for name, value in fields.items():
        setattr(current, name, split_sources(value) if name == "income_sources" else value)
    current.version += 1
    current.full_clean()
    current.save()
    return current


def split_sources(value) -> list[str]:
    if not value:
        return []
    parts = value if isinstance(value, (list, tuple)) else re.split(r"[、,，;；\n]+", str(value))
    seen: list[str] = []
    for part in (str(p).strip() for p in parts):
        if part and part not in seen:
            seen.append(part)
    return seen


def _require_editor(by, project: BondProject) -> None:
    # The office reads the programme; units and finance reviewers write it.
    if by.role not in (Role.LIAISON, Role.FINANCE, Role.ADMIN):
        raise PermissionDenied
    require_change(by, project)


def _require_data_editor(by, project: BondProject) -> None:
    _require_editor(by, project)
    if project.state not in EDITABLE_STATES and by.role != Role.FINANCE:
        raise PermissionDenied


# ---------------------------------------------------------------------------------------------------
# Cash flows


def parse_amount(value, *, label: str) -> Decimal:
    if value is None or (isinstance(value, str) and not value.strip()):
        return ZERO
    try:
        amount = Decimal(str(value).replace(",", "").strip())
    except InvalidOperation as error:
        raise ValidationError(
            _("%(label)s“%(value)s”不是数字。") % {"label": label, "value": value}
        ) from error
    if not amount.is_finite():
        raise ValidationError(_("%(label)s“%(value)s”不是数字。") % {"label": label, "value": value})
    if amount < 0:
        raise ValidationError(_("%(label)s不能为负数。") % {"label": label})
    return amount.quantize(CENT)


def _clean_income(income: dict) -> dict[str, str]:
    cleaned = {}
    for source, amount in (income or {}).items():
        name = str(source).strip()
        if not name:
            raise ValidationError(_("收入来源名称不能为空。"))
        cleaned[name] = str(parse_amount(amount, label=name))
    return cleaned


@transaction.atomic
def cash_flow_save(
    *, project: BondProject, by, year: int, income: dict, operating_cost, tax, row: CashFlowRow | None = None
) -> CashFlowRow:
    """Create or change one year of the cash-flow table (one cell row of the grid)."""
    _require_data_editor(by, project)
    row = row or CashFlowRow(project=project)
    if row.project_id != project.pk:
        raise PermissionDenied
    row.year = year
    row.income = _clean_income(income)
    row.operating_cost = parse_amount(operating_cost, label=_("经营成本"))
    row.tax = parse_amount(tax, label=_("税费"))
    row.full_clean()
    row.save()
    _add_sources(project, row.income)
    return row


def _add_sources(project: BondProject, income: dict) -> None:
    missing = [s for s in income if s not in project.income_sources]
    if missing:
        # Saved field by field (not QuerySet.update) so that the audit trail records the new columns.
        project.income_sources = [*project.income_sources, *missing]
        project.save(update_fields=["income_sources", "updated_at"])


def cash_flow_delete(*, project: BondProject, by, row: CashFlowRow) -> None:
    _require_data_editor(by, project)
    if row.project_id != project.pk:
        raise PermissionDenied
    row.delete()


CASH_FLOW_FIXED_COLUMNS = {
    "年度": "year",
    "年份": "year",
    "经营成本": "operating_cost",
    "税费": "tax",
    "合计收入": "_total",
}


def cash_flows_import_excel(*, project: BondProject, by, upload) -> int:
    """Replace the project's cash-flow table from the sheet a project unit keeps, all or nothing.

    Columns: 年度, one column per income source (any header other than the fixed ones), 经营成本, 税费.
    Every bad row is reported; then nothing is saved.
    """
    _require_data_editor(by, project)
    check_upload(upload, allowed=SPREADSHEET)
    from openpyxl import load_workbook

    # The income columns are whatever the sheet has besides the fixed ones, so read the header first.
    try:
        workbook = load_workbook(upload, read_only=True, data_only=True)
        header = next(workbook.worksheets[0].iter_rows(values_only=True), ())
        workbook.close()
    except Exception as error:  # openpyxl raises several unrelated types on a damaged file
        raise ValidationError(_("无法读取该 Excel 文件：%(error)s") % {"error": error}) from error
    upload.seek(0)
    columns = dict(CASH_FLOW_FIXED_COLUMNS)
    sources = []
    for text in header:
        name = str(text).strip() if text is not None else ""
        if name and name not in columns:
            columns[name] = f"income:{name}"
            sources.append(name)
    rows = read_sheet(upload, columns=columns, required=("year",))
    errors = RowErrors()
    parsed = []
    seen: dict[int, int] = {}
    for row in rows:
        values = row.values
        try:
            year = int(values.get("year"))
            if not 1990 <= year <= 2100:
                raise ValueError
        except (TypeError, ValueError):
            errors.add(row.number, _("年度“%(value)s”应为四位数年份。") % {"value": values.get("year") or ""})
            continue
        if year in seen:
            errors.add(row.number, _("%(year)d 年与第 %(row)d 行重复。") % {"year": year, "row": seen[year]})
            continue
        seen[year] = row.number
        try:
            income = {s: str(parse_amount(values.get(f"income:{s}"), label=s)) for s in sources}
            cost = parse_amount(values.get("operating_cost"), label=_("经营成本"))
            tax = parse_amount(values.get("tax"), label=_("税费"))
        except ValidationError as error:
            errors.add(row.number, "；".join(error.messages))
            continue
        parsed.append((year, income, cost, tax))
    if not rows:
        errors.add(1, _("表中没有数据行。"))
    if errors:
        raise ImportRejected(errors)
    with transaction.atomic(), audit_context(channel=Channel.IMPORT, actor=by):
        project.cash_flows.all().delete()
        for year, income, cost, tax in parsed:
            CashFlowRow.objects.create(
                project=project, year=year, income=income, operating_cost=cost, tax=tax
            )
        project.income_sources = sources
        project.save(update_fields=["income_sources", "updated_at"])
    return len(parsed)


# ---------------------------------------------------------------------------------------------------
# Debts


def _clean_instalments(instalments) -> dict[str, str]:
    cleaned = {}
    for year, fraction in (instalments or {}).items():
        try:
            cleaned[str(int(year))] = str(Decimal(str(fraction)))
        except (InvalidOperation, ValueError) as error:
            raise ValidationError(_("分期还本应写作“年份:比例”，如 2026:0.2。")) from error
    return cleaned


def debt_save(*, project: BondProject, by, debt: ProjectDebt | None = None, **fields) -> ProjectDebt:
    _require_data_editor(by, project)
    debt = debt or ProjectDebt(project=project)
    if debt.project_id != project.pk:
        raise PermissionDenied
    for name, value in fields.items():
        setattr(debt, name, _clean_instalments(value) if name == "instalments" else value)
    debt.full_clean()
    _check_debt(debt)
    debt.save()
    return debt


def _check_debt(debt: ProjectDebt) -> None:
    """The balance maths' own checks on a debt (rate, term, instalments summing to one), in Chinese."""
    try:
        # The balance test validates a debt inside a whole input; the same check, one debt at a time.
        validate_debt(debt_to_balance(debt), "debt")
    except BalanceInputError as error:
        raise ValidationError(input_error_message(error)) from error


def debt_delete(*, project: BondProject, by, debt: ProjectDebt) -> None:
    _require_data_editor(by, project)
    if debt.project_id != project.pk or debt.is_issued:
        raise PermissionDenied
    debt.delete()


# ---------------------------------------------------------------------------------------------------
# Attachments


def document_add(*, project: BondProject, by, kind: str, upload, note: str = "") -> ProjectDocument:
    _require_editor(by, project)
    check_upload(upload, allowed=EVIDENCE)
    document = ProjectDocument(project=project, kind=kind, file=upload, note=note, uploaded_by=by)
    document.full_clean()
    document.save()
    return document


def document_delete(*, project: BondProject, by, document: ProjectDocument) -> None:
    _require_data_editor(by, project)
    if document.project_id != project.pk:
        raise PermissionDenied
    document.file.delete(save=False)
    document.delete()


# ---------------------------------------------------------------------------------------------------
# Batches


def batch_create(*, by, **fields) -> BondBatch:
    if by.role not in (Role.FINANCE, Role.ADMIN):
        raise PermissionDenied
    batch = BondBatch(**fields)
    batch.full_clean()
    batch.save()
    return batch


# ---------------------------------------------------------------------------------------------------
# Transitions


def _guard(name: str, *, project: BondProject, by, actors, **inputs) -> str | None:
    """The reason a guard refuses, or None."""
    if name == "ready_to_submit":
        batch: BondBatch | None = inputs.get("batch")
        if batch is None:
            return _("请选择申报批次。")
        last = project.applications.select_related("batch").order_by("-submitted_at").first()
        if (
            last is not None
            and last.outcome == ApplicationOutcome.RETURNED
            and batch.opens_on <= last.batch.opens_on
        ):
            return _("退回的项目须在以后的批次重新申报（上次批次：%(batch)s）。") % {"batch": last.batch}
        if project.applications.filter(batch=batch).exists():
            return _("本项目已在“%(batch)s”申报过。") % {"batch": batch}
        problems = regulations.project_problems(project, on=batch.opens_on)
        if problems:
            return "；".join(p.message for p in problems)
    if name in ("self_review", "ministries_review"):
        self_review = regulations.rule_for(
            category=project.category, on=regulations.reference_date(project)
        ).self_review
        if name == "self_review" and not self_review:
            return _("本省不属于自审自发试点，须报两部委审核。")
        if name == "ministries_review" and self_review:
            return _("本省为自审自发试点，省级审核通过即可。")
    if name == "may_return" and Actor.FINANCE not in actors and project.state != ProjectState.UNIT_REVIEW:
        return _("主管部门只能退回待本部门审核的项目。")
    return None


def check_transition(*, project: BondProject, by, name: str, **inputs) -> None:
    """Raise PermissionDenied (wrong role) or TransitionRefused (wrong state or a guard)."""
    transition = TRANSITIONS[name]
    actors = actors_for(by, project)
    # actors_for encodes who stands where (applying unit, supervising department, finance bureau).
    if not (actors & transition.actors):
        raise PermissionDenied
    if project.state not in transition.sources:
        raise TransitionRefused(
            _("项目当前状态为“%(state)s”，不能“%(action)s”。")
            % {"state": project.get_state_display(), "action": transition.label}
        )
    if transition.guard:
        reason = _guard(transition.guard, project=project, by=by, actors=actors, **inputs)
        if reason and transition.guard == "may_return":
            raise PermissionDenied(reason)  # a question of role, not of the project's data
        if reason:
            raise TransitionRefused(reason)


def _begin(project: BondProject, by, name: str, **inputs) -> BondProject:
    """Lock the row and check the transition against the state as it is now."""
    current = (
        BondProject.objects.select_for_update(of=("self",))
        .select_related("applying_unit", "supervising_department", "batch", "investment_area")
        .get(pk=project.pk)
    )
    check_transition(project=current, by=by, name=name, **inputs)
    return current


def _finish(
    project: BondProject, by, name: str, *, target: str | None = None, note: str = "", **event
) -> BondProject:
    previous = project.state
    project.state = target or TRANSITIONS[name].target
    project.version += 1
    project.save()
    _record(project=project, by=by, transition=name, from_state=previous, note=note, **event)
    return project


def _record(
    *, project: BondProject, by, transition: str, from_state: str, note: str, **event
) -> ProjectEvent:
    return ProjectEvent.objects.create(
        project=project,
        transition=transition,
        from_state=from_state,
        to_state=project.state,
        by=by,
        note=note or "",
        batch=event.get("batch"),
        amount=event.get("amount"),
        data=event.get("data") or {},
    )


def _current_application(project: BondProject) -> BondApplication | None:
    return project.applications.filter(outcome=ApplicationOutcome.PENDING).order_by("-submitted_at").first()


@transaction.atomic
def start_draft(*, project: BondProject, by, note: str = "") -> BondProject:
    project = _begin(project, by, "start_draft")
    return _finish(project, by, "start_draft", note=note)


@transaction.atomic
def submit(*, project: BondProject, by, batch: BondBatch | None = None, note: str = "") -> BondProject:
    """Submit (or, after a return, resubmit in a later batch): opens an application in the batch."""
    project = _begin(project, by, "submit", batch=batch)
    BondApplication.objects.create(
        project=project, batch=batch, applied_amount=project.bond_demand, submitted_at=timezone.now()
    )
    project.batch = batch
    return _finish(project, by, "submit", note=note, batch=batch, amount=project.bond_demand)


def _approve(project: BondProject, by, name: str, note: str) -> BondProject:
    project = _begin(project, by, name)
    project = _finish(project, by, name, note=note, batch=project.batch)
    if project.state == ProjectState.APPROVED:
        application = _current_application(project)
        if application is not None:
            application.outcome = ApplicationOutcome.APPROVED
            application.decided_at = timezone.now()
            application.save()
    return project


@transaction.atomic
def unit_approve(*, project: BondProject, by, note: str = "") -> BondProject:
    return _approve(project, by, "unit_approve", note)


@transaction.atomic
def finance_approve(*, project: BondProject, by, note: str = "") -> BondProject:
    return _approve(project, by, "finance_approve", note)


@transaction.atomic
def province_approve(*, project: BondProject, by, note: str = "") -> BondProject:
    return _approve(project, by, "province_approve", note)


@transaction.atomic
def province_final_approve(*, project: BondProject, by, note: str = "") -> BondProject:
    return _approve(project, by, "province_final_approve", note)


@transaction.atomic
def ministry_approve(*, project: BondProject, by, note: str = "") -> BondProject:
    return _approve(project, by, "ministry_approve", note)


@transaction.atomic
def return_project(*, project: BondProject, by, reason: str = "") -> BondProject:
    """Send the project back with the reviewer's reasons; it may resubmit in a later batch."""
    if not (reason or "").strip():
        raise TransitionRefused(_("退回须说明理由。"))
    project = _begin(project, by, "return")
    application = _current_application(project)
    if application is not None:
        application.outcome = ApplicationOutcome.RETURNED
        application.decided_at = timezone.now()
        application.returned_at_state = project.state
        application.return_reason = reason.strip()
        application.save()
    return _finish(project, by, "return", note=reason.strip(), batch=project.batch)


def _positive(amount, *, label: str) -> Decimal:
    value = parse_amount(amount, label=label)
    if value <= 0:
        raise TransitionRefused(_("%(label)s应大于 0。") % {"label": label})
    return value


@transaction.atomic
def allocate_quota(
    *, project: BondProject, by, amount=None, allocated_on: date | None = None, note: str = ""
) -> BondProject:
    """Record the quota allocated (分配金额), which may be less than the amount applied for."""
    project = _begin(project, by, "allocate_quota")
    amount = _positive(amount, label=_("分配金额"))
    if amount > project.bond_demand:
        raise TransitionRefused(
            _("分配金额 %(amount)s 万元不能超过申请金额 %(applied)s 万元。")
            % {"amount": amount, "applied": project.bond_demand}
        )
    allocated_on = allocated_on or timezone.localdate()
    project.quota_allocated = amount
    application = (
        project.applications.filter(outcome=ApplicationOutcome.APPROVED).order_by("-submitted_at").first()
    )
    if application is not None:
        application.allocated_amount = amount
        application.allocated_on = allocated_on
        application.save()
    return _finish(
        project,
        by,
        "allocate_quota",
        note=note,
        amount=amount,
        batch=project.batch,
        data={"allocated_on": allocated_on.isoformat(), "applied": str(project.bond_demand)},
    )


@transaction.atomic
def record_issuance(
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
    project = _begin(project, by, "record_issuance")
    amount = _positive(amount if amount not in (None, "") else project.quota_allocated, label=_("发行金额"))
    if amount > project.quota_allocated:
        raise TransitionRefused(
            _("发行金额 %(amount)s 万元不能超过分配额度 %(quota)s 万元。")
            % {"amount": amount, "quota": project.quota_allocated}
        )
    if not (bond_code or "").strip() or issue_date is None or term_years is None or rate is None:
        raise TransitionRefused(_("请填写债券编码、发行日、期限和票面利率。"))
    debt = ProjectDebt(
        project=project,
        kind=DebtKind.BOND,
        principal=amount,
        rate=Decimal(str(rate)),
        issue_year=issue_date.year,
        term_years=int(term_years),
        instalments=_clean_instalments(instalments),
        is_issued=True,
        bond_code=bond_code.strip(),
        issue_date=issue_date,
    )
    debt.full_clean()
    _check_debt(debt)
    debt.save()
    project.issued_amount = amount
    return _finish(
        project,
        by,
        "record_issuance",
        amount=amount,
        data={
            "bond_code": debt.bond_code,
            "issue_date": issue_date.isoformat(),
            "term_years": debt.term_years,
            "rate": str(debt.rate),
        },
    )


@transaction.atomic
def record_onlending(
    *, project: BondProject, by, amount=None, onlent_on: date | None = None, note: str = ""
) -> BondProject:
    """The province lends the bond money on to the city or county (转贷)."""
    project = _begin(project, by, "record_onlending")
    amount = _positive(amount if amount not in (None, "") else project.issued_amount, label=_("转贷金额"))
    if amount > project.issued_amount:
        raise TransitionRefused(
            _("转贷金额不能超过已发行金额 %(issued)s 万元。") % {"issued": project.issued_amount}
        )
    project.onlent_amount = amount
    project.onlent_on = onlent_on or timezone.localdate()
    return _finish(
        project,
        by,
        "record_onlending",
        note=note,
        amount=amount,
        data={"onlent_on": project.onlent_on.isoformat()},
    )


@transaction.atomic
def record_disbursement(
    *, project: BondProject, by, amount=None, paid_on: date | None = None, note: str = ""
) -> BondProject:
    """One tranche paid to the project; the tranches together may not exceed the money lent on."""
    project = _begin(project, by, "record_disbursement")
    amount = _positive(amount, label=_("拨付金额"))
    ceiling = project.onlent_amount or project.issued_amount
    if project.disbursed_amount + amount > ceiling:
        raise TransitionRefused(
            _("累计拨付 %(total)s 万元将超过转贷金额 %(ceiling)s 万元。")
            % {"total": project.disbursed_amount + amount, "ceiling": ceiling}
        )
    paid_on = paid_on or timezone.localdate()
    Disbursement.objects.create(project=project, paid_on=paid_on, amount=amount, note=note)
    project.disbursed_amount += amount
    # A tranche paid while spending is under way keeps the project in SPENDING.
    target = ProjectState.SPENDING if project.state == ProjectState.SPENDING else ProjectState.DISBURSING
    return _finish(
        project,
        by,
        "record_disbursement",
        target=target,
        note=note,
        amount=amount,
        data={"paid_on": paid_on.isoformat()},
    )


@transaction.atomic
def record_spending(
    *, project: BondProject, by, amount=None, spent_on: date | None = None, note: str = ""
) -> BondProject:
    """Money spent on the works; when all issued money is spent the project is SPENT."""
    project = _begin(project, by, "record_spending")
    amount = _positive(amount, label=_("支出金额"))
    if project.spent_amount + amount > project.disbursed_amount:
        raise TransitionRefused(
            _("累计支出 %(total)s 万元将超过已拨付 %(disbursed)s 万元。")
            % {"total": project.spent_amount + amount, "disbursed": project.disbursed_amount}
        )
    spent_on = spent_on or timezone.localdate()
    Spending.objects.create(project=project, spent_on=spent_on, amount=amount, note=note)
    project.spent_amount += amount
    target = ProjectState.SPENT if project.spent_amount >= project.issued_amount else ProjectState.SPENDING
    return _finish(
        project,
        by,
        "record_spending",
        target=target,
        note=note,
        amount=amount,
        data={"spent_on": spent_on.isoformat()},
    )


# One service per transition: pages and the API dispatch through this table.
SERVICES = {
    "start_draft": start_draft,
    "submit": submit,
    "unit_approve": unit_approve,
    "finance_approve": finance_approve,
    "province_approve": province_approve,
    "province_final_approve": province_final_approve,
    "ministry_approve": ministry_approve,
    "return": return_project,
    "allocate_quota": allocate_quota,
    "record_issuance": record_issuance,
    "record_onlending": record_onlending,
    "record_disbursement": record_disbursement,
    "record_spending": record_spending,
}
assert set(SERVICES) == set(TRANSITIONS)


def available_transitions(*, project: BondProject, user) -> list:
    """The transitions this user may attempt now (role and state; guards are checked on submit)."""
    return [t for t in TRANSITIONS.values() if may(user, project, t)]


def totals_match(project: BondProject) -> bool:
    """The running totals equal the tranche rows (a consistency check for tests and repairs)."""
    disbursed = project.disbursements.aggregate(s=Sum("amount"))["s"] or ZERO
    spent = project.spendings.aggregate(s=Sum("amount"))["s"] or ZERO
    return disbursed == project.disbursed_amount and spent == project.spent_amount
