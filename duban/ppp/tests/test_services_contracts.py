"""Contracts, payments and obligations: the payment formulas, and the obligation's life cycle table."""

import datetime
from decimal import Decimal

import pytest

from duban.core.errors import Invalid, NotPermitted, TransitionRefused
from duban.ppp import services
from duban.ppp.models import Obligation, PaymentRule

pytestmark = pytest.mark.django_db
TODAY = datetime.date.today()


@pytest.fixture
def obligation(city, project):
    return services.obligation_create(
        project=project, by=city.finance_user, side="social", kind="capital", title="资本金到位", due_on=TODAY
    )


def test_the_liaison_marks_an_obligation_fulfilled_but_only_the_managers_record_a_breach(city, obligation):
    with pytest.raises(NotPermitted):
        services.obligation_breach(obligation=obligation, by=city.liaison)
    services.obligation_fulfil(obligation=obligation, by=city.liaison)
    obligation.refresh_from_db()
    assert obligation.state == "fulfilled"
    assert obligation.done_on == TODAY


def test_an_obligation_cannot_jump_to_a_state_outside_the_table(city, obligation):
    services.obligation_transition(obligation=obligation, by=city.office, state="waived")
    with pytest.raises(TransitionRefused):
        services.obligation_transition(obligation=obligation, by=city.office, state="fulfilled")


def test_an_unknown_state_is_refused_naming_the_field(city, obligation):
    with pytest.raises(Invalid) as refused:
        services.obligation_transition(obligation=obligation, by=city.office, state="forgotten")
    assert "state" in refused.value.fields


@pytest.mark.parametrize("who", ["county_liaison", "housing_liaison", "leader_user"])
def test_only_the_implementing_agency_and_the_managers_mark_an_obligation(city, obligation, who):
    with pytest.raises(NotPermitted):
        services.obligation_fulfil(obligation=obligation, by=getattr(city, who))


def test_each_step_writes_the_obligations_new_state_on_the_timeline(city, obligation):
    services.obligation_fulfil(obligation=obligation, by=city.liaison, done_on=TODAY)
    services.obligation_reopen(obligation=obligation, by=city.office, note="误报")
    obligation.refresh_from_db()
    assert (obligation.state, obligation.done_on, obligation.note) == ("open", None, "误报")
    texts = list(obligation.project.events.filter(kind="obligation").values_list("text", flat=True))
    assert texts[:2] == ["义务“资本金到位”：待履行", "义务“资本金到位”：已履行"]


def test_a_long_overdue_obligation_stalls_the_project(city, project):
    services.obligation_create(
        project=project,
        by=city.office,
        side="social",
        kind="milestone",
        title="主体完工",
        due_on=TODAY - datetime.timedelta(days=200),
    )
    project.refresh_from_db()
    assert project.project_class == "stalled"


def _record(project, by, year, score, paid):
    return services.payment_year_record(
        project=project, by=by, year=year, score=Decimal(score), budgeted=Decimal(1200), paid=Decimal(paid)
    )


def test_a_score_of_eighty_pays_in_full_and_below_it_the_contract_coefficient(city, project):
    services.payment_rule_set(
        project=project,
        by=city.finance_user,
        full_payment_score=Decimal(80),
        bands=[{"min_score": 60, "coefficient": "0.9"}],
        annual_construction_payment=Decimal(1000),
        annual_operating_payment=Decimal(200),
    )
    full = _record(project, city.finance_user, 2023, 85, 1200)
    reduced = _record(project, city.finance_user, 2024, 70, 500)
    assert (full.coefficient, full.due) == (Decimal(1), Decimal("1200.00"))
    assert (reduced.coefficient, reduced.due) == (Decimal("0.9"), Decimal("1080.00"))
    assert reduced.arrears == Decimal("580.00")
    project.refresh_from_db()
    assert project.project_class == "rectify"


def test_the_seventy_thirty_formula_follows_the_contract(city, project):
    rule = services.payment_rule_set(
        project=project,
        by=city.office,
        formula=PaymentRule.Formula.LINKED_70_30,
        full_payment_score=Decimal(80),
        bands=[{"min_score": 0, "coefficient": "0.5"}],
        linked_share=Decimal("0.3"),
        annual_construction_payment=Decimal(1000),
        annual_operating_payment=Decimal(100),
    )
    # 0.5 × 1000 × 0.7 + 0.5 × (100 + 1000 × 0.3) = 350 + 200
    assert services.amount_due(rule=rule, score=Decimal(50)) == (Decimal("0.5"), Decimal("550.00"))


def test_less_than_thirty_percent_linked_puts_the_project_up_for_withdrawal(city, project):
    services.payment_rule_set(
        project=project, by=city.office, formula=PaymentRule.Formula.LINKED_70_30, linked_share=Decimal("0.2")
    )
    project.refresh_from_db()
    assert project.project_class == "withdraw"


def test_a_contract_document_of_a_forbidden_type_is_refused(city, project):
    from django.core.files.uploadedfile import SimpleUploadedFile

    with pytest.raises(Invalid) as refused:
        services.contract_add(
            project=project,
            by=city.office,
            kind="main",
            title="合同",
            signed_on=TODAY,
            document=SimpleUploadedFile("合同.exe", b"MZ"),
        )
    assert "document" in refused.value.fields
    assert not project.contracts.exists()


def test_the_liaison_cannot_add_obligations(city, project):
    with pytest.raises(NotPermitted):
        services.obligation_create(
            project=project, by=city.liaison, side="social", kind="capital", title="x", due_on=TODAY
        )
    assert not Obligation.objects.exists()
