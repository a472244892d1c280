"""A project's debts: the bonds it plans or was issued, and its market loans, each with a repayment
schedule the balance test can use."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from duban.core.errors import NotFound
from duban.core.rules import require

from ..balance import BalanceInputError, validate_debt
from ..messages import input_error_message
from ..models import BondProject, ProjectDebt
from ..rules import may_delete_debt, may_edit_project
from ..selectors import debt_to_balance


def clean_instalments(instalments) -> dict[str, str]:
    """{2026: 0.2, …} → {"2026": "0.2", …}, as the debt stores them; empty means a bullet."""
    cleaned = {}
    for year, fraction in (instalments or {}).items():
        try:
            cleaned[str(int(year))] = str(Decimal(str(fraction)))
        except (InvalidOperation, ValueError) as error:
            raise ValidationError(_("分期还本应写作“年份:比例”，如 2026:0.2。")) from error
    return cleaned


def debt_check(debt: ProjectDebt) -> None:
    """Validate the debt and run the balance test's own checks on it (rate, term, instalments summing
    to one), so that a debt the test cannot use is refused when entered, in Chinese."""
    debt.full_clean()
    try:
        validate_debt(debt_to_balance(debt), "debt")
    except BalanceInputError as error:
        raise ValidationError(input_error_message(error)) from error


@transaction.atomic
def debt_save(*, project: BondProject, by, debt: ProjectDebt | None = None, **fields) -> ProjectDebt:
    require(may_edit_project, by, project)
    debt = debt or ProjectDebt(project=project)
    if debt.project_id != project.pk:
        raise NotFound
    for name, value in fields.items():
        setattr(debt, name, clean_instalments(value) if name == "instalments" else value)
    debt_check(debt)
    debt.save()
    return debt


def debt_delete(*, by, debt: ProjectDebt) -> None:
    require(may_delete_debt, by, debt)
    debt.delete()
