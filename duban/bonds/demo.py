"""A realistic bond programme for the demo city: projects across the five themes, quarterly batches of
2025 and 2026, passes and fails of the balance test, returns and resubmissions, issuance and spending.

Every change goes through the services, so the timeline and the audit trail look as in real use."""

from __future__ import annotations

from calendar import monthrange
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.core.files.base import ContentFile

from duban.accounts.models import User
from duban.audit.context import audit_context
from duban.audit.models import Channel
from duban.organisation.models import Unit

from . import services
from .models import (
    REQUIRED_DOCUMENTS,
    BondBatch,
    BondProject,
    CashFlowRow,
    DocumentKind,
    InvestmentArea,
    ListKind,
    SpendingTarget,
)

CENT = Decimal("0.01")

BATCHES = [
    (
        f"{year}年第{'一二三四'[q - 1]}季度",
        year,
        q,
        date(year, 3 * q - 2, 1),
        date(year, 3 * q, monthrange(year, 3 * q)[1]),
    )
    for year in (2025, 2026)
    for q in (1, 2, 3, 4)
]

# code, name, unit, supervising department, county, theme, area, bond demand, coverage the cash flows
# give, sources, path. The path names how far the project goes: see `_walk`.
PROJECTS = [
    (
        "ZX-2025-001",
        "中心城区老旧小区改造提质项目",
        "YZ-ZJJ",
        "YZ-ZJJ",
        "YZ-DHQ",
        "hundred_cities",
        "09",
        30000,
        "1.32",
        ["租金", "停车费"],
        "spent",
    ),
    (
        "ZX-2025-002",
        "城区智慧停车场建设项目",
        "YZ-CTJT",
        "YZ-ZJJ",
        "YZ-DHQ",
        "city_functions",
        "07",
        15000,
        "1.45",
        ["停车费", "充电服务费"],
        "spending",
    ),
    (
        "ZX-2025-003",
        "南屏县乡镇污水处理厂及管网项目",
        "YZ-NPX",
        "YZ-STHJ",
        "YZ-NPX",
        "rural_living",
        "04",
        12000,
        "1.18",
        ["污水处理费"],
        "issued",
    ),
    (
        "ZX-2025-004",
        "青石县高标准农田建设项目",
        "YZ-QSX",
        "YZ-NYNC",
        "YZ-QSX",
        "rural_revitalisation",
        "03",
        8000,
        "1.21",
        ["新增耕地指标收益", "农业设施租赁"],
        "returned_resubmitted",
    ),
    (
        "ZX-2025-005",
        "市第一人民医院新院区建设项目",
        "YZ-WJW",
        "YZ-WJW",
        "",
        "livelihood",
        "05",
        40000,
        "1.26",
        ["医疗服务收入", "停车费"],
        "allocated",
    ),
    (
        "ZX-2025-006",
        "高新区标准化厂房及配套基础设施项目",
        "YZ-GKQ",
        "YZ-GXJ",
        "",
        "city_functions",
        "07",
        25000,
        "1.38",
        ["厂房租金", "物业服务费"],
        "disbursing",
    ),
    (
        "ZX-2025-007",
        "西山区城中村改造项目",
        "YZ-XSQ",
        "YZ-ZJJ",
        "YZ-XSQ",
        "hundred_cities",
        "09",
        35000,
        "0.98",
        ["土地出让收入", "商业租金"],
        "returned",
    ),
    (
        "ZX-2026-008",
        "柳营县冷链物流园项目",
        "YZ-LYX",
        "YZ-SWJ",
        "YZ-LYX",
        "rural_revitalisation",
        "06",
        9000,
        "1.24",
        ["仓储租金", "冷链服务费"],
        "ministry_review",
    ),
    (
        "ZX-2026-009",
        "白河县农村供水一体化项目",
        "YZ-BHX",
        "YZ-SLJ",
        "YZ-BHX",
        "rural_living",
        "03",
        7000,
        "1.15",
        ["水费"],
        "province_review",
    ),
    (
        "ZX-2026-010",
        "市职业教育园区实训基地项目",
        "YZ-JYJ",
        "YZ-JYJ",
        "",
        "livelihood",
        "05",
        16000,
        "1.08",
        ["学费及住宿费", "培训收入"],
        "finance_review",
    ),
    (
        "ZX-2026-011",
        "东湖区新江片区停车及充电设施项目",
        "YZ-DHQ",
        "YZ-ZJJ",
        "YZ-DHQ",
        "city_functions",
        "07",
        6000,
        "1.52",
        ["停车费", "充电服务费"],
        "unit_review",
    ),
    (
        "ZX-2026-012",
        "南屏县养老服务中心项目",
        "YZ-NPX",
        "YZ-MZJ",
        "YZ-NPX",
        "livelihood",
        "05",
        5000,
        "1.12",
        ["床位费", "护理服务费"],
        "draft",
    ),
    (
        "ZX-2026-013",
        "青石县美丽乡村文旅融合项目",
        "YZ-QSX",
        "YZ-WGL",
        "YZ-QSX",
        "rural_revitalisation",
        "05",
        10000,
        "0.92",
        ["门票收入", "经营租金"],
        "draft",
    ),
    (
        "ZX-2026-014",
        "城市主干道综合管廊项目",
        "YZ-CTJT",
        "YZ-ZJJ",
        "",
        "hundred_cities",
        "07",
        45000,
        "1.20",
        ["管廊入廊费", "日常维护费"],
        "pool",
    ),
    (
        "ZX-2025-015",
        "柳营县人居环境整治垃圾处理项目",
        "YZ-LYX",
        "YZ-STHJ",
        "YZ-LYX",
        "rural_living",
        "04",
        6000,
        "1.19",
        ["垃圾处理费"],
        "spent",
    ),
]


