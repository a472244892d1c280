"""Demo data: one unconfirmed minutes import in 云泽市, so the office's import page has something to show."""

from datetime import timedelta

from django.utils import timezone

from duban.accounts.models import User
from duban.audit.context import audit_context
from duban.audit.models import Channel

from . import services
from .models import MinutesDraft

DEMO_SOURCE = "云泽市长议事会（演示）.txt"

# Like the reports that reach the office: partly traditional, with pinyin after some characters.
DEMO_TEXT = (
    "云泽融媒消息：{month}月{day}日，市委副书记、市长周明远主持召开市长議(yì)事會(huì)，"
    "研究部署专项债券、PPP项目和城市更新等工作。市委常委、常务副市长孙立华，副市长陈静、王建国出席会议。\n"
    "會(huì)議(yì)指出，要坚定信心、主动作为，努力争取国务院督查激励，以典型经验带动全市工作上台阶。\n"
    "会议强调，一是由市财政局牵头，会同市发改委加快专项债券项目储备，1月15日前报送明年项目清单；"
    "二是市发改委要进一步规范PPP项目管理，对已签约项目合同履约情况进行全面审查，一季度末前形成审查报告；"
    "三是市住建局要加快老旧小区改造，春节前完成供暖设施检修；"
    "四是各县区要压实属地责任，本周内完成燃气安全隐患排查。\n"
    "会议要求，市农业农村局要做好春耕备耕准备，确保农资供应充足。\n"
    "会议还就做好城市更新规划编制工作提出明确要求。（记者 云泽）\n"
)


def load_demo(*, stdout=None) -> None:
    if MinutesDraft.objects.filter(source_name=DEMO_SOURCE).exists():
        return
    office = User.objects.filter(username="office").first()
    if office is None:
        return
    with audit_context(channel=Channel.COMMAND, actor=office):
        # The meeting was held a few days ago, whenever the demo is loaded.
        held_on = timezone.localdate() - timedelta(days=3)
        draft = services.draft_create(
            by=office,
            text=DEMO_TEXT.format(month=held_on.month, day=held_on.day),
            meeting_date=held_on,
            source_name=DEMO_SOURCE,
        )
    if stdout:
        stdout.write(f"会议纪要导入草稿 1 份，督办事项 {len(draft.rows)} 项（待确认）")
