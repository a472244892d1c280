"""The one shape of an Excel import: file checks, every bad row reported, all or nothing, audited, one page."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import path
from openpyxl import Workbook

from duban import urls as site_urls
from duban.accounts.scope import is_office
from duban.audit.models import AuditEntry, Channel
from duban.core.errors import Invalid, NotPermitted
from duban.core.excel import ImportRejected
from duban.core.imports import SheetImport, run_import
from duban.core.views import import_page
from duban.organisation.models import Theme


class ThemeImport(SheetImport):
    columns = {"代码": "code", "名称": "name"}
    required = ("code", "name")

    def authorize(self, by):
        if not is_office(by):
            raise NotPermitted

    def check(self, rows, errors, **options):
        for row in rows:
            if not row.values.get("name"):
                errors.add(row.number, "名称不能为空。")
        return [row.values for row in rows]

    def save(self, plan, *, by, progress, **options):
        for done, values in enumerate(plan, start=1):
            Theme.objects.create(code=values["code"], name=values["name"])
            progress(done, len(plan))
        return {"created": len(plan)}

    def success_message(self, result):
        return f"新增 {result['created']} 个主题。"


def _sheet(*rows, name="themes.xlsx"):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["代码", "名称"])
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


def test_a_good_sheet_is_saved_under_the_import_channel_with_progress(city):
    seen = []
    result = run_import(
        ThemeImport(),
        upload=_sheet(("a", "甲"), ("b", "乙")),
        by=city.office,
        progress=lambda *p: seen.append(p),
    )
    assert result == {"created": 2}
    assert seen == [(0, 2), (1, 2), (2, 2), (2, 2)]
    entries = AuditEntry.objects.filter(content_type__model="theme")
    assert entries.count() == 2 and {e.channel for e in entries} == {Channel.IMPORT}
    assert {e.actor for e in entries} == {city.office}


def test_one_bad_row_saves_nothing_and_every_bad_row_is_named(city):
    with pytest.raises(ImportRejected) as rejected:
        run_import(ThemeImport(), upload=_sheet(("a", "甲"), ("b", None), ("c", "")), by=city.office)
    assert rejected.value.errors.messages() == ["第 3 行：名称不能为空。", "第 4 行：名称不能为空。"]
    assert rejected.value.extra == {
        "rows": [{"row": 3, "message": "名称不能为空。"}, {"row": 4, "message": "名称不能为空。"}],
        "unlisted": 0,
    }
    assert not Theme.objects.filter(code="a").exists()


def test_the_user_is_refused_before_the_file_is_read(city):
    with pytest.raises(NotPermitted):
        run_import(ThemeImport(), upload=None, by=city.liaison)


@pytest.mark.parametrize(
    ("upload", "words"),
    [
        (SimpleUploadedFile("themes.csv", b"a,b"), "不支持的文件类型"),
        (SimpleUploadedFile("themes.xlsx", b"not a zip at all"), "文件内容与扩展名"),
    ],
)
def test_a_file_that_is_not_a_workbook_is_refused_on_the_file_field(city, upload, words):
    with pytest.raises(Invalid) as refused:
        run_import(ThemeImport(), upload=upload, by=city.office)
    assert words in refused.value.fields["file"][0]


def test_an_empty_sheet_is_refused_as_a_row_error(city):
    with pytest.raises(ImportRejected) as rejected:
        run_import(ThemeImport(), upload=_sheet(), by=city.office)
    assert rejected.value.errors.messages() == ["第 1 行：表中没有数据行。"]


def _page(request):
    return import_page(
        request, ThemeImport(), title="导入主题", help_text="表头：代码、名称。", success_url="/"
    )


urlpatterns = [path("import/", _page), *site_urls.urlpatterns]


@override_settings(ROOT_URLCONF=__name__)
def test_the_import_page_lists_every_bad_row_and_keeps_nothing(city, client_for):
    client = client_for(city.office)
    page = client.post("/import/", {"file": _sheet(("a", "甲"), ("b", ""))})
    assert page.status_code == 200
    assert page.context["row_errors"] == ["第 3 行：名称不能为空。"]
    assert "导入未完成：发现 1 处错误，未保存任何数据。" in page.content.decode()
    assert not Theme.objects.filter(code="a").exists()


@override_settings(ROOT_URLCONF=__name__)
def test_the_import_page_shows_a_refused_file_beside_the_file_field(city, client_for):
    page = client_for(city.office).post("/import/", {"file": SimpleUploadedFile("x.csv", b"a")})
    assert "不支持的文件类型" in " ".join(page.context["form"].errors["file"])


@override_settings(ROOT_URLCONF=__name__)
def test_the_import_page_saves_a_good_sheet_and_says_so(city, client_for):
    page = client_for(city.office).post("/import/", {"file": _sheet(("a", "甲"))}, follow=True)
    assert "新增 1 个主题。" in page.content.decode()
    assert Theme.objects.filter(code="a").exists()


@override_settings(ROOT_URLCONF=__name__)
def test_the_import_page_refuses_the_wrong_user(city, client_for):
    assert client_for(city.liaison).get("/import/").status_code == 403