def _batch(name: str) -> BondBatch:
    return BondBatch.objects.get(name=name)


def _cash_flows(project: BondProject, *, coverage: Decimal, sources: list[str], first_year: int) -> None:
    """Two construction years, then equal net income giving the wanted coverage of a bullet bond."""
    term = project.term_years
    principal = project.bond_demand
    debt_service = principal + principal * project.expected_rate * term
    net = (coverage * debt_service / (term - 2)).quantize(CENT, rounding=ROUND_HALF_UP)
    revenue = (net / Decimal("0.8")).quantize(CENT, rounding=ROUND_HALF_UP)
    shares = [Decimal("0.8"), Decimal("0.2")] if len(sources) > 1 else [Decimal(1)]
    for offset in range(term + 1):
        year = first_year + offset
        if offset < 2:
            income = dict.fromkeys(sources, "0")
            cost = tax = Decimal(0)
        else:
            income = {
                s: str((revenue * share).quantize(CENT)) for s, share in zip(sources, shares, strict=False)
            }
            cost = (revenue * Decimal("0.15")).quantize(CENT)
            tax = revenue - net - cost
        CashFlowRow.objects.create(project=project, year=year, income=income, operating_cost=cost, tax=tax)


def _documents(project: BondProject, *, by: User, complete: bool) -> None:
    """一案两书 for every project past the pool; the approvals too once it has gone forward."""
    kinds = REQUIRED_DOCUMENTS if complete else REQUIRED_DOCUMENTS[:2]
    labels = dict(DocumentKind.choices)
    for kind in kinds:
        name = f"{project.code}-{labels[kind]}.pdf".replace("/", "-")
        upload = ContentFile(b"%PDF-1.4\n% demo attachment\n", name=name)
        services.document_add(project=project, by=by, kind=kind, upload=upload)


