"""Extracting directives: what counts as a requirement, where it starts and ends, and what it names."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from duban.minutes.engine import extract_minutes

from .helpers import best_match, gold, similarity, text

FIXTURES = [
    "seed",
    "changwu_numbered",
    "traditional_speech",
    "jiyao_items",
    "two_meetings",
    "agenda_wrapped",
    "speech_quotes",
    "headline_points",
    "county_standing",
    "inspection_visit",
    "plenary_citations",
    "jiyao_sections",
    "weekly_list",
    "fact_lists",
    "approvals_and_points",
    "business_environment",
]


@pytest.mark.parametrize("name", FIXTURES)
def test_every_annotated_requirement_is_found_and_nothing_else(name):
    expected = gold(f"{name}.json")
    found = [d.text for d in extract_minutes(text(f"{name}.txt"), meeting_date=date(2024, 1, 8)).directives]
    assert len(found) == len(expected)
    for item in expected:
        assert best_match(item["text"], found) >= 0.6, item["text"]


def test_themes_agree_with_the_annotation_five_times_in_six():
    # Themes are the corpus's thirteen (../shared/corpus/minutes-dev/README.md); several are a matter
    # of judgement (a school's food safety: livelihood or safety?), so the bar is not every one.
    agree = total = 0
    for name in FIXTURES[1:]:
        directives = extract_minutes(text(f"{name}.txt")).directives
        for item in gold(f"{name}.json"):
            best = max(directives, key=lambda d: similarity(item["text"], d.text))
            agree += best.theme == item["theme"]
            total += 1
    assert agree / total >= 0.85


def test_seed_requirements_are_split_at_each_new_yao_sentence():
    directives = extract_minutes(text("seed.txt")).directives
    assert [d.text[:6] for d in directives[:4]] == [
        "各级各有关部",
        "要坚定信念、",
        "要以培育典型",
        "要加强对接协",
    ]


def test_each_directive_points_at_its_exact_source_in_the_original():
    original = text("seed.txt")
    for directive in extract_minutes(original).directives:
        assert original[directive.start : directive.end] == directive.original
        assert directive.original.startswith(("要", "做", "各級"))
    first = extract_minutes(original).directives[1]
    assert first.original.startswith("要堅(jiān)定信念")
    assert first.original.endswith("樹(shù)立駐馬店市良好形象")


def test_topic_of_a_clear_requirement_is_a_directive():
    directives = extract_minutes(text("seed.txt")).directives
    assert directives[-1].text == "做好市中心城区产业发展咨询工作"
    assert directives[-1].theme == "industry"


@pytest.mark.parametrize(
    ("name", "phrases"),
    [
        pytest.param(
            "two_meetings", ["同比增长", "按照省政府要求", "作了发言", "原则通过"], id="background narrative"
        ),
        pytest.param("traditional_speech", ["清醒看到"], id="an assessment with yao kan dao"),
        pytest.param("seed", ["转载"], id="boilerplate and disclaimers"),
        pytest.param("fact_lists", ["稳中有增", "人均可支配收入"], id="a numbered list of achievements"),
        pytest.param("fact_lists", ["意义重大"], id="a judgement that opens with a verb"),
    ],
)
def test_what_is_not_a_requirement_is_not_extracted(name, phrases):
    found = [d.text for d in extract_minutes(text(f"{name}.txt")).directives]
    assert [phrase for phrase in phrases if any(phrase in t for t in found)] == []


def test_requirements_of_several_meetings_in_one_report_are_all_found():
    directives = extract_minutes(text("two_meetings.txt")).directives
    assert any("重点项目开工率" in d.text for d in directives)
    assert any("压实防汛责任" in d.text for d in directives)


def test_numbered_requirements_are_one_directive_each():
    directives = extract_minutes(text("changwu_numbered.txt")).directives
    numbered = [
        d.text
        for d in directives
        if d.text.startswith(("一是要抓好农资", "二是要加快高标准", "三是要做好农业"))
    ]
    assert len(numbered) == 3


def test_numbered_items_inside_one_sentence_are_split():
    report = "会议要求，一是要加强组织领导，二是要强化资金保障，三是要严格督查考核。"
    texts = [d.text for d in extract_minutes(report).directives]
    assert texts == ["一是要加强组织领导", "二是要强化资金保障", "三是要严格督查考核"]


def test_bi_xu_and_wu_bi_clauses_are_directives():
    report = "会议强调，安全生产必须警钟长鸣。务必压实企业主体责任，坚决遏制重特大事故发生。"
    texts = [d.text for d in extract_minutes(report).directives]
    assert texts == ["安全生产必须警钟长鸣", "务必压实企业主体责任，坚决遏制重特大事故发生"]


def test_a_person_named_as_speaker_attributes_requirements():
    report = "6月3日，市长陈立新主持召开专题会议。陈立新强调，要全力做好防汛准备。他要求，各县区要在6月10日前完成隐患整改。"
    directives = extract_minutes(report, meeting_date=date(2024, 6, 3)).directives
    assert [d.text for d in directives] == ["要全力做好防汛准备", "各县区要在6月10日前完成隐患整改"]
    assert directives[1].deadline == date(2024, 6, 10)
    assert directives[1].units[0]["name"] == "各县区"
    assert [(d.speaker, d.speaker_title, d.meeting) for d in directives] == [
        ("陈立新", "市长", "专题会议")
    ] * 2


def test_a_requirement_in_the_convening_sentence_is_found_with_its_addressee():
    directives = extract_minutes(text("seed.txt")).directives
    assert directives[0].text == "各级各有关部门要强化责任、主动作为，明确时间表，加快推进各项重点工作"
    assert directives[0].units == [
        {"id": None, "name": "各级各有关部门", "matched": "各级各有关部门", "group": True}
    ]


def test_requirements_following_the_province_are_not_the_meetings():
    report = "按照省政府要求，我市已出台实施方案。会议指出，今年以来全市经济运行稳中有进。"
    assert extract_minutes(report).directives == []


def test_deadlines_are_resolved_relative_to_the_meeting_date():
    directives = extract_minutes(text("changwu_numbered.txt"), meeting_date=date(2025, 3, 2)).directives
    by_text = {d.deadline_text: d.deadline for d in directives if d.deadline}
    assert by_text == {
        "3月15日前": date(2025, 3, 15),
        "一季度末": date(2025, 3, 31),
        "本周内": date(2025, 3, 2),
        "年底前": date(2025, 12, 31),
        "6月底前": date(2025, 6, 30),
        "春节前": date(2026, 2, 16),
    }


def test_units_are_matched_against_the_directory_and_its_aliases():
    units = [
        {"id": 12, "name": "驻马店市财政局", "short_name": "市财政局", "aliases": ["财政局", "市财政"]},
        {"id": 13, "name": "驻马店市农业农村局", "short_name": "市农业农村局", "aliases": ["农业农村局"]},
    ]
    directives = extract_minutes(text("changwu_numbered.txt"), units=units).directives
    farmland = next(d for d in directives if "高标准农田" in d.text)
    assert [(u["id"], u["name"], u["matched"]) for u in farmland.units] == [
        (13, "驻马店市农业农村局", "市农业农村局"),
        (12, "驻马店市财政局", "市财政局"),
    ]


def test_units_without_a_directory_are_plain_names():
    directives = extract_minutes(text("changwu_numbered.txt")).directives
    farmland = next(d for d in directives if "高标准农田" in d.text)
    assert [u["name"] for u in farmland.units] == ["市农业农村局", "市财政局"]
    assert all(u["id"] is None for u in farmland.units)


def test_leaders_are_matched_against_the_directory():
    report = "会议要求，要加快PPP项目清理，由副市长刘晓文牵头，市财政局具体负责。"
    leaders = [{"id": 3, "name": "刘晓文", "title": "副市长"}]
    directive = extract_minutes(report, leaders=leaders).directives[0]
    assert directive.leaders == [{"id": 3, "name": "刘晓文", "title": "副市长"}]


def test_leaders_without_a_directory_are_read_after_their_title():
    report = "会议要求，要加快PPP项目清理，由副市长刘晓文牵头，市财政局具体负责。"
    directive = extract_minutes(report).directives[0]
    assert directive.leaders == [{"id": None, "name": "刘晓文", "title": "副市长"}]


def test_theme_dictionary_can_be_replaced_by_the_caller():
    report = "会议要求，要做好冬季供暖保障工作。"
    assert extract_minutes(report).directives[0].theme == "urban"
    themes = {"heating": {"供暖": 1}}
    assert extract_minutes(report, themes=themes).directives[0].theme == "heating"
    assert extract_minutes("会议要求，要强化责任。", themes=themes).directives[0].theme == "general"


def test_result_has_exactly_the_json_shape_of_the_issue():
    data = extract_minutes(text("seed.txt"), meeting_date=date(2018, 12, 25)).to_dict()
    assert set(data) == {"meeting", "normalized_text", "directives"}
    assert set(data["meeting"]) == {"type", "date", "chair", "attendees"}
    assert data["meeting"]["date"] == "2018-12-25"
    keys = {"text", "original", "start", "end", "theme", "units", "leaders", "deadline", "deadline_text"}
    keys |= {"confidence", "low_confidence", "speaker", "speaker_title", "meeting"}
    assert all(set(d) == keys for d in data["directives"])


def test_traditional_and_simplified_versions_give_the_same_directives():
    traditional = text("traditional_speech.txt")
    import opencc

    simplified = opencc.OpenCC("t2s").convert(traditional)
    assert [d.text for d in extract_minutes(traditional).directives] == [
        d.text for d in extract_minutes(simplified).directives
    ]


def test_a_headline_that_repeats_a_requirement_is_not_extracted():
    directives = extract_minutes(text("headline_points.txt")).directives
    assert not any(d.text.startswith("加快推进专项债券项目建设") for d in directives)


def test_numbered_points_after_ti_chu_san_dian_yao_qiu_are_each_one_directive():
    directives = extract_minutes(text("headline_points.txt")).directives
    # Each item's short heading is a requirement of its own; the sentences after it are its others.
    assert [d.text[:8] for d in directives[:5]] == [
        "一是加快资金支出",
        "各县区要建立专项",
        "二是强化项目储备",
        "市发改委、市财政",
        "三是严格监督管理",
    ]
    assert directives[1].deadline_text == "6月30日前"


def test_hard_wrapped_lines_are_joined_into_one_requirement():
    directives = extract_minutes(text("agenda_wrapped.txt")).directives
    first = directives[0]
    assert first.text.endswith("确保全年目标任务圆满完成")
    assert "\n" not in first.text
    assert "\n" in first.original


fragments = st.sampled_from(
    [
        "会议强调，",
        "会议要求：",
        "朱是西指出，",
        "要加快推进專(zhuān)項(xiàng)債券",
        "一是",
        "二是要",
        "各县区要",
        "12月底前完成",
        "春节前",
        "本周内",
        "。",
        "；",
        "，",
        "\n",
        "\r\n",
        "(记者 王力)",
        "（一）关于供暖工作",
        "PPP(PPP)",
        "  ",
        "“",
        "”",
        "会议还就做好",
        "提出明确要求",
        "今年以来取得明显成效",
    ]
)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.one_of(fragments, st.text(max_size=5)), max_size=40))
def test_any_text_gives_directives_whose_offsets_point_into_the_original(pieces):
    original = "".join(pieces)
    result = extract_minutes(original, meeting_date=date(2024, 1, 8))
    for directive in result.directives:
        assert 0 <= directive.start <= directive.end <= len(original)
        assert original[directive.start : directive.end] == directive.original
        assert directive.text.strip()


def test_a_closing_quotation_mark_stays_with_its_quotation():
    directives = extract_minutes(text("fact_lists.txt")).directives
    assert directives[-1].text == "二是做好粮食收购，严防“卖粮难”"


def test_a_requirement_after_an_approval_in_the_same_sentence_is_found():
    texts = [d.text for d in extract_minutes(text("approvals_and_points.txt")).directives]
    assert texts[:3] == [
        "要加强宣传引导，提高居民分类投放准确率",
        "市商务局牵头建立重点客商跟踪服务机制，每月通报一次进展",
        "市工信局按程序报批后抓好实施",
    ]


def test_points_announced_with_a_topic_are_the_directives_not_the_topic():
    texts = [d.text for d in extract_minutes(text("approvals_and_points.txt")).directives]
    assert texts[-2:] == ["一要抓项目，全力以赴推动重点项目建设", "二要保民生，确保各项惠民政策落实到位"]


def test_theme_of_a_requirement_without_keywords_comes_from_its_sentence():
    directive = extract_minutes(text("approvals_and_points.txt")).directives[0]
    assert directive.theme == "urban"


@pytest.mark.parametrize("name", ["seed", "changwu_numbered", "two_meetings", "weekly_list"])
def test_a_report_printed_one_sentence_a_line_gives_the_same_directives(name):
    original = text(f"{name}.txt")
    one_per_line = original.replace("。", "。\n")
    expected = [d.text for d in extract_minutes(original).directives]
    assert [d.text for d in extract_minutes(one_per_line).directives] == expected


@pytest.mark.parametrize("name", ["seed", "changwu_numbered", "traditional_speech"])
def test_a_report_whose_line_breaks_were_lost_gives_the_same_directives(name):
    original = text(f"{name}.txt")
    expected = [d.text for d in extract_minutes(original).directives]
    assert [d.text for d in extract_minutes(original.replace("\n", "")).directives] == expected


def test_yao_inside_words_and_quotations_of_background_is_not_a_requirement():
    found = " ".join(d.text for d in extract_minutes(text("business_environment.txt")).directives)
    assert "要是在以前" not in found
    assert "要素保障不足" not in found
    assert "主要指标" not in found


def test_reports_pasted_one_after_another_keep_the_directives_after_a_disclaimer():
    seed, other = text("seed.txt"), text("two_meetings.txt")
    combined = extract_minutes(seed + "\n" + other).directives
    assert len(combined) == len(extract_minutes(seed).directives) + len(extract_minutes(other).directives)
