"""The minutes import pages: paste or upload, highlighted drafts, htmx row edits, confirmation, access."""

import io
import re
import zipfile
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from duban.directives.models import Directive, Meeting
from duban.tests.lists import assert_queries_do_not_grow

from .. import services
from ..forms import RowForm
from ..models import MinutesDraft
from .conftest import MEETING_TEXT
from .helpers import text

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}


def test_pasting_the_seed_shows_highlighted_drafts(city, themes, client_for):
    client = client_for(city.office)
    response = client.post(
        reverse("minutes:draft_list"), {"text": text("seed.txt"), "meeting_date": "2018-12-25"}, follow=True
    )
    assert response.status_code == 200
    draft = MinutesDraft.objects.get()
    page = response.content.decode()
    assert len(draft.rows) >= 10
    # Every draft is marked in the normalised text at its source span, numbered as in the table.
    for number, row in enumerate(draft.rows, start=1):
        assert re.search(rf'<mark id="src-{row["key"]}"[^>]*><sup>{number}</sup>', page)
        assert f'id="row-{row["key"]}"' in page
    marked = re.findall(r'<mark id="src-\d+"[^>]*><sup>\d+</sup>(.*?)</mark>', page, re.S)
    assert marked[1] == draft.normalized_text[draft.rows[1]["nstart"] : draft.rows[1]["nend"]]
    assert "督查激励" in marked[1]
    assert "市长议事会" in page


def test_the_highlighted_text_is_escaped(city, themes, client_for):
    client = client_for(city.office)
    hostile = "会议要求，市财政局要<script>alert(1)</script>加快专项债券发行，3月底前完成。"
    client.post(reverse("minutes:draft_list"), {"text": hostile})
    draft = MinutesDraft.objects.get()
    page = client.get(reverse("minutes:draft_detail", args=[draft.pk])).content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;" in page


def test_uploading_a_text_file_in_gbk_works(city, themes, client_for):
    upload = SimpleUploadedFile("纪要.txt", MEETING_TEXT.encode("gb18030"), content_type="text/plain")
    response = client_for(city.office).post(reverse("minutes:draft_list"), {"file": upload})
    assert response.status_code == 302
    draft = MinutesDraft.objects.get()
    assert draft.source_name == "纪要.txt"
    assert len(draft.rows) == 3


def _docx(paragraphs: list[str]) -> bytes:
    import docx

    document = docx.Document()
    for paragraph in paragraphs:
        document.add_paragraph(paragraph)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_uploading_a_word_document_works(city, themes, client_for):
    upload = SimpleUploadedFile("纪要.docx", _docx(MEETING_TEXT.splitlines()))
    response = client_for(city.office).post(reverse("minutes:draft_list"), {"file": upload})
    assert response.status_code == 302
    assert len(MinutesDraft.objects.get().rows) == 3


def test_a_binary_file_is_refused_in_chinese(city, themes, client_for):
    upload = SimpleUploadedFile("纪要.txt", bytes(range(256)) * 8, content_type="text/plain")
    response = client_for(city.office).post(reverse("minutes:draft_list"), {"file": upload})
    assert response.status_code == 400
    assert "文件不是文本，也不是 .docx 文档，无法读取。" in response.content.decode()
    assert not MinutesDraft.objects.exists()


def test_a_file_of_another_type_is_refused_in_chinese(city, themes, client_for):
    upload = SimpleUploadedFile("图片.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64)
    response = client_for(city.office).post(reverse("minutes:draft_list"), {"file": upload})
    assert response.status_code == 400
    assert "不支持的文件类型" in response.content.decode()


def test_a_broken_word_document_is_refused(city, themes, client_for):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "not a document")
    upload = SimpleUploadedFile("纪要.docx", buffer.getvalue())
    response = client_for(city.office).post(reverse("minutes:draft_list"), {"file": upload})
    assert response.status_code == 400
    # A zip without a Word document's parts is refused by the upload check, before it is opened.
    assert "文件内容与扩展名“.docx”不符" in response.content.decode()


