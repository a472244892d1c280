"""Contracts and what they commit the parties to: the contracts themselves, the payment rule and the
payments by year (财金〔2019〕10号: fully linked to performance), and the obligations with their life
cycle (`workflow.OBLIGATIONS`)."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from duban.core.rules import require

from .. import rules, selectors
from ..models import Contract, Obligation, PaymentRule, PaymentYear, PPPProject
from ..payments import payment_due, performance_payment
from ..workflow import OBLIGATION_STEP_TO, OBLIGATIONS
from .classification import project_reclassify
from .common import check_document, invalid, locked, project_event, saved, today, upserted


@transaction.atomic
def contract_add(*, project: PPPProject, by, document=None, **fields) -> Contract:
    require(rules.is_manager, by, project)
    check_document(document)
    contract = saved(Contract(project=project, document=document or "", **fields))
    project_event(project, by=by, kind="contract", text=_("登记合同：%(title)s") % {"title": contract.title})
    return contract


@transaction.atomic
def payment_rule_set(*, project: PPPProject, by, **fields) -> PaymentRule:
    require(rules.is_manager, by, project)
    rule = upserted(PaymentRule, key={"project": project}, fields=fields)
    project_event(project, by=by, kind="payment_rule", text=_("设定付费规则"))
    project_reclassify(project=project)
    return rule


def amount_due(*, rule: PaymentRule, score: Decimal) -> tuple[Decimal, Decimal]:
    """The coefficient the year's score earns and the amount due under the contract's formula (§2.4)."""
    performance = rule.performance()
    coefficient = performance.coefficient(score=score)
    if rule.formula == PaymentRule.Formula.LINKED_70_30:
        due = performance_payment(
            construction_payment=rule.annual_construction_payment,
            operating_cost=rule.annual_operating_payment,
            construction_coefficient=coefficient,
            operating_coefficient=coefficient,
            linked_share=rule.linked_share,
        )
    else:
        full = rule.annual_construction_payment + rule.annual_operating_payment
        due = payment_due(rule=performance, score=score, full_amount=full)
    return coefficient, due.quantize(Decimal("0.01"))


@transaction.atomic
def payment_year_record(
    *, project: PPPProject, by, year: int, score=None, budgeted=Decimal(0), paid=Decimal(0), due=None
) -> PaymentYear:
    """Record a year's score, budget and payment; the amount due follows from the score and the rule."""
    require(rules.is_manager, by, project)
    fields = {"score": score, "budgeted": budgeted, "paid": paid}
    rule = selectors.payment_rule_of(project)
    if score is not None and rule is not None:
        fields["coefficient"], fields["due"] = amount_due(rule=rule, score=Decimal(score))
    elif due is not None:
        fields["due"] = due
    record = upserted(PaymentYear, key={"project": project, "year": year}, fields=fields)
    text = _("%(year)d 年度付费：应付 %(due)s，已付 %(paid)s 万元") % {
        "year": year,
        "due": record.due,
        "paid": paid,
    }
    project_event(project, by=by, kind="payment", text=text)
    project_reclassify(project=project)
    return record


# --- obligations ------------------------------------------------------------------------------------


@transaction.atomic
def obligation_create(*, project: PPPProject, by, **fields) -> Obligation:
    require(rules.is_manager, by, project)
    obligation = saved(Obligation(project=project, **fields))
    text = _("新增合同义务：%(title)s") % {"title": obligation.title}
    project_event(project, by=by, kind="obligation", text=text)
    project_reclassify(project=project)
    return obligation


def _obligation_step(obligation: Obligation, name: str, *, by, note: str = "", done_on=None) -> Obligation:
    """Lock, check the table, move (state, timeline event) and reclassify the project."""
    current = locked(obligation)
    transition = OBLIGATIONS.check(by, current, name)
    current.done_on = done_on
    if note:
        current.note = note
    state = Obligation.State(transition.target).label
    text = _("义务“%(title)s”：%(state)s") % {"title": current.title, "state": state}
    OBLIGATIONS.move(current, transition, by=by, note=note, text=text)
    project_reclassify(project=current.project)
    return current


@transaction.atomic
def obligation_fulfil(*, obligation: Obligation, by, done_on=None, note: str = "") -> Obligation:
    """The obligation was met (on `done_on`, today by default)."""
    return _obligation_step(obligation, "fulfil", by=by, note=note, done_on=done_on or today())


@transaction.atomic
def obligation_breach(*, obligation: Obligation, by, note: str = "") -> Obligation:
    return _obligation_step(obligation, "breach", by=by, note=note)


@transaction.atomic
def obligation_waive(*, obligation: Obligation, by, note: str = "") -> Obligation:
    return _obligation_step(obligation, "waive", by=by, note=note)


@transaction.atomic
def obligation_reopen(*, obligation: Obligation, by, note: str = "") -> Obligation:
    """A fulfilment recorded by mistake: the obligation is owed again."""
    return _obligation_step(obligation, "reopen", by=by, note=note)


OBLIGATION_SERVICES = {
    "fulfil": obligation_fulfil,
    "breach": obligation_breach,
    "waive": obligation_waive,
    "reopen": obligation_reopen,
}


def obligation_transition(
    *, obligation: Obligation, by, state: str, done_on=None, note: str = ""
) -> Obligation:
    """Bring the obligation to `state` (pages and the API name the state they want)."""
    name = OBLIGATION_STEP_TO.get(state)
    if name is None:
        raise invalid("state", _("无效的义务状态。"))
    extra = {"done_on": done_on} if name == "fulfil" else {}
    return OBLIGATION_SERVICES[name](obligation=obligation, by=by, note=note, **extra)
