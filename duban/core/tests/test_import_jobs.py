"""A large workbook is imported by the background worker (django-q2, here its `sync` mode): checked
first, then run all or nothing while its page shows the progress, then the same result or bad rows as
the upload page would show. Only the user who started it and the office read the job."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import path, reverse
from openpyxl import Workbook

from duban import urls as site_urls
from duban.audit.models import AuditEntry, Channel
from duban.core import imports
from duban.core.imports import import_job_run
from duban.core.jobs import Figures, LiveProgress
from duban.core.models import ImportJob, JobState
from duban.core.views import import_page
from duban.organisation.models import Theme

from .test_imports import ThemeImport, _sheet


def _page(request):
    return import_page(
        request, ThemeImport(), title="导入主题", help_text="表头：代码、名称。", success_url="/units/"
    )


urlpatterns = [path("import/", _page), *site_urls.urlpatterns]


@pytest.fixture
def background(settings, monkeypatch):
    """Every file goes to the worker, which runs in the test (django-q2's sync mode); live progress in
    memory."""
    settings.DUBAN_IMPORT_INLINE_MAX_KB = 0
    settings.CACHES = {
        **settings.CACHES,
        "jobs": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    }
    monkeypatch.setattr("django_q.conf.Conf.SYNC", True)


def _post(client, upload, capture):
    with capture(execute=True):
        return client.post("/import/", {"file": upload})


@pytest.fixture(autouse=True)
def _import_page_at_import(settings):
    settings.ROOT_URLCONF = __name__


def test_a_large_sheet_is_queued_then_saved_by_the_worker_under_the_import_channel(
    city, client_for, background, django_capture_on_commit_callbacks
):
    client = client_for(city.office)
    answer = _post(client, _sheet(("a", "甲"), ("b", "乙")), django_capture_on_commit_callbacks)

    job = ImportJob.objects.get()
    assert answer.status_code == 302 and answer["Location"] == reverse("core:import_job", args=[job.pk])
    assert (job.state, job.percent, job.rows_done, job.rows_total) == (JobState.DONE, 100, 2, 2)
    assert (job.message, job.created_by, job.title) == ("新增 2 个主题。", city.office, "导入主题")
    assert set(Theme.objects.filter(code__in=["a", "b"]).values_list("name", flat=True)) == {"甲", "乙"}
    entries = AuditEntry.objects.filter(content_type__model="theme")
    assert {e.channel for e in entries} == {Channel.IMPORT} and {e.actor for e in entries} == {city.office}
    assert not job.file  # the uploaded file is not kept once the job has ended

    page = client.get(answer["Location"])
    assert "新增 2 个主题。" in page.content.decode() and 'href="/units/"' in page.content.decode()
    # The page that was polling is sent where the upload page goes after an import, with its message.
    polled = client.get(reverse("core:import_job_progress", args=[job.pk]), HTTP_HX_REQUEST="true")
    assert polled["HX-Redirect"] == "/units/"
    assert "新增 2 个主题。" in client.get("/units/").content.decode()


def test_a_sheet_with_bad_rows_saves_nothing_and_its_job_lists_every_bad_row(
    city, client_for, background, django_capture_on_commit_callbacks
):
    client = client_for(city.office)
    _post(client, _sheet(("a", "甲"), ("b", ""), ("c", None)), django_capture_on_commit_callbacks)

    job = ImportJob.objects.get()
    assert job.state == JobState.FAILED
    assert job.message == "导入未完成：发现 2 处错误，未保存任何数据。"
    assert job.row_errors == ["第 3 行：名称不能为空。", "第 4 行：名称不能为空。"]
    assert not Theme.objects.filter(code__in=["a", "b", "c"]).exists()
    page = client.get(reverse("core:import_job", args=[job.pk])).content.decode()
    assert "第 4 行：名称不能为空。" in page and 'href="/import/"' in page  # and the way back to the form
    polled = client.get(reverse("core:import_job_progress", args=[job.pk]), HTTP_HX_REQUEST="true")
    assert "HX-Redirect" not in polled and "第 3 行：名称不能为空。" in polled.content.decode()


def test_a_save_that_breaks_half_way_leaves_nothing_written_and_the_job_says_so(
    city, client_for, background, django_capture_on_commit_callbacks
):
    # Both rows pass the check; the second one's save fails (the theme code is taken by the first).
    _post(client_for(city.office), _sheet(("dup", "甲"), ("dup", "乙")), django_capture_on_commit_callbacks)

    job = ImportJob.objects.get()
    assert job.state == JobState.FAILED and "未保存任何数据" in job.message
    assert not Theme.objects.filter(code="dup").exists()
    assert not AuditEntry.objects.filter(content_type__model="theme").exists()


def test_a_file_refused_by_its_checks_is_refused_at_once_and_no_job_is_kept(
    city, client_for, background, django_capture_on_commit_callbacks
):
    client = client_for(city.office)
    page = _post(client, SimpleUploadedFile("x.xlsx", b"not a workbook"), django_capture_on_commit_callbacks)
    assert "文件内容与扩展名" in " ".join(page.context["form"].errors["file"])
    only_code = SimpleUploadedFile("t.xlsx", _sheet_bytes(["代码"], ["a"]))
    page = _post(client, only_code, django_capture_on_commit_callbacks)
    assert "缺少必需的列：名称" in " ".join(page.context["form"].errors["file"])
    assert not ImportJob.objects.exists()


def _sheet_bytes(*rows) -> bytes:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_only_the_user_who_started_a_job_and_the_office_read_it(city, client_for):
    job = ImportJob.objects.create(
        title="导入主题", importer="x", file_name="t.xlsx", created_by=city.leader_user, state=JobState.DONE
    )
    for user, status in (
        (city.leader_user, 200),
        (city.office, 200),
        (city.liaison, 404),
        (city.housing_liaison, 404),
        (city.finance_user, 404),
    ):
        client = client_for(user)
        for name in ("core:import_job", "core:import_job_progress"):
            assert client.get(reverse(name, args=[job.pk])).status_code == status, (user, name)
    client.logout()
    assert client.get(reverse("core:import_job", args=[job.pk])).status_code == 302  # to the login page


def test_a_running_job_shows_its_live_progress_and_polls(city, client_for, background):
    job = ImportJob.objects.create(
        title="导入主题", importer="x", file_name="t.xlsx", created_by=city.office, state=JobState.RUNNING
    )
    LiveProgress(f"import-{job.pk}").write(
        Figures(percent=46, done=400, total=1000, step="检查并保存数据"), force=True
    )
    page = client_for(city.office).get(reverse("core:import_job", args=[job.pk])).content.decode()
    assert "46%" in page and "已处理 400 / 1000 行" in page and "检查并保存数据" in page
    assert f'hx-get="{reverse("core:import_job_progress", args=[job.pk])}"' in page


class WatchedImport(ThemeImport):
    """A theme import that reads its job's live figures each time it reports progress."""

    seen: list = []

    def __init__(self, job: int):
        self.job = job

    def job_arguments(self):
        return {"job": self.job}

    def save(self, plan, *, by, progress, **options):
        def watching(done, total):
            progress(done, total)
            self.seen.append(LiveProgress(f"import-{self.job}").read())

        return super().save(plan, by=by, progress=watching, **options)


def test_the_worker_reports_rows_done_of_the_total_while_it_saves(city, background, monkeypatch):
    monkeypatch.setattr("duban.core.jobs.EVERY_SECONDS", 0)  # every report is written (not twice a second)
    job = ImportJob.objects.create(
        title="t", importer=f"{__name__}.WatchedImport", file_name="t.xlsx", created_by=city.office
    )
    job.arguments = WatchedImport(job.pk).job_arguments()  # the worker makes the import again from these
    job.save()
    job.file.save("t.xlsx", _sheet(("a", "甲"), ("b", "乙")))
    WatchedImport.seen = []
    assert import_job_run(job.pk) == JobState.DONE
    assert [(f.done, f.total) for f in WatchedImport.seen] == [(1, 2), (2, 2)]
    assert WatchedImport.seen[0].percent == 55 and WatchedImport.seen[-1].step == "保存完成"
    assert LiveProgress(f"import-{job.pk}").read() is None  # forgotten once the job is recorded
    assert import_job_run(job.pk) == "gone"  # a second delivery of the task does nothing


def test_a_job_whose_run_was_stopped_is_closed_as_interrupted_when_the_task_comes_again(city):
    job = ImportJob.objects.create(
        title="t", importer=f"{__name__}.WatchedImport", file_name="t.xlsx", created_by=city.office
    )
    job.file.save("t.xlsx", _sheet(("a", "甲")))
    ImportJob.objects.filter(pk=job.pk).update(state=JobState.RUNNING)  # the worker was stopped here
    assert import_job_run(job.pk) == JobState.FAILED
    job.refresh_from_db()
    assert "导入被中断" in job.message and not job.file and job.finished_at
    assert not Theme.objects.filter(code="a").exists()


def test_a_job_naming_something_that_is_not_an_import_fails_without_running_it(city):
    job = ImportJob.objects.create(
        title="t", importer="os.system", file_name="t.xlsx", created_by=city.office
    )
    job.file.save("t.xlsx", _sheet(("a", "甲")))
    assert import_job_run(job.pk) == JobState.FAILED
    job.refresh_from_db()
    assert job.message == "未知的导入类型。" and not job.file


def test_the_threshold_is_the_file_size(settings):
    settings.DUBAN_IMPORT_INLINE_MAX_KB = 1
    assert not imports.runs_in_background(SimpleUploadedFile("a.xlsx", b"x" * 1024))
    assert imports.runs_in_background(SimpleUploadedFile("a.xlsx", b"x" * 1025))
