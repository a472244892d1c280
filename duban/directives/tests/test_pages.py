"""The pages: the board and my work (filters, counts, query counts), forms, Excel out and in."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from duban.directives import services
from duban.directives.models import Directive, EventKind, Light, State, TimelineEvent
from duban.tests.factories import ThemeFactory

from .factories import DirectiveFactory, MeetingFactory, directive_input


def _many(city, n):
    theme = ThemeFactory(code="bond", name="专项债券")
    meeting = MeetingFactory()
    for i in range(n):
        DirectiveFactory(
            lead_unit=city.finance if i % 2 else city.township,
            co_units=[city.housing],
            theme=theme,
            meeting=meeting,
            responsible_leader=city.leader,
            light=[Light.RED, Light.YELLOW, Light.GREEN][i % 3],
        )


@pytest.mark.parametrize("name", ["directives:board", "directives:my_work"])
@pytest.mark.parametrize("who", ["office", "liaison", "leader_user"])
def test_list_pages_take_the_same_number_of_queries_for_3_or_30_directives(
    city, client_for, django_assert_max_num_queries, name, who
):
    client = client_for(getattr(city, who))
    _many(city, 3)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        assert client.get(reverse(name)).status_code == 200
    _many(city, 30)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(reverse(name)).status_code == 200


def test_the_board_filters_and_counts_lights(city, client_for):
    _many(city, 9)
    client = client_for(city.office)
    response = client.get(reverse("directives:board"), {"light": "red"})
    assert response.context["counts"]["red"] == 3 and response.context["counts"]["total"] == 9
    assert response.context["page_obj"].paginator.count == 3
    response = client.get(reverse("directives:board"), {"unit": city.housing.pk, "due_before": "2026-12-31"})
    assert response.context["page_obj"].paginator.count == 9
    response = client.get(reverse("directives:board"), {"unit": city.township.pk})
    assert response.context["page_obj"].paginator.count == 5
    response = client.get(reverse("directives:board"), {"due_after": "2027-01-01"})
    assert response.context["page_obj"].paginator.count == 0


def test_my_work_shows_a_liaison_their_open_work_red_first(city, client_for):
    DirectiveFactory(lead_unit=city.finance, title="绿灯事项", light=Light.GREEN, deadline=date(2026, 1, 1))
    DirectiveFactory(lead_unit=city.finance, title="红灯事项", light=Light.RED, deadline=date(2026, 6, 1))
    DirectiveFactory(lead_unit=city.finance, title="已办结事项", state=State.CLOSED)
    response = client_for(city.liaison).get(reverse("directives:my_work"))
    titles = [d.title for d in response.context["page_obj"]]
    assert titles == ["红灯事项", "绿灯事项"]


def test_the_directive_page_shows_the_timeline_and_the_units_buttons(city, client_for, directive):
    services.directive_start(directive=directive, by=city.liaison)
    page = client_for(city.liaison).get(reverse("directives:detail", args=[directive.pk])).content.decode()
    assert "签收办理" in page and "申请办结" in page and "报送进展" in page


def test_the_office_creates_and_assigns_a_directive_with_a_roadmap(city, client_for):
    theme = ThemeFactory(code="bond", name="专项债券")
    response = client_for(city.office).post(
        reverse("directives:create"),
        directive_input(
            theme=theme,
            lead_unit=city.finance,
            title="完成第三批专项债券项目申报",
            co_units=[city.housing.pk],
            priority=2,
            milestones="2026-06-30 完成项目储备\n2026-09-30 完成申报",
            assign="on",
        ),
    )
    assert response.status_code == 302
    directive = Directive.objects.get(title="完成第三批专项债券项目申报")
    assert directive.state == State.ASSIGNED
    assert [m.title for m in directive.milestones.all()] == ["完成项目储备", "完成申报"]


def test_a_meeting_directive_without_a_meeting_is_refused(city, client_for):
    theme = ThemeFactory(code="bond", name="专项债券")
    response = client_for(city.office).post(
        reverse("directives:create"),
        directive_input(theme=theme, lead_unit=city.finance, source="meeting"),
    )
    assert response.status_code == 200 and not Directive.objects.exists()


def test_bulk_assign_assigns_the_chosen_drafts_with_a_common_deadline(city, client_for):
    drafts = DirectiveFactory.create_batch(3, state=State.DRAFT, lead_unit=city.finance)
    response = client_for(city.office).post(
        reverse("directives:bulk_assign"),
        {"directives": [d.pk for d in drafts[:2]], "deadline": "2026-11-30"},
    )
    assert response.status_code == 302
    states = dict(Directive.objects.values_list("pk", "state"))
    assert [states[d.pk] for d in drafts] == [State.ASSIGNED, State.ASSIGNED, State.DRAFT]
    assert Directive.objects.get(pk=drafts[0].pk).deadline == date(2026, 11, 30)


def test_a_transition_from_the_page_and_a_refusal_with_a_message(city, client_for, directive):
    client = client_for(city.liaison)
    url = reverse("directives:transition", args=[directive.pk, "request_completion"])
    response = client.post(url, {"note": ""}, follow=True)
    assert "请填写" in response.content.decode()
    response = client.post(url, {"note": "已完成"}, follow=True)
    assert Directive.objects.get(pk=directive.pk).state == State.COMPLETION_REQUESTED
    assert client_for(city.housing_liaison).post(url, {"note": "x"}).status_code == 403


def test_the_unit_reports_progress_with_evidence_and_milestones(city, client_for, directive):
    from .factories import MilestoneFactory

    milestone = MilestoneFactory(directive=directive, due_on=date(2026, 6, 30))
    pdf = SimpleUploadedFile("批复.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    response = client_for(city.liaison).post(
        reverse("directives:progress_add", args=[directive.pk]),
        {"text": "可研已批复", "percent": 40, f"milestone_{milestone.pk}": "done", "files": [pdf]},
    )
    assert response.status_code == 302
    directive.refresh_from_db()
    assert directive.percent == 40 and directive.state == State.IN_PROGRESS
    report = directive.progress_reports.get()
    assert report.milestone_changes[0]["to"] == "done"
    assert report.evidence.get().name == "批复.pdf"
    assert milestone.evidence.get().name == "批复.pdf"
    milestone.refresh_from_db()
    assert milestone.state == "done" and milestone.done_on


def test_evidence_of_a_wrong_type_is_refused_and_nothing_is_saved(city, client_for, directive):
    fake = SimpleUploadedFile("病毒.pdf", b"MZ\x90\x00", content_type="application/pdf")
    response = client_for(city.liaison).post(
        reverse("directives:progress_add", args=[directive.pk]),
        {"text": "x", "percent": 10, "files": [fake]},
        follow=True,
    )
    assert "不符" in response.content.decode()
    assert not directive.progress_reports.exists()


def test_a_leader_comments_and_the_unit_replies(city, client_for, directive):
    client_for(city.leader_user).post(
        reverse("directives:comment_add", args=[directive.pk]), {"text": "请加快进度"}
    )
    comment = directive.comments.get()
    client_for(city.housing_liaison).post(
        reverse("directives:comment_reply", args=[directive.pk, comment.pk]), {"text": "正在配合推进"}
    )
    assert comment.replies.get().text == "正在配合推进"
    kinds = set(TimelineEvent.objects.filter(directive=directive).values_list("kind", flat=True))
    assert kinds == {EventKind.COMMENT, EventKind.REPLY}
    # A liaison cannot give a leader's instruction.
    assert (
        client_for(city.liaison)
        .post(reverse("directives:comment_add", args=[directive.pk]), {"text": "x"})
        .status_code
        == 403
    )


def test_meetings_are_recorded_and_list_their_directives(city, client_for):
    response = client_for(city.office).post(
        reverse("directives:meeting_create"),
        {
            "kind": "mayor_council",
            "title": "市长议事会",
            "held_on": "2026-03-02",
            "units": [city.finance.pk],
            "minutes": "会议议定……",
        },
    )
    assert response.status_code == 302
    from duban.directives.models import Meeting

    meeting = Meeting.objects.get()
    DirectiveFactory(meeting=meeting, source="meeting", lead_unit=city.finance, title="会议议定事项")
    page = (
        client_for(city.liaison).get(reverse("directives:meeting_detail", args=[meeting.pk])).content.decode()
    )
    assert "会议议定事项" in page
    assert (
        client_for(city.county_liaison)
        .get(reverse("directives:meeting_detail", args=[meeting.pk]))
        .status_code
        == 404
    )


def test_the_board_keeps_the_chosen_filters_selected(city, client_for):
    page = client_for(city.office).get(reverse("directives:board"), {"unit": city.county.pk}).content.decode()
    assert f'<option value="{city.county.pk}" selected>' in page
    assert f'<option value="{city.finance.pk}">' in page


def test_the_directive_page_takes_the_same_number_of_queries_however_long_its_history(
    city, client_for, directive, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from .factories import MilestoneFactory

    client = client_for(city.liaison)
    url = reverse("directives:detail", args=[directive.pk])

    def grow(n):
        for i in range(n):
            MilestoneFactory(directive=directive)
            services.progress_report_add(directive=directive, by=city.liaison, text=f"进展{i}", percent=i)
            services.comment_add(directive=directive, by=city.leader_user, text=f"批示{i}")

    grow(1)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    grow(15)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(url).status_code == 200


def test_closing_by_decision_on_the_page_says_what_it_does_and_needs_the_box_ticked(city, client_for):
    directive = DirectiveFactory(lead_unit=city.finance, state=State.IN_PROGRESS, percent=80)
    client = client_for(city.office)
    page = client.get(reverse("directives:detail", args=[directive.pk])).content.decode()
    assert "牵头单位尚未申请办结（当前进度 80%" in page and 'name="confirmed"' in page
    url = reverse("directives:transition", args=[directive.pk, "close_by_decision"])
    back = reverse("directives:detail", args=[directive.pk])
    refused = client.post(url, {"note": "周例会决定办结"}, HTTP_REFERER=back, follow=True)
    assert "请确认按决定办结" in refused.content.decode()
    assert Directive.objects.get(pk=directive.pk).state == State.IN_PROGRESS
    client.post(url, {"note": "周例会决定办结", "confirmed": "on"})
    assert Directive.objects.get(pk=directive.pk).state == State.CLOSED


def test_the_office_reopens_a_closed_directive_from_its_page_and_a_liaison_cannot(city, client_for):
    directive = DirectiveFactory(lead_unit=city.finance, state=State.CLOSED)
    url = reverse("directives:transition", args=[directive.pk, "reopen"])
    page = client_for(city.office).get(reverse("directives:detail", args=[directive.pk])).content.decode()
    assert "重新打开" in page
    assert client_for(city.liaison).post(url, {"note": "x"}).status_code == 403
    client_for(city.office).post(url, {"note": "决定有误"})
    assert Directive.objects.get(pk=directive.pk).state == State.IN_PROGRESS


def test_a_refused_attachment_keeps_the_typed_report_and_names_the_file(city, client_for, directive):
    url = reverse("directives:progress_add", args=[directive.pk])
    typed = "已完成可研批复，正在开展初步设计，预计下月完成招标。"
    bad = SimpleUploadedFile("现场照片.jpg", b"not a jpeg at all", content_type="image/jpeg")
    response = client_for(city.liaison).post(url, {"text": typed, "percent": 45, "files": [bad]})
    page = response.content.decode()
    assert response.status_code == 200
    assert typed in page and 'value="45"' in page
    assert "文件“现场照片.jpg”未能接收" in page and "不符" in page
    assert directive.progress_reports.count() == 0


def test_the_progress_form_starts_at_the_current_percent(city, client_for, directive):
    Directive.objects.filter(pk=directive.pk).update(percent=35)
    page = client_for(city.liaison).get(reverse("directives:detail", args=[directive.pk])).content.decode()
    assert 'name="percent" value="35"' in page


def test_an_ofd_and_a_wps_file_are_accepted_as_evidence(city, client_for, directive):
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("OFD.xml", "<ofd:OFD/>")
    files = [
        SimpleUploadedFile("批复.ofd", buffer.getvalue()),
        SimpleUploadedFile("汇报.wps", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100),
    ]
    url = reverse("directives:progress_add", args=[directive.pk])
    client_for(city.liaison).post(url, {"text": "附批复", "percent": 50, "files": files})
    assert sorted(directive.evidence.values_list("name", flat=True)) == ["批复.ofd", "汇报.wps"]


def test_the_office_picks_drafts_on_the_board_confirms_and_they_are_assigned_with_suggested_leaders(
    city, client_for
):
    from duban.directives.models import Directive

    bond = ThemeFactory(code="bond", name="专项债券")
    city.leader.themes.add(bond)
    drafts = [DirectiveFactory(lead_unit=city.housing, theme=bond, state=State.DRAFT) for _ in range(3)]
    client = client_for(city.office)
    board = client.get(reverse("directives:board")).content.decode()
    assert board.count('form="draft-selection"') == 3
    chosen = [drafts[0].pk, drafts[1].pk]
    confirm = client.get(reverse("directives:bulk_assign"), {"directives": chosen}).content.decode()
    assert "已从总览选中 2 项草稿" in confirm
    assert confirm.count("checked") >= 2
    client.post(reverse("directives:bulk_assign"), {"directives": chosen, "suggest_leaders": "on"})
    assigned = Directive.objects.filter(pk__in=chosen)
    assert {d.state for d in assigned} == {State.ASSIGNED}
    assert {d.responsible_leader for d in assigned} == {city.leader}
    assert Directive.objects.get(pk=drafts[2].pk).state == State.DRAFT


def test_a_liaison_cannot_reach_the_bulk_assignment_with_a_selection(city, client_for, directive):
    url = reverse("directives:bulk_assign")
    assert client_for(city.liaison).get(url, {"directives": [directive.pk]}).status_code == 403


def test_the_new_directive_form_starts_from_a_source_that_needs_no_meeting(city, client_for):
    page = client_for(city.office).get(reverse("directives:create")).content.decode()
    assert '<option value="key_work" selected>' in page
    meeting = MeetingFactory()
    page = client_for(city.office).get(reverse("directives:create"), {"meeting": meeting.pk}).content.decode()
    assert '<option value="meeting" selected>' in page


def test_the_red_filtered_board_counts_what_it_shows(city, client_for):
    _many(city, 6)
    page = client_for(city.office).get(reverse("directives:board"), {"light": "red"})
    assert page.context["page_obj"].paginator.count == 2
    assert "共 2 项" in page.content.decode() and "不限亮灯 6 项" in page.content.decode()


def test_the_ledger_import_page_offers_its_template_with_the_columns_it_reads(city, client_for):
    from io import BytesIO

    from openpyxl import load_workbook

    from duban.directives.services import LEDGER_COLUMNS

    page = client_for(city.office).get(reverse("directives:import")).content.decode()
    assert reverse("directives:import_template") in page
    sheet = load_workbook(
        BytesIO(client_for(city.office).get(reverse("directives:import_template")).content)
    ).active
    assert [c.value for c in next(sheet.iter_rows(max_row=1))] == list(LEDGER_COLUMNS)
    assert client_for(city.liaison).get(reverse("directives:import_template")).status_code == 403


def test_drafts_are_assigned_to_the_unit_their_text_names_to_lead(city, client_for):
    from duban.directives.models import Directive

    named = DirectiveFactory(
        lead_unit=city.housing,
        state=State.DRAFT,
        title="加快专项债券申报",
        content="会同市住建局梳理项目，由财政局牵头，12月底前报送。",
    )
    swapped = DirectiveFactory(
        lead_unit=city.housing,
        co_units=[city.finance],
        state=State.DRAFT,
        content="请市财政局负责资金安排，住建局配合。",
    )
    silent = DirectiveFactory(lead_unit=city.county, state=State.DRAFT, content="加快推进。")
    client = client_for(city.office)
    page = client.get(reverse("directives:bulk_assign")).content.decode()
    assert page.count("内容点名牵头：市财政局") == 2  # the two whose text names another lead unit
    chosen = [named.pk, swapped.pk, silent.pk]
    client.post(reverse("directives:bulk_assign"), {"directives": chosen, "suggest_units": "on"})
    named, swapped, silent = (Directive.objects.get(pk=pk) for pk in chosen)
    assert named.lead_unit == city.finance and named.state == State.ASSIGNED
    # The unit asked to lead was co-operating: the two swap places.
    assert swapped.lead_unit == city.finance and list(swapped.co_units.all()) == [city.housing]
    assert silent.lead_unit == city.county and silent.state == State.ASSIGNED
    assert named.events.filter(kind=EventKind.EDITED).exists()  # the change is on the timeline


def test_without_the_option_the_drafts_keep_their_lead_unit(city):
    draft = DirectiveFactory(lead_unit=city.housing, state=State.DRAFT, content="由市财政局牵头。")
    services.directives_assign_bulk(directives=[draft], by=city.office)
    draft.refresh_from_db()
    assert draft.lead_unit == city.housing
