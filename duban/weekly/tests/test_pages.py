"""Pages: what each user may open, the report form saving as you go, and query counts."""

import re
from datetime import date

from django.urls import reverse

from duban.weekly import services
from duban.weekly.models import AgendaKind, ReportState, WeeklyReport

from .conftest import at, fill
from .factories import DirectiveFactory


def test_a_unit_cannot_read_another_units_draft_report(city, finance_report, client_for):
    services.item_save(
        item=finance_report.items.first(), by=city.liaison, done_this_week="草稿内容", percent=5
    )
    client = client_for(city.housing_liaison)
    assert client.get(reverse("weekly:report_detail", args=[finance_report.pk])).status_code == 404
    item = finance_report.items.first()
    assert client.post(reverse("weekly:item_save", args=[item.pk]), {}).status_code == 404
    assert client.post(reverse("weekly:report_submit", args=[finance_report.pk])).status_code == 404


def test_a_leader_reads_submitted_reports_of_the_portfolio_but_never_a_draft(
    city, finance_report, client_for
):
    services.item_save(
        item=finance_report.items.first(), by=city.liaison, done_this_week="草稿内容", percent=5
    )
    client = client_for(city.leader_user)
    url = reverse("weekly:report_detail", args=[finance_report.pk])
    assert client.get(url).status_code == 404
    fill(finance_report, city.liaison)
    services.report_submit(report=finance_report, by=city.liaison)
    response = client.get(url)
    assert response.status_code == 200
    assert "完成了本周工作" in response.content.decode()
    assert "hx-post" not in response.content.decode()


def test_the_unit_fills_its_report_on_one_page_saving_as_it_goes(city, finance_report, client_for):
    client = client_for(city.liaison)
    response = client.get(reverse("weekly:my_report"))
    assert response.status_code == 302 and response["Location"] == reverse(
        "weekly:report_detail", args=[finance_report.pk]
    )
    page = client.get(response["Location"]).content.decode()
    assert page.count('hx-post="/weekly/items/') == 2
    assert 'name="expected_version" value="1"' in page
    for item in finance_report.items.all():
        prefix = f"item{item.pk}"
        response = client.post(
            reverse("weekly:item_save", args=[item.pk]),
            {
                f"{prefix}-done_this_week": "已完成",
                f"{prefix}-plan_next_week": "继续",
                f"{prefix}-percent": "60",
            },
            HTTP_HX_REQUEST="true",
        )
        assert response.status_code == 200
        assert "已保存" in response.content.decode()
        # The first save made the report a draft (a new version): the submit button is told so.
        assert (
            'id="report-version" name="expected_version" value="2" hx-swap-oob="true"'
            in response.content.decode()
        )
    response = client.post(
        reverse("weekly:report_submit", args=[finance_report.pk]), {"expected_version": "2"}, follow=True
    )
    finance_report.refresh_from_db()
    assert finance_report.state == ReportState.SUBMITTED
    assert "hx-post" not in response.content.decode()