def test_nothing_to_extract_is_reported(city, themes, client_for):
    response = client_for(city.office).post(reverse("minutes:draft_list"), {"text": "  "})
    assert response.status_code == 400
    assert "请粘贴会议纪要或通稿的文字，或上传文件。" in response.content.decode()


def test_a_row_is_edited_through_htmx(city, draft, client_for):
    client = client_for(city.office)
    key = draft.rows[2]["key"]
    url = reverse("minutes:row_edit", args=[draft.pk, key])
    form = client.get(url, headers=HTMX).content.decode()
    assert f'name="r{key}-lead_unit"' in form
    response = client.post(
        url,
        {
            f"r{key}-title": "落实属地责任",
            f"r{key}-text": "各县区要落实属地责任，本周内完成隐患排查",
            f"r{key}-theme": "safety",
            f"r{key}-lead_unit": city.county.pk,
            f"r{key}-co_units": [city.township.pk],
            f"r{key}-deadline": "2026-03-08",
        },
        headers=HTMX,
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert page.startswith('<tr id="row-') and "落实属地责任" in page and "南屏县" in page
    draft.refresh_from_db()
    row = draft.rows[2]
    assert (row["lead_unit"], row["co_units"], row["deadline"]) == (
        city.county.pk,
        [city.township.pk],
        "2026-03-08",
    )


def test_an_invalid_row_edit_shows_the_form_again(city, draft, client_for):
    key = draft.rows[0]["key"]
    response = client_for(city.office).post(
        reverse("minutes:row_edit", args=[draft.pk, key]), {f"r{key}-title": ""}, headers=HTMX
    )
    assert response.status_code == 200
    assert "<form" in response.content.decode()
    draft.refresh_from_db()
    assert draft.rows[0]["title"]


def test_merge_split_and_drop_through_the_page(city, draft, client_for):
    client = client_for(city.office)
    first, second, third = (row["key"] for row in draft.rows)
    response = client.post(reverse("minutes:row_merge", args=[draft.pk, first]), headers=HTMX)
    assert response.status_code == 200 and 'id="workspace"' in response.content.decode()
    draft.refresh_from_db()
    assert [row["key"] for row in draft.rows] == [first, third]

    split_form = client.get(
        reverse("minutes:row_split", args=[draft.pk, first]), headers=HTMX
    ).content.decode()
    position = re.search(r'<option value="(\d+)"', split_form).group(1)
    client.post(reverse("minutes:row_split", args=[draft.pk, first]), {"position": position}, headers=HTMX)
    draft.refresh_from_db()
    assert len(draft.rows) == 3

    response = client.post(reverse("minutes:row_drop", args=[draft.pk, third]))
    assert response.status_code == 302
    draft.refresh_from_db()
    assert third not in [row["key"] for row in draft.rows]


def _meeting(**changes) -> dict:
    """The meeting form of the draft page as the office fills it in."""
    return {"title": "常务会议", "meeting_kind": "executive", "meeting_date": "2026-03-02", **changes}


def test_confirming_on_the_page_creates_the_meeting_and_directives(city, draft, client_for):
    services.draft_row_drop(draft=draft, by=city.office, key=draft.rows[2]["key"])
    response = client_for(city.office).post(
        reverse("minutes:draft_meeting", args=[draft.pk]), _meeting(title="市政府第5次常务会议", confirm="1")
    )
    meeting = Meeting.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("directives:meeting_detail", args=[meeting.pk])
    assert meeting.title == "市政府第5次常务会议"
    assert sorted(Directive.objects.values_list("lead_unit", flat=True)) == sorted(
        [city.finance.pk, city.housing.pk]
    )


def test_confirming_with_a_row_without_lead_unit_creates_nothing(city, draft, client_for):
    response = client_for(city.office).post(
        reverse("minutes:draft_meeting", args=[draft.pk]), _meeting(confirm="1")
    )
    assert response.status_code == 400
    assert "第 3 项：请选择牵头单位。" in response.content.decode()
    assert not Meeting.objects.exists() and not Directive.objects.exists()


def test_saving_the_meeting_details_keeps_the_draft(city, draft, client_for):
    response = client_for(city.office).post(
        reverse("minutes:draft_meeting", args=[draft.pk]),
        _meeting(
            title="专题会", meeting_kind="special", meeting_date="2026-03-03", default_deadline="2026-12-31"
        ),
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert (draft.title, draft.meeting_kind, draft.default_deadline) == (
        "专题会",
        "special",
        date(2026, 12, 31),
    )
    assert not Meeting.objects.exists()


def _urls(draft) -> list[tuple[str, str]]:
    key = draft.rows[0]["key"]
    return [
        ("get", reverse("minutes:draft_list")),
        ("post", reverse("minutes:draft_list")),
        ("get", reverse("minutes:draft_detail", args=[draft.pk])),
        ("get", reverse("minutes:draft_pending", args=[draft.pk])),
        ("post", reverse("minutes:draft_meeting", args=[draft.pk])),
        ("get", reverse("minutes:row_show", args=[draft.pk, key])),
        ("get", reverse("minutes:row_edit", args=[draft.pk, key])),
        ("post", reverse("minutes:row_edit", args=[draft.pk, key])),
        ("post", reverse("minutes:row_merge", args=[draft.pk, key])),
        ("get", reverse("minutes:row_split", args=[draft.pk, key])),
        ("post", reverse("minutes:row_split", args=[draft.pk, key])),
        ("post", reverse("minutes:row_drop", args=[draft.pk, key])),
    ]


@pytest.mark.parametrize("who", ["liaison", "leader_user", "finance_user"])
def test_wrong_users_get_403_on_every_page(city, draft, client_for, who):
    client = client_for(getattr(city, who))
    for method, url in _urls(draft):
        response = getattr(client, method)(url, {"text": MEETING_TEXT} if method == "post" else None)
        assert response.status_code == 403, (method, url)
    assert MinutesDraft.objects.count() == 1
    assert not Meeting.objects.exists()


def test_anonymous_users_are_sent_to_log_in(city, draft, client):
    response = client.get(reverse("minutes:draft_detail", args=[draft.pk]))
    assert response.status_code == 302


def test_the_menu_shows_the_import_to_the_office_only(city, client_for):
    url = reverse("minutes:draft_list")
    assert url in client_for(city.office).get(reverse("cockpit:home")).content.decode()
    assert url not in client_for(city.liaison).get(reverse("cockpit:home")).content.decode()


def _draft_with_rows(city, count: int):
    draft = services.draft_create(by=city.office, text=MEETING_TEXT, meeting_date=date(2026, 3, 2))
    units = [city.finance, city.housing, city.county, city.township]
    template = draft.rows[0]
    draft.rows = [
        {**template, "key": n + 1, "lead_unit": units[n % 4].pk, "co_units": [units[(n + 1) % 4].pk]}
        for n in range(count)
    ]
    draft.next_key = count + 1
    draft.save()
    return draft


def test_the_draft_page_makes_the_same_number_of_queries_for_more_rows(
    city, themes, client_for, django_assert_max_num_queries
):
    client = client_for(city.office)
    small, large = _draft_with_rows(city, 2), _draft_with_rows(city, 40)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as baseline:
        assert client.get(reverse("minutes:draft_detail", args=[small.pk])).status_code == 200
    with django_assert_max_num_queries(len(baseline.captured_queries)):
        response = client.get(reverse("minutes:draft_detail", args=[large.pk]))
    assert response.content.decode().count('<tr id="row-') == 40


def test_the_list_page_makes_the_same_number_of_queries_for_more_drafts(city, themes, client_for):
    services.draft_create(by=city.office, text=MEETING_TEXT)

    def add_rows():
        for _n in range(5):
            services.draft_create(by=city.office, text=MEETING_TEXT)

    assert_queries_do_not_grow(
        client_for(city.office), reverse("minutes:draft_list"), add_rows=add_rows, most=10
    )


def test_without_htmx_the_row_form_opens_inside_the_page(city, draft, client_for):
    key = draft.rows[0]["key"]
    client = client_for(city.office)
    page = client.get(reverse("minutes:row_edit", args=[draft.pk, key])).content.decode()
    assert "<html" in page and f'name="r{key}-title"' in page
    page = client.get(reverse("minutes:row_split", args=[draft.pk, key])).content.decode()
    assert "<html" in page and 'name="position"' in page


def test_the_page_lists_what_still_blocks_confirmation(city, draft, client_for):
    client = client_for(city.office)
    page = client.get(reverse("minutes:draft_detail", args=[draft.pk])).content.decode()
    assert "确认前还需处理" in page and "第 3 项：请选择牵头单位。" in page
    services.draft_row_drop(draft=draft, by=city.office, key=draft.rows[2]["key"])
    pending = client.get(reverse("minutes:draft_pending", args=[draft.pk])).content.decode()
    assert "确认前还需处理" not in pending


def test_htmx_changes_ask_the_page_to_refresh_the_pending_list(city, draft, client_for):
    response = client_for(city.office).post(
        reverse("minutes:row_drop", args=[draft.pk, draft.rows[0]["key"]]), headers=HTMX
    )
    assert response["HX-Trigger"] == "minutes-draft-changed"


def test_every_edit_of_the_draft_is_audited(city, draft):
    from duban.audit.models import AuditEntry

    before = AuditEntry.objects.filter(object_pk=str(draft.pk), content_type__model="minutesdraft").count()
    services.draft_row_update(
        draft=draft, by=city.office, key=draft.rows[0]["key"], values={"title": "新标题"}
    )
    entries = AuditEntry.objects.filter(object_pk=str(draft.pk), content_type__model="minutesdraft")
    assert entries.count() == before + 1
    assert "新标题" in str(entries.order_by("-pk").first().changes)


def test_a_confirmed_draft_is_shown_read_only_with_its_meeting(city, draft, client_for):
    services.draft_row_drop(draft=draft, by=city.office, key=draft.rows[2]["key"])
    meeting = services.draft_confirm(draft=draft, by=city.office)
    client = client_for(city.office)
    page = client.get(reverse("minutes:draft_detail", args=[draft.pk])).content.decode()
    assert reverse("directives:meeting_detail", args=[meeting.pk]) in page
    assert reverse("minutes:row_edit", args=[draft.pk, draft.rows[0]["key"]]) not in page
    assert client.get(reverse("minutes:row_edit", args=[draft.pk, draft.rows[0]["key"]])).status_code == 404


# --- two people on the same draft -------------------------------------------------------------------


def test_every_editing_form_sends_the_version_the_page_shows(city, draft, client_for):
    page = client_for(city.office).get(reverse("minutes:draft_detail", args=[draft.pk])).content.decode()
    forms = re.findall(r'<form[^>]*action="/minutes/.*?</form>', page, re.S)
    # Deleting the whole import is not an edit of its state: it needs no version.
    forms = [form for form in forms if "/delete/" not in form.split(">", 1)[0]]
    assert len(forms) == 1 + 3 + 2  # the meeting's; each row's drop; each row's merge but the last's
    assert all('name="version" value="1" class="draft-version"' in form for form in forms)


def test_a_row_saved_through_htmx_brings_the_new_version_to_every_form(city, draft, client_for):
    key = draft.rows[0]["key"]
    values = {f"r{key}-{name}": value for name, value in RowForm.initial_from(draft.rows[0]).items() if value}
    response = client_for(city.office).post(
        reverse("minutes:row_edit", args=[draft.pk, key]),
        {**values, f"r{key}-title": "新标题", "version": 1},
        headers=HTMX,
    )
    page = response.content.decode()
    assert page.startswith('<tr id="row-') and "新标题" in page
    assert 'value="2" class="draft-version" hx-swap-oob="outerHTML:.draft-version"' in page


def test_a_change_made_from_an_older_page_is_refused_through_htmx(city, draft, client_for):
    client = client_for(city.office)
    first, second, third = (row["key"] for row in draft.rows)
    client.post(reverse("minutes:row_drop", args=[draft.pk, first]), {"version": 1}, headers=HTMX)
    # Someone else, whose page still shows version 1, merges the rows the first change has moved.
    response = client_for(city.admin).post(
        reverse("minutes:row_merge", args=[draft.pk, second]), {"version": 1}, headers=HTMX
    )
    assert response.status_code == 200 and response["HX-Retarget"] == "#page-messages"
    assert "其他人已修改" in response.content.decode()
    draft.refresh_from_db()
    assert ([row["key"] for row in draft.rows], draft.version) == ([second, third], 2)


def test_meeting_details_saved_from_an_older_page_are_refused_with_a_message(city, draft, client_for):
    services.draft_update(draft=draft, by=city.admin, title="专题会")
    url = reverse("minutes:draft_detail", args=[draft.pk])
    response = client_for(city.office).post(
        reverse("minutes:draft_meeting", args=[draft.pk]),
        _meeting(title="常务会", version=1, confirm="1"),
        HTTP_REFERER=f"http://testserver{url}",
        follow=True,
    )
    assert "其他人已修改" in response.content.decode()
    draft.refresh_from_db()
    assert draft.title == "专题会"
    assert not Meeting.objects.exists()


def test_the_history_of_a_draft_is_read_by_whoever_opens_the_draft(city, draft, client_for):
    url = reverse("audit:object_history", args=["minutes", "minutesdraft", draft.pk])
    assert client_for(city.office).get(url).status_code == 200
    for who in ("liaison", "leader_user", "finance_user"):
        assert client_for(getattr(city, who)).get(url).status_code == 404, who


# A report where the rules find an attributed requirement and, after it, a sentence the fallback would
# not need; and one where nothing is attributed, so every draft is a low-confidence guess.
UNATTRIBUTED = "今年以来全市防汛形势总体平稳。\n各县区要压实防汛责任，加快排涝设施检修。务必确保安全度汛。\n"


def test_low_confidence_drafts_are_marked_and_counted(city, themes, client_for):
    client = client_for(city.office)
    client.post(reverse("minutes:draft_list"), {"text": UNATTRIBUTED})
    draft = MinutesDraft.objects.get()
    assert [row["confidence"] < 0.5 for row in draft.rows] == [True, True]
    page = client.get(reverse("minutes:draft_detail", args=[draft.pk])).content.decode()
    assert page.count('class="table-warning minutes-low-confidence"') == 2
    assert "2 项为低置信度推测" in page


def test_the_rows_can_be_listed_least_sure_first(city, themes, client_for):
    draft = services.draft_create(by=city.office, text=MEETING_TEXT, meeting_date=date(2026, 3, 2))
    rows = [dict(row) for row in draft.rows]
    rows[2]["confidence"] = 0.3  # as the fallback would propose it
    MinutesDraft.objects.filter(pk=draft.pk).update(rows=rows)
    client = client_for(city.office)
    url = reverse("minutes:draft_detail", args=[draft.pk])
    by_text = client.get(url).content.decode()
    by_confidence = client.get(url, {"order": "confidence"}).content.decode()

    def order(page):
        return [int(key) for key in re.findall(r'<tr id="row-(\d+)"', page)]

    assert order(by_text) == [row["key"] for row in rows]
    assert order(by_confidence) == [rows[2]["key"], rows[0]["key"], rows[1]["key"]]
    # Merging joins a row with the next one in the text, so it is offered only in the text's order.
    assert "合并下一项" in by_text
    assert "合并下一项" not in by_confidence


def test_a_change_from_the_page_listed_by_confidence_keeps_that_order(city, themes, client_for):
    draft = services.draft_create(by=city.office, text=MEETING_TEXT, meeting_date=date(2026, 3, 2))
    client = client_for(city.office)
    detail = reverse("minutes:draft_detail", args=[draft.pk])
    response = client.post(
        reverse("minutes:row_drop", args=[draft.pk, draft.rows[0]["key"]]),
        {"version": draft.version},
        headers={**HTMX, "HX-Current-URL": f"http://testserver{detail}?order=confidence"},
    )
    assert response.status_code == 200
    assert 'aria-current="true">按置信度' in response.content.decode()
    plain = client.post(
        reverse("minutes:row_drop", args=[draft.pk, draft.rows[1]["key"]]),
        {"version": draft.version + 1, "order": "confidence"},
    )
    assert plain.status_code == 302
    assert plain["Location"] == f"{detail}?order=confidence"
