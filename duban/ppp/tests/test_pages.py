"""The PPP pages: what each role sees and may do, the register's filters and query count, and a review
campaign run from start to rectification through the pages alone."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from duban.ppp.models import BudgetYear, ContractReview, PPPProject, RectificationTask, ReviewCampaign
from duban.ppp.tests.factories import make_candidate, make_project, sign
from duban.tests.lists import assert_queries_do_not_grow

pytestmark = pytest.mark.django_db
TODAY = datetime.date.today()


# --- who sees what ------------------------------------------------------------------------------


def test_the_register_shows_a_liaison_only_their_units_projects(city, client_for, project, housing_project):
    page = client_for(city.liaison).get(reverse("ppp:project_list")).content.decode()
    assert project.name in page
    assert housing_project.name not in page


def test_the_finance_reviewer_sees_every_project(city, client_for, project, housing_project):
    page = client_for(city.finance_user).get(reverse("ppp:project_list")).content.decode()
    assert project.name in page and housing_project.name in page


def test_a_liaison_of_another_unit_gets_404_on_the_project_page(city, client_for, project):
    assert (
        client_for(city.housing_liaison).get(reverse("ppp:project_detail", args=[project.pk])).status_code
        == 404
    )


def test_the_county_sees_its_projects_page(city, client_for, project):
    assert (
        client_for(city.county_liaison).get(reverse("ppp:project_detail", args=[project.pk])).status_code
        == 200
    )


def test_the_project_page_shows_timeline_and_reasons(city, client_for, project):
    page = client_for(city.liaison).get(reverse("ppp:project_detail", args=[project.pk])).content.decode()
    assert "财政承受能力论证" in page and "项目移交" in page
    assert "11,591.00" in page  # the year-1 viability-gap subsidy of §2.2


@pytest.mark.parametrize(
    "name",
    [
        "ppp:project_edit",
        "ppp:contract_add",
        "ppp:payment_rule_edit",
        "ppp:payment_year_add",
        "ppp:obligation_add",
    ],
)
def test_a_liaison_cannot_open_the_managers_forms_on_their_own_project(city, client_for, project, name):
    assert client_for(city.liaison).get(reverse(name, args=[project.pk])).status_code == 403


@pytest.mark.parametrize("name", ["ppp:project_create", "ppp:project_import", "ppp:campaign_create"])
def test_a_liaison_cannot_open_the_managers_pages(city, client_for, name):
    assert client_for(city.liaison).get(reverse(name)).status_code == 403


def test_a_liaison_cannot_reclassify_the_programme(city, client_for):
    assert client_for(city.liaison).post(reverse("ppp:reclassify")).status_code == 403


@pytest.mark.parametrize("name", ["ppp:campaign_list", "ppp:affordability"])
def test_the_programme_pages_are_closed_to_liaisons(city, client_for, name):
    assert client_for(city.liaison).get(reverse(name)).status_code == 403


def test_the_leader_sees_the_affordability_page(city, client_for):
    assert client_for(city.leader_user).get(reverse("ppp:affordability")).status_code == 200


def test_the_finance_reviewer_cannot_override_the_class(city, client_for, project):
    response = client_for(city.finance_user).post(
        reverse("ppp:project_override", args=[project.pk]), {"project_class": "stalled", "reason": "x"}
    )
    assert response.status_code == 403


def test_the_office_overrides_the_class_with_a_reason_through_the_page(city, client_for, project):
    client_for(city.office).post(
        reverse("ppp:project_override", args=[project.pk]), {"project_class": "stalled", "reason": "征地受阻"}
    )
    project.refresh_from_db()
    assert project.project_class == "stalled" and project.override_reason == "征地受阻"


def test_the_liaison_updates_a_step_of_their_project(city, client_for, project):
    step = project.steps.first()
    response = client_for(city.liaison).post(
        reverse("ppp:step_edit", args=[step.pk]),
        {"done_on": "2025-03-01", "document_title": "立项批复", "note": ""},
    )
    assert response.status_code == 302
    step.refresh_from_db()
    assert step.done_on == datetime.date(2025, 3, 1)


def test_another_units_liaison_cannot_update_a_step(city, client_for, project):
    step = project.steps.first()
    response = client_for(city.housing_liaison).post(
        reverse("ppp:step_edit", args=[step.pk]), {"done_on": "2025-03-01"}
    )
    assert response.status_code in (403, 404)
    step.refresh_from_db()
    assert step.done_on is None


def test_the_county_liaison_cannot_update_a_step(city, client_for, project):
    step = project.steps.first()
    assert client_for(city.county_liaison).get(reverse("ppp:step_edit", args=[step.pk])).status_code == 403


def test_the_affordability_page_draws_the_chart_against_the_lines(city, client_for, project):
    BudgetYear.objects.create(year=2020, expenditure=Decimal(300000))
    page = client_for(city.finance_user).get(reverse("ppp:affordability")).content.decode()
    assert "vendor/echarts/echarts.min.js" in page
    assert '"cap": 10.0' in page and '"warning": 7.0' in page and '"gate": 5.0' in page


def test_the_what_if_check_answers_on_the_affordability_page(city, client_for, project):
    BudgetYear.objects.create(year=2020, expenditure=Decimal(300000))
    candidate = make_candidate(
        implementing_agency=city.finance,
        by=city.office,
    )
    page = (
        client_for(city.office).get(reverse("ppp:affordability"), {"project": candidate.pk}).content.decode()
    )
    assert "不得新增" in page


def test_the_what_if_check_offers_only_projects_not_counted_yet(city, client_for, project):
    BudgetYear.objects.create(year=2020, expenditure=Decimal(300000))
    candidate = make_candidate(implementing_agency=city.finance, by=city.office)
    page = client_for(city.office).get(reverse("ppp:affordability"))
    assert list(page.context["form"].fields["project"].queryset) == [candidate]
    page = client_for(city.office).get(reverse("ppp:affordability"), {"project": project.pk})
    assert "check" not in page.context


def test_the_what_if_check_refuses_a_project_already_counted(city, project):
    from duban.core.errors import Invalid
    from duban.ppp import fiscal

    BudgetYear.objects.create(year=2020, expenditure=Decimal(300000))
    with pytest.raises(Invalid, match="已纳入财政承受能力测算"):
        fiscal.what_if(project=project)


# --- a campaign from start to rectification, through the pages ----------------------------------


def test_a_review_campaign_runs_from_start_to_rectification_through_the_pages(city, client_for, project):
    sign(project, by=city.office)
    finance = client_for(city.finance_user)
    response = finance.post(
        reverse("ppp:campaign_create"), {"name": "2026年合同履约审查", "year": 2026, "due_on": "2026-12-31"}
    )
    campaign = ReviewCampaign.objects.get()
    assert response.url == reverse("ppp:campaign_detail", args=[campaign.pk])
    finance.post(reverse("ppp:campaign_start", args=[campaign.pk]))
    review = ContractReview.objects.get(campaign=campaign)
    assert review.items.count() == 23

    # The checklist: one issue, everything else in order.
    items = list(review.items.all())
    data = {"items-TOTAL_FORMS": len(items), "items-INITIAL_FORMS": len(items)}
    for index, item in enumerate(items):
        data[f"items-{index}-id"] = item.pk
        data[f"items-{index}-result"] = "issue" if item.code == "P2" else "ok"
        data[f"items-{index}-note"] = "2025年度欠付" if item.code == "P2" else ""
    assert finance.post(reverse("ppp:review_detail", args=[review.pk]), data).status_code == 302
    p2 = review.items.get(code="P2")
    finance.post(
        reverse("ppp:finding_add", args=[review.pk]),
        {"item": p2.pk, "severity": "major", "description": "2025年度可用性付费欠付580万元"},
    )
    finance.post(
        reverse("ppp:review_rate", args=[review.pk]), {"rating": "basic", "conclusion": "基本履约，存在欠付"}
    )
    finding = review.findings.get()
    finance.post(
        reverse("ppp:task_create", args=[review.pk]),
        {
            "finding": finding.pk,
            "owner_unit": city.finance.pk,
            "title": "补足2025年度欠付",
            "deadline": "2026-09-30",
            "requirement": "纳入预算并支付",
        },
    )
    review.refresh_from_db()
    assert review.state == "rectifying"
    task = RectificationTask.objects.get()
    project.refresh_from_db()
    assert project.project_class == "rectify"

    # The campaign page shows the progress across projects.
    page = finance.get(reverse("ppp:campaign_detail", args=[campaign.pk])).content.decode()
    assert project.name in page and "整改中" in page

    # The owner unit reports; another unit cannot.
    assert (
        client_for(city.housing_liaison)
        .post(reverse("ppp:task_detail", args=[task.pk]), {"expected_version": task.version, "response": "x"})
        .status_code
        == 404
    )
    liaison = client_for(city.liaison)
    assert liaison.post(reverse("ppp:task_accept", args=[task.pk])).status_code == 403
    liaison.post(
        reverse("ppp:task_detail", args=[task.pk]),
        {"expected_version": task.version, "response": "已于9月支付"},
    )
    task.refresh_from_db()
    assert task.state == "submitted"

    finance = client_for(city.finance_user)
    finance.post(reverse("ppp:task_accept", args=[task.pk]))
    task.refresh_from_db()
    finding.refresh_from_db()
    assert task.state == "done" and finding.resolved
    finance.post(reverse("ppp:review_close", args=[review.pk]))
    finance.post(reverse("ppp:campaign_close", args=[campaign.pk]))
    review.refresh_from_db()
    campaign.refresh_from_db()
    project.refresh_from_db()
    assert (review.state, campaign.state, project.project_class) == ("closed", "closed", "normal")


def test_rating_is_refused_while_checklist_items_are_unchecked(city, client_for, project):
    sign(project, by=city.office)
    finance = client_for(city.finance_user)
    campaign = ReviewCampaign.objects.create(name="审查", year=2026, due_on=TODAY)
    finance.post(reverse("ppp:campaign_start", args=[campaign.pk]))
    review = ContractReview.objects.get()
    finance.post(reverse("ppp:review_rate", args=[review.pk]), {"rating": "good", "conclusion": ""})
    review.refresh_from_db()
    assert review.state == "pending" and review.rating == ""


def test_a_liaison_cannot_rate_or_add_findings(city, client_for, project):
    sign(project, by=city.office)
    campaign = ReviewCampaign.objects.create(name="审查", year=2026, due_on=TODAY)
    client_for(city.office).post(reverse("ppp:campaign_start", args=[campaign.pk]))
    review = ContractReview.objects.get()
    liaison = client_for(city.liaison)
    assert liaison.get(reverse("ppp:review_detail", args=[review.pk])).status_code == 200
    assert liaison.post(reverse("ppp:review_rate", args=[review.pk]), {"rating": "good"}).status_code == 403
    assert (
        liaison.post(
            reverse("ppp:finding_add", args=[review.pk]), {"severity": "minor", "description": "x"}
        ).status_code
        == 403
    )
    assert liaison.post(reverse("ppp:review_detail", args=[review.pk]), {}).status_code == 403
    assert liaison.post(reverse("ppp:campaign_start", args=[campaign.pk])).status_code == 404


# --- parameters and timetable -------------------------------------------------------------------


def test_the_finance_reviewer_adds_dated_thresholds_and_budget_years(city, client_for):
    from duban.ppp.models import ThresholdSet

    client = client_for(city.finance_user)
    client.post(
        reverse("ppp:parameters"),
        {
            "which": "thresholds",
            "thresholds-valid_from": "2025-01-01",
            "thresholds-cap": "9",  # typed in percent
            "thresholds-warning": "6",
            "thresholds-gov_pay_gate": "5",
        },
    )
    client.post(
        reverse("ppp:parameters"),
        {"which": "budget", "budget-year": "2024", "budget-expenditure": "410000", "budget-is_actual": "on"},
    )
    assert ThresholdSet.objects.get().cap == Decimal("0.09")
    assert BudgetYear.objects.get().expenditure == Decimal(410000)


def test_a_warning_above_the_cap_is_refused(city, client_for):
    from duban.ppp.models import ThresholdSet

    client_for(city.office).post(
        reverse("ppp:parameters"),
        {
            "which": "thresholds",
            "thresholds-valid_from": "2025-01-01",
            "thresholds-cap": "0.05",
            "thresholds-warning": "0.07",
            "thresholds-gov_pay_gate": "0.05",
        },
    )
    assert not ThresholdSet.objects.exists()


def test_the_leader_reads_the_parameters_but_cannot_change_them(city, client_for):
    client = client_for(city.leader_user)
    assert client.get(reverse("ppp:parameters")).status_code == 200
    response = client.post(
        reverse("ppp:parameters"), {"which": "budget", "budget-year": "2024", "budget-expenditure": "1"}
    )
    assert response.status_code == 403
    assert not BudgetYear.objects.exists()


def test_a_liaison_cannot_open_the_parameters(city, client_for):
    assert client_for(city.liaison).get(reverse("ppp:parameters")).status_code == 403


def test_the_leader_follows_the_campaigns(city, client_for, project):
    campaign = ReviewCampaign.objects.create(name="2026年度审查", year=2026, due_on=TODAY)
    client = client_for(city.leader_user)
    assert "2026年度审查" in client.get(reverse("ppp:campaign_list")).content.decode()
    assert client.get(reverse("ppp:campaign_detail", args=[campaign.pk])).status_code == 200
    assert client.post(reverse("ppp:campaign_start", args=[campaign.pk])).status_code == 403


def test_the_timetable_groups_projects_by_class_with_their_next_step(
    city, client_for, project, housing_project
):
    PPPProject.objects.filter(pk=housing_project.pk).update(project_class="stalled")
    page = client_for(city.liaison).get(reverse("ppp:timetable")).content.decode()
    assert project.name in page and "项目发起" in page
    assert housing_project.name not in page


def test_the_timetable_page_queries_do_not_grow(city, client_for):
    make_project(implementing_agency=city.finance, by=city.office)

    def more():
        for index in range(5):
            make_project(implementing_agency=city.housing, by=city.office, name=f"项目{index}")

    assert_queries_do_not_grow(client_for(city.office), reverse("ppp:timetable"), add_rows=more, most=12)


def test_the_manager_records_expenditure_and_shareholders_but_the_liaison_cannot(city, client_for, project):
    assert client_for(city.liaison).get(reverse("ppp:expenditure_add", args=[project.pk])).status_code == 403
    assert client_for(city.liaison).get(reverse("ppp:shareholder_add", args=[project.pk])).status_code == 403
    client = client_for(city.finance_user)
    client.post(
        reverse("ppp:expenditure_add", args=[project.pk]),
        {"which": "amount", "amount-year": 2020, "amount-kind": "equity", "amount-amount": "2400"},
    )
    client.post(
        reverse("ppp:shareholder_add", args=[project.pk]),
        {"name": "云泽城投", "side": "government", "share": "10", "capital": "2400"},
    )
    assert project.expenditure_plans.get().amount == Decimal(2400)
    assert project.shareholders.get().share == Decimal("0.1")  # typed in percent


def test_a_step_document_of_a_forbidden_type_is_refused(city, client_for, project):
    from django.core.files.uploadedfile import SimpleUploadedFile

    step = project.steps.first()
    upload = SimpleUploadedFile("批复.exe", b"MZ\x90\x00", content_type="application/octet-stream")
    response = client_for(city.liaison).post(
        reverse("ppp:step_edit", args=[step.pk]), {"done_on": "2025-03-01", "document": upload}
    )
    assert response.status_code == 200
    step.refresh_from_db()
    assert step.done_on is None and not step.document


def test_a_stale_edit_of_a_project_is_refused_and_says_what_changed(city, client_for, project):
    from duban.ppp.services import PROJECT_FIELDS, project_update

    stale = project.version
    project_update(
        project=project, by=city.finance_user, expected_version=stale, spv_name="云泽碧水环境有限公司"
    )
    data = {name: getattr(project, name) for name in PROJECT_FIELDS}
    data = {k: (v.pk if hasattr(v, "pk") else ("" if v is None else v)) for k, v in data.items()}
    data.update({"name": "我的改名", "spv_name": "", "expected_version": stale, "in_library": "on"})
    data.update(
        {rate: getattr(project, rate) * 100 for rate in ("profit_rate", "discount_rate")}
    )  # in percent
    data.pop("counted_in_affordability")
    response = client_for(city.office).post(reverse("ppp:project_edit", args=[project.pk]), data)
    assert response.status_code == 200
    assert "云泽碧水环境有限公司" in response.content.decode()
    project.refresh_from_db()
    assert project.name != "我的改名"


def test_risk_is_worked_out_by_the_scenario_method_for_each_year(city, client_for, project):
    data = {
        "which": "method",
        "method-method": "risk_scenarios",
        "method-first_year": 2021,
        "method-last_year": 2023,
        "method-base_amount": "100",
        "method-base_probability": "70",
        "method-adverse_amount": "300",
        "method-adverse_probability": "20",
        "method-worst_amount": "1000",
        "method-worst_probability": "10",
    }
    client_for(city.finance_user).post(reverse("ppp:expenditure_add", args=[project.pk]), data)
    # Probabilities typed in percent: 100 × 70% + 300 × 20% + 1000 × 10%
    assert list(project.expenditure_plans.values_list("year", "amount")) == [
        (2021, Decimal("230.00")),
        (2022, Decimal("230.00")),
        (2023, Decimal("230.00")),
    ]


def test_scenario_probabilities_must_add_up_to_one(city, client_for, project):
    data = {
        "which": "method",
        "method-method": "risk_scenarios",
        "method-first_year": 2021,
        "method-base_amount": "100",
        "method-base_probability": "50",
        "method-adverse_amount": "300",
        "method-adverse_probability": "20",
        "method-worst_amount": "1000",
        "method-worst_probability": "10",
    }
    response = client_for(city.finance_user).post(reverse("ppp:expenditure_add", args=[project.pk]), data)
    assert response.status_code == 200
    assert not project.expenditure_plans.exists()


def test_equity_follows_the_government_share_of_the_spv(city, client_for, project):
    from duban.ppp import services

    services.project_update(
        project=project, by=city.office, expected_version=project.version, project_capital=Decimal(24000)
    )
    services.shareholder_add(
        project=project, by=city.office, name="城投", side="government", share=Decimal("0.1")
    )
    services.shareholder_add(
        project=project, by=city.office, name="社会资本", side="social", share=Decimal("0.9")
    )
    client_for(city.finance_user).post(
        reverse("ppp:expenditure_add", args=[project.pk]),
        {"which": "method", "method-method": "equity", "method-first_year": 2020},
    )
    assert project.expenditure_plans.get().amount == Decimal("2400.00")


def test_risk_by_ratio_and_supporting_inputs(city, client_for, project):
    client = client_for(city.finance_user)
    url = reverse("ppp:expenditure_add", args=[project.pk])
    client.post(
        url,
        {
            "which": "method",
            "method-method": "risk_ratio",
            "method-first_year": 2021,
            "method-base_cost": "100000",
            "method-ratio": "0.2",
        },
    )
    client.post(
        url,
        {
            "which": "method",
            "method-method": "supporting",
            "method-first_year": 2020,
            "method-input_cost": "800",
            "method-fees": "300",
        },
    )
    assert {(p.kind, p.amount) for p in project.expenditure_plans.all()} == {
        ("risk", Decimal("200.00")),
        ("supporting", Decimal("500.00")),
    }


def test_an_obligations_form_offers_the_steps_its_table_allows_the_user(city, client_for, project):
    from duban.ppp import services

    services.obligation_create(
        project=project, by=city.office, side="social", kind="capital", title="x", due_on=TODAY
    )
    url = reverse("ppp:project_detail", args=[project.pk])
    liaison = client_for(city.liaison).get(url).content.decode()
    finance = client_for(city.finance_user).get(url).content.decode()
    county = client_for(city.county_liaison).get(url).content.decode()
    assert '<option value="fulfilled">确认履行</option>' in liaison and 'value="breached"' not in liaison
    assert 'value="breached"' in finance and 'value="waived"' in finance
    assert 'name="state"' not in county


def post_on_review_page(client, review, action, data):
    """Post a button of the review's page as the browser does (saying where it came from)."""
    page = reverse("ppp:review_detail", args=[review.pk])
    return client.post(
        reverse(action, args=[review.pk]), data, HTTP_REFERER=f"http://testserver{page}", follow=True
    )


