"""Directives made from minutes read as tasks in simplified text: the title names the task, the content
is the requirement without pinyin or traditional characters, and the wording as received stays on the
meeting's record."""

import re
from datetime import date

from duban.directives.models import Directive
from duban.minutes.engine.titles import task_title

from .. import services
from .helpers import text

PINYIN = re.compile(r"[(（][a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü ]+[)）]")


def test_the_title_names_the_task_not_the_opening_slogan():
    requirement = (
        "要转变观念、抢抓机遇，强化责任、打破常规，切实增强工作主动性，围绕百城建设提质工程等精心包装项目，"
        "加大政府专项债券申报力度，切实提高成功率，争取国家更多专项债券资金支持"
    )
    assert task_title(requirement) == "加大政府专项债券申报力度"


def test_slogans_facts_and_framing_clauses_do_not_make_titles():
    assert task_title("要强化责任、主动作为，明确时间表，加快推进各项重点工作") == "加快推进各项重点工作"
    assert (
        task_title("切实解决问题，要认真梳理排查，农民工工资问题是个动态问题，建立起销号制度")
        == "建立起销号制度"
    )
    assert task_title("要进一步规范PPP项目管理，对所签项目合同履约情况进行全面审查") == "规范PPP项目管理"
    assert task_title("做好市中心城区产业发展咨询工作") == "做好市中心城区产业发展咨询工作"


def test_directives_from_the_seed_carry_simplified_content_and_the_meeting_keeps_the_original(city, themes):
    draft = services.draft_create(by=city.office, text=text("seed.txt"), meeting_date=date(2026, 12, 25))
    for key in [row["key"] for row in draft.rows]:
        draft = services.draft_row_update(
            draft=draft, by=city.office, key=key, values={"lead_unit": city.finance}
        )
    services.draft_update(draft=draft, by=city.office, default_deadline=date(2027, 3, 31))
    meeting = services.draft_confirm(draft=draft, by=city.office)

    directives = list(Directive.objects.filter(meeting=meeting).order_by("pk"))
    assert len(directives) == len(draft.rows)
    for directive in directives:
        assert not PINYIN.search(directive.content), directive.content
        assert not re.search("[會議強責項債務]", directive.content), directive.content
        assert "原文" not in directive.content
    titles = [d.title for d in directives]
    assert "加大政府专项债券申报力度" in titles
    assert "转变观念、抢抓机遇" not in titles
    assert "會(huì)議" in meeting.minutes and "会议强调" in meeting.minutes
    assert "免責" not in meeting.minutes