def test_an_item_with_a_bad_percent_is_not_saved_and_says_so_on_the_field(city, finance_report, client_for):
    item = finance_report.items.first()
    client = client_for(city.liaison)
    page = client.get(reverse("weekly:report_detail", args=[finance_report.pk])).content.decode()
    # The browser does not stop the save on its own (htmx would drop it silently): the server answers.
    assert page.count('<form method="post" novalidate') == finance_report.items.count()
    p = f"item{item.pk}"
    response = client.post(
        reverse("weekly:item_save", args=[item.pk]),
        {f"{p}-done_this_week": "已完成", f"{p}-percent": "150"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    # The card comes back with the message, in place of the whole card (its "已保存" gone).
    assert response["HX-Retarget"] == f"#item-{item.pk}"
    card = response.content.decode()
    assert "未保存" in card and "已保存" not in card
    percent_input = re.search(rf'<input[^>]*name="{p}-percent"[^>]*>', card).group(0)
    assert "is-invalid" in percent_input
    assert 'class="invalid-feedback d-block"' in card and "已完成" in card
    item.refresh_from_db()
    assert item.percent != 150 and item.done_this_week != "已完成"
    # Without htmx, the report page comes back with what was typed and the fault on the field.
    response = client.post(
        reverse("weekly:item_save", args=[item.pk]), {f"{p}-done_this_week": "已完成", f"{p}-percent": "150"}
    )
    page = response.content.decode()
    assert (
        response.status_code == 200 and "未保存" in page and "已完成" in page and "invalid-feedback" in page
    )


def test_every_input_of_the_report_form_has_a_label(city, finance_report, client_for):
    page = client_for(city.liaison).get(reverse("weekly:report_detail", args=[finance_report.pk]))
    html = page.content.decode()
    ids = re.findall(r'<(?:input|select|textarea)[^>]*\bid="(id_item[^"]+)"', html)
    assert len(ids) == 7 * finance_report.items.count()
    for input_id in ids:
        assert f'for="{input_id}"' in html, input_id


def test_office_sends_one_click_reminders_to_missing_units(city, cycle, client_for):
    from duban.notifications.models import Notification

    response = client_for(city.office).post(reverse("weekly:cycle_remind", args=[cycle.pk]))
    assert response.status_code == 302
    assert set(Notification.objects.values_list("recipient__username", flat=True)) == {"liaison", "county"}


def test_the_bulletin_status_polls_while_compiling(city, cycle, client_for):
    from duban.weekly.models import Bulletin, BulletinState

    Bulletin.objects.create(cycle=cycle, state=BulletinState.RUNNING, progress=42, step="编制 Word 文件")
    page = client_for(city.office).get(reverse("weekly:bulletin_status", args=[cycle.pk])).content.decode()
    assert 'hx-trigger="every 2s"' in page and "42%" in page


def test_the_office_compiles_and_a_leader_downloads_the_bulletin(city, cycle, client_for):
    response = client_for(city.office).post(reverse("weekly:bulletin_compile", args=[cycle.pk]))
    assert response.status_code == 302
    client = client_for(city.leader_user)
    page = client.get(reverse("weekly:bulletin", args=[cycle.pk])).content.decode()
    assert "专项债券项目申报" in page  # the red list
    for kind in ("docx", "xlsx"):
        response = client.get(reverse("weekly:bulletin_download", args=[cycle.pk, kind]))
        assert response.status_code == 200
        b"".join(response.streaming_content)


def test_the_office_records_a_decision_on_the_meeting_page(city, work, weekly, client_for):
    from duban.directives.models import Directive
    from duban.tests.factories import ThemeFactory

    theme = ThemeFactory(code="city", name="城市功能")
    item = weekly.agenda.get(kind=AgendaKind.RED)
    p = f"a{item.pk}"
    response = client_for(city.office).post(
        reverse("weekly:agenda_decide", args=[weekly.pk, item.pk]),
        {
            f"{p}-decision": "另立事项推进",
            f"{p}-action": "new_directive",
            f"{p}-deadline": "2026-12-20",
            f"{p}-unit": city.housing.name,
            f"{p}-title": "会议新立事项",
            f"{p}-theme": theme.pk,
            f"{p}-expected_version": item.version,
        },
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert Directive.objects.get(pk=item.resulting_directive_id).title == "会议新立事项"


def refusals(city, cycle, report, weekly):
    item = report.items.first()
    agenda = weekly.agenda.first()
    office_pages = [
        ("get", reverse("weekly:cycle_detail", args=[cycle.pk])),
        ("post", reverse("weekly:cycle_remind", args=[cycle.pk])),
        ("post", reverse("weekly:cycle_close", args=[cycle.pk])),
        ("get", reverse("weekly:cycle_reports_export", args=[cycle.pk])),
        ("post", reverse("weekly:bulletin_compile", args=[cycle.pk])),
        ("post", reverse("weekly:meeting_create", args=[cycle.pk])),
        ("post", reverse("weekly:report_reopen", args=[report.pk])),
        ("post", reverse("weekly:agenda_decide", args=[weekly.pk, agenda.pk])),
        ("post", reverse("weekly:agenda_add", args=[weekly.pk])),
    ]
    bulletin_pages = [
        ("get", reverse("weekly:bulletin", args=[cycle.pk])),
        ("get", reverse("weekly:bulletin_status", args=[cycle.pk])),
        ("get", reverse("weekly:bulletin_download", args=[cycle.pk, "docx"])),
    ]
    meeting_pages = [
        ("get", reverse("weekly:meeting_detail", args=[weekly.pk])),
        ("get", reverse("weekly:minutes_download", args=[weekly.pk])),
        ("get", reverse("weekly:decisions_export", args=[weekly.pk])),
    ]
    unit_pages = [
        ("get", reverse("weekly:report_detail", args=[report.pk])),
        ("post", reverse("weekly:item_save", args=[item.pk])),
        ("post", reverse("weekly:report_submit", args=[report.pk])),
    ]
    return office_pages, bulletin_pages, meeting_pages, unit_pages


def test_wrong_users_are_refused_on_every_page(city, cycle, finance_report, weekly, client):
    office_pages, bulletin_pages, meeting_pages, unit_pages = refusals(city, cycle, finance_report, weekly)
    expectations = [
        (city.liaison, office_pages, 403),
        (city.leader_user, office_pages, 403),
        (city.liaison, bulletin_pages, 403),
        (city.finance_user, bulletin_pages, 403),
        (city.liaison, meeting_pages, 404),
        (city.housing_liaison, unit_pages, 404),
        (city.county_liaison, unit_pages, 404),
    ]
    for user, pages, status in expectations:
        client.force_login(user)
        for method, url in pages:
            response = getattr(client, method)(url)
            assert response.status_code == status, (user.username, method, url, response.status_code)
    client.logout()
    for method, url in [
        p for group in (office_pages, bulletin_pages, meeting_pages, unit_pages) for p in group
    ]:
        response = getattr(client, method)(url)
        assert response.status_code == 302 and "/accounts/login" in response["Location"], url


def test_the_office_cannot_file_for_a_unit_nor_the_leader(city, finance_report, client_for):
    item = finance_report.items.first()
    for user in (city.office, city.leader_user):
        client = client_for(user)
        response = client.post(
            reverse("weekly:item_save", args=[item.pk]),
            {f"item{item.pk}-done_this_week": "代填"},
            HTTP_HX_REQUEST="true",
        )
        assert response.status_code in (403, 404)
    item.refresh_from_db()
    assert item.done_this_week == ""


def test_pages_answer_for_their_users(city, cycle, finance_report, weekly, client_for):
    for user, url in [
        (city.office, reverse("weekly:cycle_list")),
        (city.liaison, reverse("weekly:cycle_list")),
        (city.leader_user, reverse("weekly:cycle_list")),
        (city.office, reverse("weekly:cycle_detail", args=[cycle.pk])),
        (city.office, reverse("weekly:meeting_detail", args=[weekly.pk])),
        (city.leader_user, reverse("weekly:meeting_detail", args=[weekly.pk])),
        (city.office, reverse("weekly:minutes_download", args=[weekly.pk])),
        (city.office, reverse("weekly:decisions_export", args=[weekly.pk])),
        (city.office, reverse("weekly:cycles_export")),
        (city.housing_liaison, reverse("weekly:my_report")),
    ]:
        assert client_for(user).get(url).status_code == 200, (user.username, url)


def _more_work(city, n):
    from duban.tests.factories import UnitFactory

    for i in range(n):
        unit = UnitFactory(parent=city.root)
        DirectiveFactory(lead_unit=unit, title=f"批量事项{i}", light="red")


def test_query_counts_do_not_grow_with_the_number_of_units(
    city, work, client_for, django_assert_max_num_queries
):
    _more_work(city, 30)
    services.run_cycle(now=at(2026, 11, 23, 8))
    cycle = services.cycle_open(day=date(2026, 11, 23))[0]
    services.bulletin_request(cycle=cycle, by=city.office)
    office = client_for(city.office)
    with django_assert_max_num_queries(15):
        assert office.get(reverse("weekly:cycle_list")).status_code == 200
    for user in (city.liaison, city.leader_user):
        client = client_for(user)
        with django_assert_max_num_queries(15):
            assert client.get(reverse("weekly:cycle_list")).status_code == 200
    office = client_for(city.office)
    with django_assert_max_num_queries(20):
        assert office.get(reverse("weekly:cycle_detail", args=[cycle.pk])).status_code == 200
    with django_assert_max_num_queries(25):
        assert office.get(reverse("weekly:bulletin", args=[cycle.pk])).status_code == 200
    report = WeeklyReport.objects.get(cycle=cycle, unit=city.finance)
    liaison = client_for(city.liaison)
    with django_assert_max_num_queries(25):
        assert liaison.get(reverse("weekly:report_detail", args=[report.pk])).status_code == 200
    weekly = services.weekly_meeting_create(cycle=cycle, by=city.office, held_on=date(2026, 11, 30))
    assert weekly.agenda.count() > 30
    office = client_for(city.office)
    with django_assert_max_num_queries(15):
        assert office.get(reverse("weekly:meeting_detail", args=[weekly.pk])).status_code == 200


def test_the_report_form_reads_the_same_number_of_queries_for_many_items(
    city, work, client_for, django_assert_max_num_queries
):
    for i in range(25):
        DirectiveFactory(lead_unit=city.finance, title=f"财政事项{i}")
    services.run_cycle(now=at(2026, 11, 23, 8))
    report = WeeklyReport.objects.get(unit=city.finance)
    assert report.items.count() == 27
    client = client_for(city.liaison)
    with django_assert_max_num_queries(15):
        page = client.get(reverse("weekly:report_detail", args=[report.pk]))
    assert page.content.decode().count('hx-post="/weekly/items/') == 27


def test_the_cycle_page_shows_who_is_late_after_the_due_time(city, cycle, finance_report, client_for):
    from unittest import mock

    fill(finance_report, city.liaison)
    with mock.patch("django.utils.timezone.now", return_value=at(2026, 11, 27, 18)):
        services.report_submit(report=finance_report, by=city.liaison)
        page = client_for(city.office).get(reverse("weekly:cycle_detail", args=[cycle.pk])).content.decode()
    assert "迟报" in page and "逾期未报" in page
    page = client_for(city.office).get(reverse("weekly:cycle_detail", args=[cycle.pk]) + "?timeliness=late")
    assert city.finance.name in page.content.decode() and city.county.name not in page.content.decode()


def test_a_refused_submission_comes_back_to_the_report_with_the_reason(city, finance_report, client_for):
    url = reverse("weekly:report_detail", args=[finance_report.pk])
    response = client_for(city.liaison).post(
        reverse("weekly:report_submit", args=[finance_report.pk]),
        HTTP_REFERER=f"http://testserver{url}",
        follow=True,
    )
    assert response.redirect_chain[-1][0].endswith(url)
    assert "尚未填写本周完成情况或完成进度" in response.content.decode()
    finance_report.refresh_from_db()
    assert finance_report.state == ReportState.PENDING


def test_the_weekly_meeting_form_shows_its_refusals_beside_the_fields(city, cycle, weekly, client_for):
    url = reverse("weekly:meeting_create", args=[cycle.pk])
    client = client_for(city.office)
    assert client.get(url).status_code == 200
    response = client.post(url, {"held_on": "not a day"})
    assert response.status_code == 200 and response.context["form"].errors["held_on"]
    response = client.post(url, {"held_on": "2026-12-01"})
    assert "该周期的周例会已创建" in response.content.decode()


def test_the_office_adds_an_agenda_item(city, weekly, client_for):
    url = reverse("weekly:agenda_add", args=[weekly.pk])
    client = client_for(city.office)
    assert client.get(url).status_code == 200
    response = client.post(url, {"title": "城区内涝治理", "unit": city.housing.short_name})
    assert response.status_code == 302
    added = weekly.agenda.get(title="城区内涝治理")
    assert (added.kind, added.unit) == (AgendaKind.OTHER, city.housing)
    response = client.post(url, {"title": "x", "unit": "不存在的单位"})
    assert response.status_code == 200 and response.context["form"].errors["unit"]


def test_reminding_a_unit_that_does_not_exist_is_refused(city, cycle, client_for):
    url = reverse("weekly:cycle_remind", args=[cycle.pk])
    response = client_for(city.office).post(url, {"unit": "abc"})
    assert response.status_code == 400


def test_a_submitted_report_asking_a_leader_for_coordination_opens_for_everyone(
    city, work, finance_report, client_for
):
    # The request names a leader and no unit: the page once failed resolving the unit's name.
    fill(finance_report, city.liaison)
    red = finance_report.items.get(object_id=work.red.pk)
    services.item_save(
        item=red, by=city.liaison, coordination_request="请领导协调用地指标", coordination_leader=city.leader
    )
    services.report_submit(report=finance_report, by=city.liaison)
    url = reverse("weekly:report_detail", args=[finance_report.pk])
    for user in (city.liaison, city.office, city.leader_user):
        response = client_for(user).get(url)
        assert response.status_code == 200, user.username
        assert f"请领导协调用地指标（{city.leader.name}）" in response.content.decode()


def test_a_weekly_meeting_has_one_page(city, work, weekly, client_for):
    # The directives' page of the meeting sends to the weekly meeting's, which shows what it decided.
    from duban.directives.models import Directive

    decided = Directive.objects.get(pk=work.red.pk)
    decided.meeting = weekly.meeting
    decided.save()
    for user in (city.office, city.leader_user):
        client = client_for(user)
        response = client.get(reverse("directives:meeting_detail", args=[weekly.meeting.pk]))
        assert response.status_code == 302, user.username
        assert response["Location"] == reverse("weekly:meeting_detail", args=[weekly.pk])
    page = client_for(city.office).get(reverse("weekly:meeting_detail", args=[weekly.pk])).content.decode()
    assert "会议形成的督办事项" in page and reverse("directives:detail", args=[work.red.pk]) in page
    assert f"?meeting={weekly.meeting.pk}" in page
    # Every input of the decision forms has its label.
    ids = [
        i
        for i in re.findall(r'<(?:input|select|textarea)[^>]*\bid="(id_a\d+-[^"]+)"', page)
        if not i.endswith("expected_version")  # hidden
    ]
    assert ids
    for input_id in ids:
        assert f'for="{input_id}"' in page, input_id
    # A liaison of a unit at the meeting still reads the meeting's directives page (the weekly one is
    # the office's and the leaders').
    response = client_for(city.liaison).get(reverse("directives:meeting_detail", args=[weekly.meeting.pk]))
    assert response.status_code in (200, 404)
    assert response.status_code != 302


def test_the_bulletin_links_each_red_and_yellow_item_to_its_directive(city, work, cycle, client_for):
    page = client_for(city.leader_user).get(reverse("weekly:bulletin", args=[cycle.pk])).content.decode()
    for directive in (work.red, work.yellow):
        link = f'<a href="{reverse("directives:detail", args=[directive.pk])}">{directive.title}</a>'
        assert link in page
        assert f"<td>{directive.pk}</td>" in page  # its 编号, as the Word bulletin prints it