def test_a_refused_button_lands_back_on_its_page_with_the_reason(city, client_for, review):
    response = post_on_review_page(
        client_for(city.finance_user), review, "ppp:review_rate", {"rating": "good"}
    )
    assert response.redirect_chain[-1][0].endswith(reverse("ppp:review_detail", args=[review.pk]))
    assert "审查清单尚有未检查的项目。" in response.content.decode()


def test_a_form_posted_incomplete_says_which_field(city, client_for, review):
    response = post_on_review_page(client_for(city.finance_user), review, "ppp:task_create", {"title": "x"})
    assert "责任单位" in response.content.decode()
    assert not review.tasks.exists()


def test_the_managers_forms_share_one_shape_under_the_projects_name(city, client_for, project):
    for name in ("ppp:contract_add", "ppp:payment_rule_edit", "ppp:payment_year_add", "ppp:obligation_add"):
        response = client_for(city.office).get(reverse(name, args=[project.pk]))
        assert [t.name for t in response.templates][:2] == ["ppp/part_form.html", "layouts/form_page.html"], (
            name
        )
        assert project.name in response.content.decode()


# --- numbers and units (issue 11, item 21) ---------------------------------------------------------


def test_amounts_have_thousands_separators_and_rates_show_as_percentages(city, client_for, project):
    from duban.ppp import services

    services.project_update(
        project=project,
        by=city.office,
        expected_version=project.version,
        total_investment=Decimal("277984.15"),
    )
    services.shareholder_add(
        project=project, by=city.office, name="城投", side="government", share=Decimal("0.1")
    )
    client = client_for(city.finance_user)
    assert "277,984.15" in client.get(reverse("ppp:project_list")).text
    page = client.get(reverse("ppp:project_detail", args=[project.pk])).text
    assert "277,984.15" in page and "277984.15" not in page
    assert "城投（政府方出资代表，10.0%）" in page
    assert "财政支出责任（万元）" in page


