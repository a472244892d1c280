"""Filing: drafts, submission and its lock, reopening, and timeliness (on time, late, missing)."""

from datetime import date
from unittest import mock

import pytest

from duban.core.concurrency import EditConflict
from duban.core.errors import Invalid, NotPermitted, TransitionRefused
from duban.weekly import selectors, services
from duban.weekly.models import ReportState, Timeliness, WeeklyReport

from .conftest import at, fill


def report_of(cycle, city):
    return WeeklyReport.objects.get(cycle=cycle, unit=city.finance)


def test_saving_an_item_makes_the_report_a_draft(city, cycle):
    report = report_of(cycle, city)
    item = report.items.first()
    services.item_save(item=item, by=city.liaison, done_this_week="完成申报材料", percent=40)
    report.refresh_from_db()
    item.refresh_from_db()
    assert report.state == ReportState.DRAFT
    assert item.done_this_week == "完成申报材料" and item.percent == 40


@pytest.mark.parametrize(
    ("moment", "timeliness"),
    [(at(2026, 11, 27, 16, 59), Timeliness.ON_TIME), (at(2026, 11, 27, 17, 1), Timeliness.LATE)],
    ids=["before the due time", "after the due time"],
)
def test_a_report_is_on_time_when_submitted_by_the_due_time_and_late_after(city, cycle, moment, timeliness):
    report = report_of(cycle, city)
    fill(report, city.liaison)
    with mock.patch("django.utils.timezone.now", return_value=moment):
        report = services.report_submit(report=report, by=city.liaison)
    assert report.state == ReportState.SUBMITTED
    assert report.timeliness == timeliness


def test_a_report_not_submitted_when_the_cycle_closes_is_missing(city, cycle):
    report = report_of(cycle, city)
    fill(report, city.liaison)  # a draft is not a report
    services.run_cycle(now=at(2026, 11, 30, 12, 1))
    report.refresh_from_db()
    assert report.timeliness == Timeliness.MISSING
    with pytest.raises(TransitionRefused, match="已截止"):
        services.report_submit(report=report, by=city.liaison)


def test_submission_locks_the_report(city, cycle):
    report = report_of(cycle, city)
    fill(report, city.liaison)
    services.report_submit(report=report, by=city.liaison)
    with pytest.raises(TransitionRefused):
        services.item_save(item=report.items.first(), by=city.liaison, done_this_week="改一改")


def test_every_item_must_be_filled_before_submission(city, cycle):
    report = report_of(cycle, city)
    services.item_save(item=report.items.first(), by=city.liaison, done_this_week="只填了一项", percent=10)
    with pytest.raises(TransitionRefused, match="尚未填写") as refused:
        services.report_submit(report=report, by=city.liaison)
    assert report.items.last().title in refused.value.message


def test_a_coordination_request_names_a_leader_or_a_unit(city, cycle):
    item = report_of(cycle, city).items.first()
    with pytest.raises(Invalid) as refused:
        services.item_save(item=item, by=city.liaison, coordination_request="请协调土地指标")
    assert "coordination_request" in refused.value.fields
    services.item_save(
        item=item, by=city.liaison, coordination_request="请协调土地指标", coordination_leader=city.leader
    )
    item.refresh_from_db()
    assert item.coordination_leader == city.leader


def test_the_office_reopens_a_submitted_report_and_its_timeliness_stays(city, cycle):
    report = report_of(cycle, city)
    fill(report, city.liaison)
    with mock.patch("django.utils.timezone.now", return_value=at(2026, 11, 26, 10)):
        services.report_submit(report=report, by=city.liaison)
    report = services.report_reopen(report=report, by=city.office, reason="请补充问题")
    assert report.state == ReportState.DRAFT
    services.item_save(item=report.items.first(), by=city.liaison, problems="用地指标不足")
    with mock.patch("django.utils.timezone.now", return_value=at(2026, 11, 28, 10)):
        report = services.report_submit(report=report, by=city.liaison)
    assert report.timeliness == Timeliness.ON_TIME


def test_a_missing_report_reopened_after_the_close_can_be_filed_late(city, cycle):
    services.run_cycle(now=at(2026, 11, 30, 13))
    report = report_of(cycle, city)
    services.report_reopen(report=report, by=city.office, reason="补报")
    fill(report, city.liaison)
    report = services.report_submit(report=report, by=city.liaison)
    assert report.timeliness == Timeliness.LATE


def test_only_the_units_liaisons_file_and_only_the_office_reopens(city, cycle):
    report = report_of(cycle, city)
    item = report.items.first()
    for outsider in (city.office, city.housing_liaison, city.leader_user, city.finance_user):
        with pytest.raises(NotPermitted):
            services.item_save(item=item, by=outsider, done_this_week="代填")
    with pytest.raises(NotPermitted):
        services.report_reopen(report=report, by=city.liaison)


