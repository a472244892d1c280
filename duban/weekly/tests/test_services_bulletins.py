"""Compiling the bulletin: at once when small, queued for the worker when large, a failure recorded;
only the office asks for it."""

import pytest
from docx import Document

from duban.core.errors import NotPermitted
from duban.weekly import bulletin as composition
from duban.weekly import services
from duban.weekly.models import Bulletin, BulletinState


def test_a_small_bulletin_is_compiled_at_once(city, work, cycle):
    bulletin = services.bulletin_request(cycle=cycle, by=city.office)
    assert bulletin.state == BulletinState.DONE, bulletin.error
    assert bulletin.progress == 100
    assert bulletin.docx and bulletin.xlsx
    Document(bulletin.docx.open("rb"))


def test_a_large_bulletin_is_queued_for_the_worker(
    city, work, cycle, django_capture_on_commit_callbacks, monkeypatch
):
    queued = []
    monkeypatch.setattr("django_q.tasks.async_task", lambda func, *args, **kw: queued.append((func, args)))
    with django_capture_on_commit_callbacks(execute=True):
        bulletin = services.bulletin_request(cycle=cycle, by=city.office, background=True)
    assert bulletin.state == BulletinState.QUEUED
    assert queued == [(services.COMPILE_FUNC, (bulletin.pk,))]
    assert services.bulletin_compile_job(bulletin.pk) == BulletinState.DONE
    assert Bulletin.objects.get().progress == 100


def test_a_failed_compilation_is_recorded(city, work, cycle, monkeypatch):
    def boom(*args, **kwargs):
        raise RuntimeError("磁盘已满")

    monkeypatch.setattr(composition, "bulletin_xlsx", boom)
    bulletin = services.bulletin_request(cycle=cycle, by=city.office)
    assert bulletin.state == BulletinState.FAILED
    assert "磁盘已满" in bulletin.error


def test_only_the_office_asks_for_the_bulletin(city, work, cycle):
    for user in (city.leader_user, city.liaison):
        with pytest.raises(NotPermitted):
            services.bulletin_request(cycle=cycle, by=user)
    assert not Bulletin.objects.exists()


def test_tasks_queued_under_the_old_path_still_compile(city, work, cycle):
    bulletin = Bulletin.objects.create(cycle=cycle, requested_by=city.office)
    assert composition.bulletin_compile_job(bulletin.pk) == BulletinState.DONE
