"""What a news site prints around a report (disclaimer, editor lines, a closing byline) is not part of
the meeting record; the report itself, and its publication line, stay as written."""

from duban.minutes.engine import trim_boilerplate

from .helpers import text


def test_the_seeds_disclaimer_and_editor_line_are_trimmed_and_the_report_kept():
    seed = text("seed.txt")
    trimmed = trim_boilerplate(seed)
    assert "免責(zé)聲明" not in trimmed and "責(zé)任編輯" not in trimmed
    assert "楊麗" not in trimmed
    assert trimmed.startswith("駐馬店廣電融媒體消息:12月25日")
    assert trimmed.rstrip().endswith("提出明確要求。")  # the closing byline "(記者 廣彬 曉明)" goes too
    assert seed.startswith(trimmed.rstrip()[:-10])


def test_editor_lines_as_other_sites_print_them_are_trimmed():
    report = "會議要求,要統籌做好經濟社會發展重點工作。(記者 王雪潔)\n\n(責編:馬玲玲、張磊)\n"  # corpus 05
    assert trim_boilerplate(report) == "會議要求,要統籌做好經濟社會發展重點工作。\n"
    for line in ("责任编辑：张三", "编辑 / 李四", "【审核：王五】", "校对:赵六", "分享到：微信 微博"):
        assert trim_boilerplate(f"会议强调，要加快推进。\n{line}\n") == "会议强调，要加快推进。\n"


def test_the_publication_line_and_sentences_that_merely_mention_an_editor_stay():
    report = (
        "发布时间:2017-12-21 08:58 我要投稿\n"  # corpus 20: its date gives the meeting its year
        "会议要求，市委宣传部编辑部要加强审核把关。\n"
    )
    assert trim_boilerplate(report) == report


def test_a_confirmed_meetings_record_keeps_no_disclaimer(city, themes):
    from datetime import date

    from .. import services

    draft = services.draft_create(by=city.office, text=text("seed.txt"), meeting_date=date(2026, 12, 25))
    assert "聲明" not in draft.source_text and "声明" not in draft.normalized_text
    assert "责任编辑" not in draft.normalized_text