def test_the_project_form_shows_and_reads_rates_in_percent(city, client_for, project):
    form = client_for(city.office).get(reverse("ppp:project_edit", args=[project.pk])).context["form"]
    assert form["profit_rate"].value() == "6" and form["discount_rate"].value() == "3.5"


def test_the_current_year_is_marked_in_the_spending_table(city, client_for, project):
    from django.utils import timezone

    year = timezone.localdate().year
    project.expenditure_plans.create(year=year, kind="equity", amount=Decimal(100))
    page = client_for(city.finance_user).get(reverse("ppp:project_detail", args=[project.pk])).text
    assert f'<tr class="table-info"><td>{year} <span class="badge text-bg-info">本年</span>' in page


def test_the_review_page_warns_of_a_rating_at_odds_with_a_serious_finding(city, client_for, review):
    from duban.ppp import services

    services.review_check(
        review=review, by=city.finance_user, results={item.pk: ("ok", "") for item in review.items.all()}
    )
    services.finding_add(review=review, by=city.finance_user, severity="serious", description="明股实债")
    client = client_for(city.finance_user)
    page = client.get(reverse("ppp:review_detail", args=[review.pk])).text
    assert 'id="rating-hint"' in page and "评定为“基本履约”：本审查记录了1 个严重问题" in page
    response = client.post(reverse("ppp:review_rate", args=[review.pk]), {"rating": "basic"}, follow=True)
    assert "与问题的严重程度不符" in response.text
    review.refresh_from_db()
    assert review.rating == ""
    client.post(reverse("ppp:review_rate", args=[review.pk]), {"rating": "basic", "confirmed": "on"})
    review.refresh_from_db()
    assert review.rating == "basic"


