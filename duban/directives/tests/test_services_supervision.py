"""Reminders and supervision notices: reminders only about a unit's own open work; notices only for
red work, numbered per year, a Word file that opens."""

from datetime import date
from io import BytesIO

import pytest
from django.urls import reverse
from docx import Document

from duban.core.errors import NotPermitted, TransitionRefused
from duban.directives import services
from duban.directives.models import EventKind, Light, SupervisionNotice, TimelineEvent

from .factories import DirectiveFactory


@pytest.fixture
def red(city):
    return DirectiveFactory(
        lead_unit=city.county, light=Light.RED, deadline=date(2026, 3, 1), title="南屏县污水管网改造"
    )


def test_the_word_notice_opens_and_carries_number_and_addressee(city, red):
    notice = services.notice_issue(
        directive=red, by=city.office, reply_by=date(2026, 10, 16), matters="加快管网施工进度"
    )
    with notice.file.open("rb") as handle:
        document = Document(BytesIO(handle.read()))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "督办通知单" in text
    assert f"〔{notice.year}〕第1号" in text
    assert "南屏县人民政府：" in text
    assert "加快管网施工进度" in text and "2026年10月16日" in text
    assert red.events.filter(kind=EventKind.NOTICE).exists()


def test_notices_are_numbered_per_year(city, red):
    first = services.notice_issue(directive=red, by=city.office)
    second = services.notice_issue(directive=red, by=city.office)
    assert (first.sequence, second.sequence) == (1, 2)
    SupervisionNotice.objects.filter(pk__in=[first.pk, second.pk]).update(year=2025)
    assert services.notice_issue(directive=red, by=city.office).sequence == 1


def test_only_red_directives_get_a_notice_and_only_from_the_office(city, red):
    green = DirectiveFactory(lead_unit=city.county, light=Light.GREEN)
    with pytest.raises(TransitionRefused):
        services.notice_issue(directive=green, by=city.office)
    with pytest.raises(NotPermitted):
        services.notice_issue(directive=red, by=city.county_liaison)


def test_the_notice_page_issues_and_the_unit_downloads_it(city, client_for, red):
    response = client_for(city.office).post(
        reverse("directives:notice_issue", args=[red.pk]), {"matters": "", "reply_by": ""}
    )
    assert response.status_code == 302
    notice = SupervisionNotice.objects.get()
    download = client_for(city.county_liaison).get(reverse("directives:notice_download", args=[notice.pk]))
    assert download.status_code == 200
    assert Document(BytesIO(b"".join(download.streaming_content))).paragraphs


def test_notices_are_counted_against_the_unit(city, red):
    from duban.directives.selectors import notice_counts_by_unit

    services.notice_issue(directive=red, by=city.office)
    services.notice_issue(directive=red, by=city.office)
    rows = list(notice_counts_by_unit(user=city.office, year=date.today().year))
    assert rows[0]["unit"] == city.county.pk and rows[0]["n"] == 2


def test_the_notice_carries_number_addressee_and_matters(city, red):
    from duban.directives.notices import notice_docx

    notice = SupervisionNotice(
        directive=red,
        unit=city.county,
        year=2026,
        sequence=7,
        matters="加快施工",
        reply_by=date(2026, 10, 16),
        issued_on=date(2026, 10, 9),
    )
    text = "\n".join(p.text for p in Document(BytesIO(notice_docx(notice))).paragraphs)
    assert "〔2026〕第7号" in text and "南屏县人民政府" in text and "加快施工" in text


def test_the_notices_page_lists_the_years_notices_and_counts_per_unit(city, client_for, red):
    services.notice_issue(directive=red, by=city.office)
    page = client_for(city.office).get(reverse("directives:notice_list")).content.decode()
    assert "〔" in page and "南屏县人民政府" in page
    other = client_for(city.housing_liaison).get(reverse("directives:notice_list"))
    assert other.status_code == 200 and "南屏县人民政府" not in other.content.decode()


def test_the_office_reminds_a_unit_about_several_directives(city, client_for, directive):
    from duban.notifications.models import Notification

    other = DirectiveFactory(lead_unit=city.finance)
    response = client_for(city.office).post(
        reverse("directives:remind"),
        {"unit": city.finance.pk, "directives": [directive.pk, other.pk], "message": "请本周内报送"},
    )
    assert response.status_code == 302
    assert TimelineEvent.objects.filter(kind=EventKind.REMINDER).count() == 2
    assert Notification.objects.filter(kind="reminder", recipient=city.liaison).exists()


def test_a_reminder_to_a_unit_not_involved_is_refused(city, directive):
    from duban.core.errors import Invalid

    with pytest.raises(Invalid):
        services.reminder_send(unit=city.county, directives=[directive], by=city.office)


def test_a_yellow_directive_says_why_no_notice_is_offered_and_offers_a_reminder(city, client_for, red):
    yellow = DirectiveFactory(lead_unit=city.county, light=Light.YELLOW)
    page = client_for(city.office).get(reverse("directives:detail", args=[yellow.pk])).content.decode()
    assert reverse("directives:notice_issue", args=[yellow.pk]) not in page
    assert reverse("directives:remind") in page
    assert 'id="notice-withheld"' in page and "亮黄灯（临近时限），可先催办" in page
    # The service refuses with the same explanation.
    with pytest.raises(TransitionRefused, match="可先催办"):
        services.notice_issue(directive=yellow, by=city.office)
    # A red one offers the notice and needs no explanation; a unit sees neither.
    page = client_for(city.office).get(reverse("directives:detail", args=[red.pk])).content.decode()
    assert reverse("directives:notice_issue", args=[red.pk]) in page and "notice-withheld" not in page
    page = (
        client_for(city.county_liaison).get(reverse("directives:detail", args=[yellow.pk])).content.decode()
    )
    assert "notice-withheld" not in page