def _walk(project: BondProject, path: str, *, by: User, first_batch: str, later_batch: str) -> None:
    """Take the project as far as `path` says, each step through its service."""
    s = services
    if path == "pool":
        return
    project = s.project_start_draft(project=project, by=by)
    if path == "draft":
        return
    if path.startswith("returned"):
        project = s.project_submit(project=project, by=by, batch=_batch(first_batch))
        project = s.project_unit_approve(project=project, by=by, note="同意上报")
        # The finance bureau returns it at its own review: the balance test is what it questions.
        project = s.project_return(
            project=project, by=by, reason="收益测算依据不足，请补充收费标准批复文件并重新测算本息覆盖倍数。"
        )
        if path == "returned":
            return
        path = "allocated"
        first_batch = later_batch
    project = s.project_submit(project=project, by=by, batch=_batch(first_batch))
    steps = ["unit_review", "finance_review", "province_review", "ministry_review"]
    order = [*steps, "approved", "allocated", "issued", "disbursing", "spending", "spent"]
    if path == "unit_review":
        return
    project = s.project_unit_approve(project=project, by=by, note="主管部门审核同意")
    if path == "finance_review":
        return
    project = s.project_finance_approve(project=project, by=by, note="收益平衡测算通过，一案两书齐全")
    if path == "province_review":
        return
    project = s.project_province_approve(project=project, by=by)
    if path == "ministry_review":
        return
    project = s.project_ministry_approve(project=project, by=by)
    year = project.batch.year
    # Allocated less than applied for most projects, as is usual.
    quota = (project.bond_demand * Decimal("0.8")).quantize(Decimal(1))
    project = s.project_allocate_quota(project=project, by=by, amount=quota, allocated_on=date(year, 5, 20))
    if order.index(path) < order.index("issued"):
        return
    project = s.project_record_issuance(
        project=project,
        by=by,
        bond_code=f"{year % 100}{project.pk:04d}",
        issue_date=date(year, 6, 18),
        term_years=project.term_years,
        rate=Decimal("0.0231"),
    )
    if path == "issued":
        return
    project = s.project_record_onlending(project=project, by=by, onlent_on=date(year, 6, 28))
    first = (quota * Decimal("0.6")).quantize(Decimal(1))
    project = s.project_record_disbursement(project=project, by=by, amount=first, paid_on=date(year, 7, 10))
    if path == "disbursing":
        return
    project = s.project_record_spending(
        project=project, by=by, amount=(first / 2).quantize(Decimal(1)), spent_on=date(year, 8, 5)
    )
    if path == "spending":
        return
    project = s.project_record_disbursement(
        project=project, by=by, amount=quota - first, paid_on=date(year, 9, 10)
    )
    project = s.project_record_spending(
        project=project, by=by, amount=quota - project.spent_amount, spent_on=date(year, 11, 20)
    )


def load_demo(*, stdout=None) -> None:
    finance = User.objects.filter(role="finance").order_by("pk").first()
    if finance is None:
        return
    with audit_context(channel=Channel.COMMAND, actor=finance):
        for name, year, quarter, opens_on, closes_on in BATCHES:
            BondBatch.objects.get_or_create(
                name=name,
                defaults={"year": year, "quarter": quarter, "opens_on": opens_on, "closes_on": closes_on},
            )
        for year in (2025, 2026):
            for month in range(1, 13):
                # The city's usual curve: slow first quarter, 90% by the end of the year.
                SpendingTarget.objects.get_or_create(
                    year=year,
                    month=month,
                    defaults={"target_ratio": Decimal(str(round(0.9 * month / 12, 4)))},
                )
        units = {u.code: u for u in Unit.objects.all()}
        created = 0
        for row in PROJECTS:
            code, name, unit, dept, county, theme, area_code, demand, coverage, sources, path = row
            if BondProject.objects.filter(code=code).exists() or unit not in units:
                continue
            in_2025 = code.startswith("ZX-2025")
            area = InvestmentArea.objects.filter(list_kind=ListKind.POSITIVE, code=area_code).first()
            demand = Decimal(demand)
            project = services.project_create(
                by=finance,
                name=name,
                code=code,
                applying_unit=units[unit],
                supervising_department=units.get(dept),
                county=units.get(county),
                theme=theme,
                investment_area=area,
                not_on_negative_list=True,
                negative_list_note="已逐项核对负面清单",
                construction_content=f"{name}：主体工程及配套设施建设。",
                total_investment=(demand * Decimal("1.4")).quantize(Decimal(1)),
                capital=(demand * Decimal("0.4")).quantize(Decimal(1)),
                capital_from_bonds=Decimal(0),
                bond_demand=demand,
                term_years=10,
                expected_rate=Decimal("0.025"),
                income_sources=sources,
                planned_start=date(2025 if in_2025 else 2026, 4, 1),
                planned_finish=date(2027 if in_2025 else 2028, 10, 31),
                construction_status="under_construction"
                if path in ("spent", "spending", "disbursing")
                else "preparing",
                performance_targets="按期完工率100%；项目收益按年归集专户。",
                ex_ante_assessment_done=path != "pool",
            )
            _cash_flows(
                project, coverage=Decimal(coverage), sources=sources, first_year=project.planned_start.year
            )
            if path != "pool":
                _documents(project, by=finance, complete=path not in ("draft", "returned"))
            first_batch = "2025年第一季度" if in_2025 else "2026年第二季度"
            later_batch = "2025年第三季度"
            _walk(project, path, by=finance, first_batch=first_batch, later_batch=later_batch)
            created += 1
    if stdout and created:
        stdout.write(f"专项债券：已载入 {created} 个演示项目。")