def test_the_checklist_offers_the_all_ok_shortcut_to_the_reviewer_only(city, client_for, review):
    url = reverse("ppp:review_detail", args=[review.pk])
    assert 'id="unchecked-all-ok"' in client_for(city.finance_user).get(url).text
    assert 'id="unchecked-all-ok"' not in client_for(city.leader_user).get(url).text


def _payment_rule(**extra):
    data = {
        "formula": "score",
        "full_payment_score": "80",
        "linked_share": "30",
        "annual_construction_payment": "1000",
        "annual_operating_payment": "200",
    }
    return data | extra


def test_the_score_bands_are_edited_as_rows_and_kept_as_the_rules_list(city, client_for, project):
    from duban.ppp.models import PaymentRule

    url = reverse("ppp:payment_rule_edit", args=[project.pk])
    client = client_for(city.finance_user)
    client.post(url, _payment_rule(bands_0="0", bands_1="70", bands_2="60", bands_3="90"))
    rule = PaymentRule.objects.get(project=project)
    assert rule.bands == [{"min_score": 60.0, "coefficient": 0.9}, {"min_score": 0.0, "coefficient": 0.7}]
    assert rule.linked_share == Decimal("0.3")
    assert rule.performance().coefficient(score=Decimal(65)) == Decimal("0.9")
    form = client.get(url).context["form"]
    assert 'name="bands_0" value="60"' in str(form["bands"]) and 'name="bands_1" value="90"' in str(
        form["bands"]
    )


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ({"bands_0": "60"}, "第 1 行须同时填写最低分和付费系数"),
        ({"bands_0": "85", "bands_1": "90"}, "须低于全额付费分数线（80 分）"),
        ({"bands_0": "60", "bands_1": "90", "bands_2": "60", "bands_3": "80"}, "最低分不能相同"),
        ({"bands_0": "60", "bands_1": "120"}, "应在 0% 到 100% 之间"),
    ],
)
def test_a_bad_score_band_is_refused_on_its_row_and_nothing_is_saved(
    city, client_for, project, rows, message
):
    from duban.ppp.models import PaymentRule

    url = reverse("ppp:payment_rule_edit", args=[project.pk])
    response = client_for(city.finance_user).post(url, _payment_rule(**rows))
    assert response.status_code == 200 and message in response.text
    assert not PaymentRule.objects.filter(project=project).exists()