def test_timeliness_rate_over_a_period(city, work):
    # Week 1 on time, week 2 late, week 3 missing.
    for monday, submit_at in (
        (date(2026, 11, 2), at(2026, 11, 6, 10)),
        (date(2026, 11, 9), at(2026, 11, 14, 10)),
        (date(2026, 11, 16), None),
    ):
        services.run_cycle(now=at(monday.year, monday.month, monday.day, 8))
        cycle = services.cycle_open(day=monday)[0]
        report = report_of(cycle, city)
        if submit_at:
            fill(report, city.liaison)
            with mock.patch("django.utils.timezone.now", return_value=submit_at):
                services.report_submit(report=report, by=city.liaison)
    services.run_cycle(now=at(2026, 11, 24, 13))
    figures = selectors.unit_timeliness(city.finance, date(2026, 11, 1), date(2026, 11, 30))
    assert (figures.asked, figures.on_time, figures.late, figures.missing) == (3, 1, 1, 1)
    assert selectors.unit_timeliness_rate(
        city.finance, date(2026, 11, 1), date(2026, 11, 30)
    ) == pytest.approx(1 / 3)
    assert selectors.unit_timeliness_rate(city.housing, date(2026, 11, 1), date(2026, 11, 30)) is None
    by_unit = selectors.timeliness_by_unit(date(2026, 11, 1), date(2026, 11, 30))
    assert by_unit[city.finance.pk].on_time == 1


def test_only_the_first_saved_item_moves_the_report_and_its_version(city, cycle):
    report = report_of(cycle, city)
    first, second = report.items.all()
    services.item_save(item=first, by=city.liaison, done_this_week="第一项")
    report.refresh_from_db()
    assert (report.state, report.version) == (ReportState.DRAFT, 2)
    services.item_save(item=second, by=city.liaison, done_this_week="第二项")
    report.refresh_from_db()
    assert report.version == 2


def test_a_submission_from_a_stale_version_is_refused(city, cycle):
    report = report_of(cycle, city)
    fill(report, city.liaison)
    with pytest.raises(EditConflict):
        services.report_submit(report=report, by=city.liaison, expected_version=1)
    report.refresh_from_db()
    assert services.report_submit(report=report, by=city.liaison, expected_version=report.version).state == (
        ReportState.SUBMITTED
    )


def test_a_report_not_yet_submitted_is_not_returned_while_the_cycle_is_open(city, cycle):
    with pytest.raises(TransitionRefused, match="尚未提交"):
        services.report_reopen(report=report_of(cycle, city), by=city.office)


def test_reopening_tells_the_units_liaisons(city, cycle):
    from duban.notifications.models import Notification

    report = report_of(cycle, city)
    fill(report, city.liaison)
    services.report_submit(report=report, by=city.liaison)
    services.report_reopen(report=report, by=city.office, reason="请补充问题")
    notice = Notification.objects.get(kind="returned")
    assert (notice.recipient, notice.kind, notice.body) == (city.liaison, "returned", "请补充问题")


def _progress(directive, by, text, percent, moment):
    from duban.directives import services as directives

    with mock.patch("django.utils.timezone.now", return_value=moment):
        directives.progress_report_add(directive=directive, by=by, text=text, percent=percent)


def test_the_form_starts_from_the_directive_and_this_weeks_progress(city, work, cycle):
    # Last week's report is history; this week's two reports are where the item starts.
    _progress(work.red, city.liaison, "上周：完成项目储备", 20, at(2026, 11, 18))
    _progress(work.red, city.liaison, "完成申报材料初稿", 40, at(2026, 11, 24))
    _progress(work.red, city.liaison, "通过专家评审", 55, at(2026, 11, 25))
    report = report_of(cycle, city)
    with mock.patch("django.utils.timezone.now", return_value=at(2026, 11, 26)):
        services.report_refresh(report=report)
    item = report.items.get(object_id=work.red.pk)
    assert (item.percent, item.done_this_week) == (55, "完成申报材料初稿\n通过专家评审")
    untouched = report.items.get(object_id=work.green.pk)
    assert untouched.percent == work.green.percent and untouched.done_this_week == ""
    # Once the unit has written the item, the directive no longer overwrites it.
    services.item_save(item=item, by=city.liaison, done_this_week="自己写的", percent=60)
    _progress(work.red, city.liaison, "又一次进展", 65, at(2026, 11, 26))
    with mock.patch("django.utils.timezone.now", return_value=at(2026, 11, 26)):
        services.report_refresh(report=report)
    item.refresh_from_db()
    assert (item.percent, item.done_this_week) == (60, "自己写的")


def test_what_is_submitted_becomes_the_directives_progress_report(city, work, cycle):
    from duban.audit.models import AuditEntry
    from duban.directives.models import Directive, ProgressReport

    report = report_of(cycle, city)
    _progress(work.green, city.liaison, "完成预算执行分析", 30, at(2026, 11, 24))
    with mock.patch("django.utils.timezone.now", return_value=at(2026, 11, 26)):
        services.report_refresh(report=report)
        red = report.items.get(object_id=work.red.pk)
        services.item_save(item=red, by=city.liaison, done_this_week="完成申报材料", percent=75)
        services.report_submit(report=report, by=city.liaison)
    assert Directive.objects.get(pk=work.red.pk).percent == 75
    entry = ProgressReport.objects.filter(directive=work.red).latest("created_at")
    assert (entry.text, entry.percent, entry.author) == ("完成申报材料", 75, city.liaison)
    assert AuditEntry.objects.get_for_object(entry).exists()
    # The item left as it started (this week's own report) adds nothing new to the directive.
    assert ProgressReport.objects.filter(directive=work.green).count() == 1
    # Reopened and submitted again unchanged: still one progress report, not two.
    services.report_reopen(report=report, by=city.office, reason="补充")
    with mock.patch("django.utils.timezone.now", return_value=at(2026, 11, 27)):
        services.report_submit(report=report, by=city.liaison)
    assert ProgressReport.objects.filter(directive=work.red).count() == 1
