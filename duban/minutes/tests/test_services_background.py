"""Long minutes are read by the background worker with a progress bar; what is read while the office
waits is bounded in size and time; a text longer than any minutes is refused saying the limit; every
import that was not confirmed can be opened and deleted (audited); the list of imports stays light."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from duban.audit.models import AuditEntry
from duban.tests.lists import assert_queries_do_not_grow

from .. import services
from ..models import DraftState, MinutesDraft
from .conftest import MEETING_TEXT


@pytest.fixture
def queued(monkeypatch):
    jobs = []
    monkeypatch.setattr("django_q.tasks.async_task", lambda func, *args, **kw: jobs.append((func, args)))
    return jobs


def _long_draft(city, settings, queued, django_capture_on_commit_callbacks):
    settings.DUBAN_MINUTES_INLINE_MAX_CHARS = 100
    with django_capture_on_commit_callbacks(execute=True):
        return services.draft_create(by=city.office, text=MEETING_TEXT, meeting_date=date(2026, 3, 2))


def test_a_long_text_is_kept_and_queued_for_the_worker_then_extracted_with_progress(
    city, themes, settings, queued, django_capture_on_commit_callbacks
):
    draft = _long_draft(city, settings, queued, django_capture_on_commit_callbacks)
    assert (draft.state, draft.progress, draft.rows) == (DraftState.EXTRACTING, 0, [])
    assert queued == [(services.drafts.EXTRACT_FUNC, (draft.pk,))]

    services.draft_extract_job(draft.pk)
    draft.refresh_from_db()
    assert (draft.state, draft.progress, draft.row_count) == (DraftState.DRAFT, 100, 3)
    assert draft.normalized_text and draft.rows[0]["lead_unit"] == city.finance.pk


def test_an_extraction_still_running_after_the_time_allowed_goes_to_the_worker(
    city, themes, settings, queued, django_capture_on_commit_callbacks
):
    settings.DUBAN_MINUTES_INLINE_SECONDS = -1
    with django_capture_on_commit_callbacks(execute=True):
        draft = services.draft_create(by=city.office, text=MEETING_TEXT)
    assert draft.state == DraftState.EXTRACTING and len(queued) == 1


def test_a_text_longer_than_any_minutes_is_refused_with_the_limit_and_nothing_is_kept(city, themes, settings):
    settings.DUBAN_MINUTES_MAX_CHARS = 50
    with pytest.raises(ValidationError) as refused:
        services.draft_create(by=city.office, text=MEETING_TEXT)
    assert "上限 50 字" in " ".join(refused.value.messages)
    assert not MinutesDraft.objects.exists()


def test_a_pasted_text_over_the_limit_is_refused_on_the_page_keeping_the_text(
    city, themes, settings, client_for
):
    settings.DUBAN_MINUTES_MAX_CHARS = 50
    response = client_for(city.office).post(reverse("minutes:draft_list"), {"text": MEETING_TEXT})
    assert response.status_code == 400
    assert "上限 50 字" in response.content.decode()
    assert response.context["form"]["text"].value() == MEETING_TEXT


def test_a_failed_extraction_is_shown_and_the_draft_deleted_by_the_office_with_an_audit_entry(
    city, themes, settings, queued, django_capture_on_commit_callbacks, client_for, monkeypatch
):
    draft = _long_draft(city, settings, queued, django_capture_on_commit_callbacks)

    def broken(**_kw):
        raise RuntimeError("引擎出错")

    monkeypatch.setattr(services.drafts, "extract", broken)
    services.draft_extract_job(draft.pk)
    draft.refresh_from_db()
    assert draft.state == DraftState.FAILED and "引擎出错" in draft.error

    client = client_for(city.office)
    page = client.get(reverse("minutes:draft_detail", args=[draft.pk]))
    assert page.status_code == 200 and "引擎出错" in page.content.decode()
    response = client.post(reverse("minutes:draft_delete", args=[draft.pk]))
    assert response.status_code == 302
    assert not MinutesDraft.objects.filter(pk=draft.pk).exists()
    assert AuditEntry.objects.filter(
        content_type__model="minutesdraft", object_pk=str(draft.pk), action=AuditEntry.Action.DELETE
    ).exists()


def test_the_page_of_a_draft_being_extracted_shows_its_progress_and_polls(
    city, themes, settings, queued, django_capture_on_commit_callbacks, client_for
):
    draft = _long_draft(city, settings, queued, django_capture_on_commit_callbacks)
    MinutesDraft.objects.filter(pk=draft.pk).update(progress=40, step="提取督办事项")
    client = client_for(city.office)
    html = client.get(reverse("minutes:draft_detail", args=[draft.pk])).content.decode()
    assert "40%" in html and 'hx-trigger="every 2s"' in html
    services.draft_extract(draft_id=draft.pk)
    done = client.get(reverse("minutes:draft_progress", args=[draft.pk]), HTTP_HX_REQUEST="true")
    assert done["HX-Redirect"] == reverse("minutes:draft_detail", args=[draft.pk])


def test_a_deleted_draft_is_not_extracted_by_a_job_already_queued(
    city, themes, settings, queued, django_capture_on_commit_callbacks
):
    draft = _long_draft(city, settings, queued, django_capture_on_commit_callbacks)
    services.draft_delete(draft=draft, by=city.office)
    assert services.draft_extract_job(draft.pk) == "deleted"


def test_an_open_draft_is_deleted_through_the_api(city, draft, api_client_for):
    assert api_client_for(city.office).delete(f"/api/minutes/drafts/{draft.pk}/").status_code == 204
    assert not MinutesDraft.objects.filter(pk=draft.pk).exists()


def test_a_confirmed_import_stays_as_the_record_of_its_meeting(city, draft, api_client_for):
    services.draft_row_update(
        draft=draft, by=city.office, key=draft.rows[2]["key"], values={"lead_unit": city.county}
    )
    services.draft_confirm(draft=draft, by=city.office)
    response = api_client_for(city.office).delete(f"/api/minutes/drafts/{draft.pk}/")
    assert response.status_code in (400, 403)
    assert MinutesDraft.objects.filter(pk=draft.pk).exists()


@pytest.mark.parametrize("who", ["liaison", "leader_user", "finance_user"])
def test_only_the_office_deletes_or_follows_an_import(city, draft, client_for, api_client_for, who):
    user = getattr(city, who)
    assert client_for(user).post(reverse("minutes:draft_delete", args=[draft.pk])).status_code == 403
    assert client_for(user).get(reverse("minutes:draft_progress", args=[draft.pk])).status_code == 403
    assert api_client_for(user).delete(f"/api/minutes/drafts/{draft.pk}/").status_code == 403
    assert MinutesDraft.objects.filter(pk=draft.pk).exists()


def test_the_list_of_imports_reads_no_texts_and_its_queries_do_not_grow(city, themes, client_for):
    def import_five():
        for _ in range(5):
            services.draft_create(by=city.office, text=MEETING_TEXT, meeting_date=date(2026, 3, 2))

    services.draft_create(by=city.office, text=MEETING_TEXT, meeting_date=date(2026, 3, 2))
    client = client_for(city.office)
    assert_queries_do_not_grow(client, reverse("minutes:draft_list"), add_rows=import_five, most=12)
    page = client.get(reverse("minutes:draft_list"))
    first = page.context["page_obj"][0]
    assert {"source_text", "rows", "extraction"} <= first.get_deferred_fields()
    assert "<td>3</td>" in page.content.decode()
