"""The demo city's directives: four meetings and their decisions across the themes, in every state,
some red and yellow, with roadmaps, progress, comments, a reminder and a supervision notice, and the
escalation ladder's proposals with one step issued and answered.

Dates are relative to the day the demo is loaded, so the lights always show something."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from duban.accounts.models import User
from duban.audit.context import audit_context
from duban.audit.models import Channel
from duban.organisation.models import Leader, Theme, Unit

from . import services
from .models import Escalation, EscalationState, Light, Meeting, MeetingKind, Source, State

MINUTES = (
    "会议强调，各级各部门要明确时间表，加快推进各项重点工作；要包装好百城建设提质工程、完善城市功能、"
    "农村人居环境整治、乡村振兴、改善民生五大类项目，积极争取更多专项债券；要把债券发行工作纳入政府目标考核，"
    "建立周例会和周报告制度；要规范PPP项目管理，对已签约项目逐一进行履约评估；要摸清摸透产业发展现状，"
    "构建现代产业体系；要对标国务院督查激励事项，明确路线图和时间表。"
)

# title, kind, days before today, chair
MEETINGS = [
    ("市长议事会（2026年第1次）", MeetingKind.MAYOR_COUNCIL, 60, "周明远"),
    ("市政府第12次常务会议", MeetingKind.EXECUTIVE, 40, "周明远"),
    ("专项债券工作专题会议", MeetingKind.SPECIAL, 25, "孙立华"),
    ("督查工作周例会（第46周）", MeetingKind.WEEKLY, 10, "孙立华"),
]

# title, theme, leader, lead unit, co-units, deadline (days from today), priority, meeting index or
# source, target state, milestones [(title, days from today, done)], progress percent
DIRECTIVES = [
    (
        "加快专项债券项目包装申报，提高申报成功率",
        "bond",
        "孙立华",
        "YZ-CZJ",
        ["YZ-FGW", "YZ-ZJJ"],
        20,
        3,
        0,
        State.IN_PROGRESS,
        [("完成项目库梳理", -30, True), ("完成第三批项目申报材料", -3, False), ("通过省级审核", 15, False)],
        55,
    ),
    (
        "将专项债券发行工作纳入政府目标考核",
        "bond",
        "孙立华",
        "YZ-FGW",
        ["YZ-CZJ"],
        -5,
        2,
        0,
        State.ASSIGNED,
        [],
        0,
    ),
    (
        "对已签约PPP项目逐一开展履约评估",
        "ppp",
        "孙立华",
        "YZ-CZJ",
        ["YZ-FGW"],
        45,
        2,
        0,
        State.IN_PROGRESS,
        [("印发评估工作方案", -20, True), ("完成现场评估", 25, False)],
        60,
    ),
    (
        "制定PPP项目规范管理办法",
        "ppp",
        "孙立华",
        "YZ-CZJ",
        ["YZ-SJJ"],
        -2,
        2,
        0,
        State.IN_PROGRESS,
        [("形成征求意见稿", -15, True)],
        80,
    ),
    (
        "摸清全市产业发展现状，开展产业调查",
        "industry",
        "赵志强",
        "YZ-GXJ",
        ["YZ-TJJ", "YZ-FGW"],
        2,
        2,
        0,
        State.ASSIGNED,
        [],
        0,
    ),
    ("建立督查工作周例会和周报告制度", "general", "马文斌", "YZ-ZFB", [], -20, 1, 0, State.CLOSED, [], 100),
    (
        "对标国务院督查激励事项，明确路线图和时间表",
        "incentive",
        "周明远",
        "YZ-FGW",
        ["YZ-CZJ", "YZ-ZJJ"],
        90,
        3,
        0,
        State.ASSIGNED,
        [("梳理激励事项清单", 10, False), ("报送申报材料", 60, False)],
        0,
    ),
    (
        "推进百城建设提质工程老旧小区改造",
        "urban",
        "陈静",
        "YZ-ZJJ",
        ["YZ-CGJ", "YZ-DHQ"],
        30,
        2,
        1,
        State.COMPLETION_REQUESTED,
        [("完成改造方案", -25, True), ("主体工程完工", -5, True)],
        100,
    ),
    (
        "完善城市功能，实施城区污水管网改造",
        "urban",
        "陈静",
        "YZ-ZJJ",
        ["YZ-CTJT"],
        -12,
        3,
        1,
        State.IN_PROGRESS,
        [("完成管网普查", -40, True), ("完成一期施工", -14, False)],
        35,
    ),
    (
        "农村人居环境整治三年行动",
        "rural",
        "王建国",
        "YZ-NPX",
        ["YZ-NYNC"],
        60,
        2,
        1,
        State.IN_PROGRESS,
        [("完成村庄规划编制", 20, False)],
        30,
    ),
    (
        "乡村振兴示范村建设",
        "rural",
        "王建国",
        "YZ-NPX",
        ["YZ-XXJ"],
        -3,
        2,
        1,
        State.IN_PROGRESS,
        [("确定示范村名单", -30, True)],
        45,
    ),
    (
        "完成县城老旧供水管网更新改造",
        "urban",
        "王建国",
        "YZ-NPX",
        [],
        15,
        1,
        1,
        State.HEAD_REVIEW,
        [("完成管网改造施工", -5, True)],
        100,
    ),
    (
        "储备第四批专项债券项目",
        "bond",
        "孙立华",
        "YZ-CZJ",
        ["YZ-FGW"],
        10,
        2,
        2,
        State.ASSIGNED,
        [("各县区报送项目", 5, False)],
        0,
    ),
    (
        "督导专项债券资金支出进度",
        "bond",
        "孙立华",
        "YZ-CZJ",
        ["YZ-DHQ", "YZ-NPX"],
        1,
        3,
        2,
        State.IN_PROGRESS,
        [],
        70,
    ),
    ("报送本周专项债券支出进度", "bond", "孙立华", "YZ-CZJ", [], 3, 1, 3, State.IN_PROGRESS, [], 20),
    (
        "加快高新区标准厂房建设",
        "industry",
        "赵志强",
        "YZ-GKQ",
        ["YZ-ZRZY"],
        25,
        2,
        Source.INSTRUCTION,
        State.ASSIGNED,
        [],
        0,
    ),
    (
        "新建公办幼儿园，扩大普惠性学前教育资源",
        "livelihood",
        "刘海燕",
        "YZ-JYJ",
        ["YZ-ZJJ"],
        120,
        2,
        Source.KEY_WORK,
        State.ASSIGNED,
        [("完成选址", 30, False)],
        0,
    ),
    (
        "建设街道综合养老服务中心",
        "livelihood",
        "刘海燕",
        "YZ-MZJ",
        [],
        -20,
        2,
        Source.KEY_WORK,
        State.ASSIGNED,
        [],
        0,
    ),
    (
        "推动城投集团市场化转型",
        "bond",
        "孙立华",
        "YZ-CTJT",
        ["YZ-CZJ"],
        40,
        1,
        Source.KEY_WORK,
        State.SUSPENDED,
        [],
        0,
    ),
    (
        "交通项目征地拆迁攻坚",
        "urban",
        "陈静",
        "YZ-JTYS",
        ["YZ-ZRZY"],
        15,
        1,
        Source.KEY_WORK,
        State.CANCELLED,
        [],
        0,
    ),
    (
        "开展“一网通办”事项梳理",
        "general",
        "马文斌",
        "YZ-ZWFW",
        [],
        50,
        1,
        Source.KEY_WORK,
        State.DRAFT,
        [],
        0,
    ),
    ("编制应急物资储备规划", "general", "马文斌", "YZ-YJGL", [], 70, 1, Source.KEY_WORK, State.DRAFT, [], 0),
]

# The demo liaisons (accounts/demo.py) report for their units.
LIAISONS = {"YZ-CZJ": "liaison", "YZ-ZJJ": "liaison2", "YZ-NPX": "liaison3"}


def load_demo(*, stdout=None) -> None:
    if Meeting.objects.filter(title=MEETINGS[0][0]).exists():
        return
    office = User.objects.get(username="office")
    leader_user = User.objects.filter(username="leader").first()
    units = {u.code: u for u in Unit.objects.all()}
    themes = {t.code: t for t in Theme.objects.all()}
    leaders = {leader.name: leader for leader in Leader.objects.all()}
    liaisons = {code: User.objects.get(username=name) for code, name in LIAISONS.items()}
    today = timezone.localdate()

    def day(offset: int):
        return today + timedelta(days=offset)

    with audit_context(channel=Channel.COMMAND, actor=office):
        meetings = []
        for title, kind, ago, chair in MEETINGS:
            meetings.append(
                services.meeting_create(
                    by=office,
                    kind=kind,
                    title=title,
                    held_on=day(-ago),
                    chair=leaders.get(chair),
                    minutes=MINUTES,
                    leaders=[leaders[n] for n in ("周明远", "孙立华", "陈静") if n in leaders],
                    units=[
                        units[c] for c in ("YZ-FGW", "YZ-CZJ", "YZ-ZJJ", "YZ-NPX", "YZ-GXJ") if c in units
                    ],
                )
            )
        made = {}
        for (
            title,
            theme,
            leader,
            lead,
            co,
            deadline,
            priority,
            origin,
            state,
            milestones,
            percent,
        ) in DIRECTIVES:
            meeting = meetings[origin] if isinstance(origin, int) else None
            # Milestones already past are laid out from the start; the deadline is only for new work.
            directive = services.directive_create(
                by=office,
                title=title,
                content=f"{title}。请牵头单位会同配合单位制定工作方案，明确时间表和责任人，按节点推进。",
                source=Source.MEETING if meeting else origin,
                meeting=meeting,
                source_note=_source_note(origin, leader),
                theme=themes[theme],
                responsible_leader=leaders.get(leader),
                lead_unit=units[lead],
                co_units=[units[c] for c in co],
                deadline=day(deadline),
                priority=priority,
                milestones=[(t, day(min(offset, deadline))) for t, offset, _done in milestones],
            )
            made[title] = directive
            _bring_to(
                directive,
                state,
                office=office,
                liaison=liaisons.get(lead),
                milestones=milestones,
                percent=percent,
            )

        bond = made["加快专项债券项目包装申报，提高申报成功率"]
        if leader_user is not None:
            comment = services.comment_add(
                directive=bond, by=leader_user, text="请财政局牵头，本周内拿出第三批项目申报清单。"
            )
            services.comment_reply(
                comment=comment, by=liaisons["YZ-CZJ"], text="收到，已组织各县区梳理，周五前报送。"
            )
        exam = made["将专项债券发行工作纳入政府目标考核"]
        services.recompute_lights()
        exam.refresh_from_db()
        services.reminder_send(
            unit=exam.lead_unit,
            directives=[exam],
            by=office,
            message="该事项已逾期，请于3个工作日内报送办理情况。",
        )
        sewer = made["完善城市功能，实施城区污水管网改造"]
        sewer.refresh_from_db()
        if sewer.light == Light.RED:
            services.notice_issue(
                directive=sewer, by=office, matters="城区污水管网改造一期工程进度滞后，请倒排工期，加快施工。"
            )
        village = made["乡村振兴示范村建设"]
        if "YZ-NPX-CZJ" in units:
            services.directive_split(
                parent=village,
                by=liaisons["YZ-NPX"],
                unit=units["YZ-NPX-CZJ"],
                title="落实示范村建设配套资金",
                deadline=day(-5),
            )
        services.recompute_lights()
        _ladder(office=office, liaisons=liaisons)
    if stdout:
        stdout.write(f"督办事项：{len(MEETINGS)} 次会议，{len(DIRECTIVES)} 项事项。")


def _ladder(*, office, liaisons) -> None:
    """The escalation ladder's morning: its proposals, and the first step of one late directive issued
    and answered by its unit."""
    services.propose_escalations()
    proposals = Escalation.objects.filter(
        state=EscalationState.PROPOSED, directive__lead_unit__code__in=list(liaisons)
    ).select_related("directive__lead_unit")
    first = proposals.order_by("directive__deadline", "pk").first()
    if first is None:
        return
    services.escalations_issue(escalation_ids=[first.pk], by=office)
    first.refresh_from_db()
    liaison = liaisons[first.directive.lead_unit.code]
    text = "已收到督办，正在倒排工期加快推进，三个工作日内报送书面办理情况。"
    if first.notice is not None:
        services.notice_reply(notice=first.notice, by=liaison, text=text)
    elif first.reminder is not None:
        services.reminder_reply(reminder=first.reminder, by=liaison, text=text)


def _source_note(origin, leader: str) -> str:
    if origin == Source.INSTRUCTION:
        return f"{leader}同志批示"
    if origin == Source.KEY_WORK:
        return "2026年市政府重点工作清单"
    return ""


def _bring_to(directive, state, *, office, liaison, milestones, percent) -> None:
    """Walk the directive through the life cycle to the demo state, as people would."""
    if state == State.DRAFT:
        return
    directive = services.directive_assign(directive=directive, by=office)
    if state == State.ASSIGNED:
        return
    if state in (State.SUSPENDED, State.CANCELLED):
        action = services.directive_suspend if state == State.SUSPENDED else services.directive_cancel
        action(directive=directive, by=office, note="根据市政府工作安排调整。")
        return
    if liaison is None:
        # No demo account for this unit: the office records the outcome.
        if state == State.CLOSED:
            directive.state = State.COMPLETION_REQUESTED
            directive.save()
            services.directive_close(directive=directive, by=office, note="已按要求完成。")
        return
    done = {m.title: m.pk for m in directive.milestones.all()}
    services.progress_report_add(
        directive=directive,
        by=liaison,
        text="已召开专题推进会，明确责任分工，正按节点推进。",
        percent=percent,
        milestone_states={done[t]: "done" for t, _offset, is_done in milestones if is_done},
    )
    directive.refresh_from_db()
    if directive.title.startswith("农村人居环境"):
        services.directive_request_extension(
            directive=directive,
            by=liaison,
            until=directive.deadline + timedelta(days=30),
            note="受雨季影响，施工进度滞后。",
        )
    if state == State.HEAD_REVIEW:
        # 南屏县 asks for its head's approval: the request to close waits for him (demo user head3).
        services.directive_submit_for_approval(
            directive=directive, by=liaison, note="管网改造已全部完工并通过验收，申请办结。"
        )
    if state in (State.COMPLETION_REQUESTED, State.CLOSED):
        services.directive_request_completion(
            directive=directive, by=liaison, note="各节点均已完成，申请办结。"
        )
    if state == State.CLOSED:
        services.directive_close(directive=directive, by=office)
