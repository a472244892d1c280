"""A project's debts: refused when the balance test could not use them; an issued bond stays."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from duban.bonds import services
from duban.core.errors import NotPermitted

LOAN = {
    "kind": "market",
    "lender": "银行",
    "principal": Decimal(1000),
    "rate": Decimal("0.04"),
    "issue_year": 2021,
}


def test_a_debt_the_balance_test_cannot_use_is_refused_in_chinese(city, project):
    with pytest.raises(ValidationError, match="还本比例之和"):
        services.debt_save(
            project=project, by=city.liaison, term_years=10, instalments={2025: "0.5", 2026: "0.4"}, **LOAN
        )
    assert not project.debts.exists()


def test_instalments_are_stored_by_year_as_text(city, project):
    instalments = {2025: Decimal("0.5"), 2026: "0.5"}
    debt = services.debt_save(
        project=project, by=city.liaison, term_years=10, instalments=instalments, **LOAN
    )
    assert debt.instalments == {"2025": "0.5", "2026": "0.5"}


def test_an_issued_bond_stays(city, project):
    debt = services.debt_save(project=project, by=city.finance_user, term_years=10, **LOAN)
    debt.is_issued = True
    debt.save()
    with pytest.raises(NotPermitted):
        services.debt_delete(by=city.finance_user, debt=debt)
