"""The demo's industry survey: the form in the catalogue, sent to the counties and districts (which
roll up their townships); 南屏县 filled and approved, 青石县 rolled up from 石桥镇 and submitted,
新江街道 returned with the reason. Running it twice changes nothing."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.utils import timezone

from duban.accounts.demo import DEMO_PASSWORD
from duban.accounts.models import User
from duban.accounts.roles import Role
from duban.accounts.selectors import unit_liaisons
from duban.audit.context import audit_context
from duban.audit.models import Channel
from duban.organisation.models import Unit, UnitKind
from duban.workcalendar.selectors import add_working_days

from . import industry, services
from .models import ResponseState, SurveyForm, SurveyResponse, SurveyRound

ROUND_TITLE = "2026年全市产业发展现状摸底调查"
PAST_ROUND_TITLE = "2026年三季度产业发展情况快报"
# The roll-up's story needs a county and two townships that fill (逐级汇总); the platform's demo users
# have no liaison there, so the survey brings its own (the demo password; printed by the demo).
SURVEY_LIAISONS = [
    ("liaison4", "冯联络（青石县）", "YZ-QSX"),
    ("liaison5", "许联络（石桥镇）", "YZ-QSX-SQZ"),
    ("liaison6", "韩联络（新江街道）", "YZ-DHQ-XJ"),
]


def _survey_liaisons() -> None:
    for username, full_name, code in SURVEY_LIAISONS:
        unit = Unit.objects.filter(code=code).first()
        if unit is None or User.objects.filter(username=username).exists():
            continue
        user = User(username=username, full_name=full_name, role=Role.LIAISON, unit=unit)
        user.set_password(DEMO_PASSWORD)
        user.password_changed_at = timezone.now()
        user.save()


def figures(scale: int) -> dict:
    """A plausible filled survey, `scale` setting its size."""
    manufacturing, services_, agriculture = 120000 * scale, 80000 * scale, 20000 * scale
    return {
        "contact": "王明",
        "phone": "0871-6612345" if scale % 2 else "13800001234",
        "enterprise_total": 40 * scale,
        "manufacturing_count": 25 * scale,
        "services_count": 12 * scale,
        "agriculture_count": 3 * scale,
        "main_sector": "manufacturing",
        "sub_sectors": ["equipment", "new_materials", "logistics"],
        "output_value": manufacturing + services_ + agriculture,
        "manufacturing_output": manufacturing,
        "services_output": services_,
        "agriculture_output": agriculture,
        "revenue": 190000 * scale,
        "tax": 9000 * scale,
        "employment": 15000 * scale,
        "fixed_asset_investment": 56000 * scale,
        "investment_growth": "6.5",
        "survey_date": "2026-06-30",
        "key_projects": [
            {
                "name": f"智能装备产业园{n}期",
                "sector": "manufacturing",
                "investment": 50000,
                "invested": 21000,
            }
            for n in range(1, 3)
        ],
        "constraints": ["land", "talent"],
        "constraints_note": "工业用地指标不足，高技能人才缺口较大。",
        "large_enterprises": [
            {
                "name": f"云泽{n}号精密制造有限公司",
                "sector": "manufacturing",
                "sub_sector": "equipment",
                "output": 8000 * n,
                "revenue": 7600 * n,
                "tax": 380 * n,
                "employees": 200 * n,
            }
            for n in range(1, 4)
        ],
    }


def _liaison(unit: Unit) -> User | None:
    return unit_liaisons([unit.pk]).filter(is_unit_head=False).first()


def load_demo(*, stdout=None) -> None:
    office = User.objects.filter(role=Role.OFFICE, is_active=True).first()
    if office is None:
        return
    services.ensure_schedule()
    with audit_context(channel=Channel.COMMAND, actor=office):
        _survey_liaisons()
        form = SurveyForm.objects.filter(code=industry.CODE).order_by("-version").first()
        if form is None:
            form = services.form_create(
                by=office,
                code=industry.CODE,
                title=industry.TITLE,
                definition=industry.DEFINITION,
                valid_until=date(date.today().year + 1, 12, 31),
                **industry.MARKS,
            )
        if form.rounds.exists():
            return
        counties = Unit.objects.filter(kind=UnitKind.COUNTY, is_active=True)
        _last_quarters_round(form, counties, office)
        survey_round = services.round_send(
            by=office,
            form=form,
            title=ROUND_TITLE,
            deadline=add_working_days(date.today(), 10),
            units=counties,
            rollup=True,
        )
        responses = {
            r.unit.code: r for r in SurveyResponse.objects.filter(round=survey_round).select_related("unit")
        }
        _play(responses, office)
    if stdout:
        names = "、".join(f"{username}（{name}）" for username, name, _code in SURVEY_LIAISONS)
        stdout.write(f"数据填报演示：{ROUND_TITLE}；填报联络员 {names}，密码 {DEMO_PASSWORD}")


def _last_quarters_round(form, counties, office) -> None:
    """A round already past its deadline (last quarter's), so that survey timeliness has something to
    measure in the assessment: 南屏县 answered on time, 青石县 two days late, the others never. Sent and
    answered through the services today, then dated back as history (the services date everything now)."""
    today = date.today()
    deadline = today - timedelta(days=75)
    past = services.round_send(
        by=office,
        form=form,
        title=PAST_ROUND_TITLE,
        deadline=add_working_days(today, 10),
        units=counties,
        rollup=False,
    )
    SurveyRound.objects.filter(pk=past.pk).update(deadline=deadline)
    sent_on = {"YZ-NPX": deadline - timedelta(days=3), "YZ-QSX": deadline + timedelta(days=2)}
    for response in SurveyResponse.objects.filter(round=past, unit__code__in=sent_on).select_related("unit"):
        # The same scale as this round's answers below, so their year-on-year checks pass.
        if _fill(response, scale=3 if response.unit.code == "YZ-NPX" else 1) is not None:
            moment = timezone.make_aware(datetime.combine(sent_on[response.unit.code], time(10)))
            SurveyResponse.objects.filter(pk=response.pk).update(
                first_submitted_at=moment, submitted_at=moment
            )


def _fill(response, *, scale, submit=True):
    liaison = _liaison(response.unit)
    if liaison is None:
        return None
    return services.response_save(
        response=response, by=liaison, answers={**response.answers, **figures(scale)}, submit=submit
    )


def _play(responses, office) -> None:
    # 南屏县: filled, submitted, approved by the office.
    npx = responses.get("YZ-NPX")
    if npx is not None and (npx := _fill(npx, scale=3)) is not None:
        services.response_approve(response=npx, by=office)
    # 青石县: 石桥镇 fills, the county approves it, rolls it up and submits the total.
    sqz, qsx = responses.get("YZ-QSX-SQZ"), responses.get("YZ-QSX")
    if sqz is not None and qsx is not None and (sqz := _fill(sqz, scale=1)) is not None:
        county = _liaison(qsx.unit)
        if county is not None:
            services.response_approve(response=sqz, by=county)
            qsx = services.response_rollup(response=qsx, by=county)
            answers = {
                **qsx.answers,
                "contact": "冯强",
                "phone": "0871-6654321",
                "survey_date": "2026-06-30",
                "main_sector": "manufacturing",
            }
            services.response_save(response=qsx, by=county, answers=answers, submit=True)
    # 新江街道: filled with a wrong figure and returned by the office with the reason.
    xj = responses.get("YZ-DHQ-XJ")
    if xj is not None and (xj := _fill(xj, scale=2)) is not None and xj.state == ResponseState.SUBMITTED:
        services.response_return(
            response=xj, by=office, reason="规上企业名录缺少统一社会信用代码，请补充后重新提交。"
        )
