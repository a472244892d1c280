"""The assessment's pages, as each role reads them: public rankings for all, internal ones for the office
and leaders (404 for a liaison), breakdowns with the records behind each value, appeals, entries,
experiences and the exports."""

import pytest
from django.urls import reverse

from duban.assessment.models import AppealState, TypicalExperience, Visibility

from .factories import appeal_of, draft_period, entry_of, experience_of, published_period


@pytest.fixture
def public(city):
    return published_period(city)


@pytest.fixture
def internal(city):
    return published_period(city, visibility=Visibility.INTERNAL, name="季度暗赛")


def test_a_liaison_sees_the_public_ranking_and_his_unit_breakdown_with_record_links(city, client_for, public):
    client = client_for(city.liaison)

    ranking = client.get(reverse("assessment:ranking", args=[public.pk]))
    breakdown = client.get(reverse("assessment:breakdown", args=[public.pk, city.finance.pk]))

    assert ranking.status_code == 200 and city.finance.short_name in ranking.text
    assert breakdown.status_code == 200
    assert (
        f"/directives/?lead_unit={city.finance.pk}&amp;due_after=2026-03-01&amp;due_before=2026-03-31"
        in breakdown.text
    )


def test_a_liaison_gets_404_on_an_internal_scheme_and_its_ranking(city, client_for, internal):
    client = client_for(city.liaison)

    assert client.get(reverse("assessment:scheme_detail", args=[internal.scheme_id])).status_code == 404
    assert client.get(reverse("assessment:ranking", args=[internal.pk])).status_code == 404
    assert client.get(reverse("assessment:breakdown", args=[internal.pk, city.finance.pk])).status_code == 404
    assert client.get(reverse("assessment:ranking_export", args=[internal.pk])).status_code == 404
    assert client.get(reverse("assessment:bulletin", args=[internal.pk])).status_code == 404


def test_the_leader_and_the_office_read_the_internal_ranking(city, client_for, internal):
    for user in (city.leader_user, city.office):
        assert client_for(user).get(reverse("assessment:ranking", args=[internal.pk])).status_code == 200


def test_a_draft_period_is_the_office_s_only(city, client_for):
    period = draft_period(city)

    assert client_for(city.office).get(reverse("assessment:ranking", args=[period.pk])).status_code == 200
    assert (
        client_for(city.leader_user).get(reverse("assessment:ranking", args=[period.pk])).status_code == 404
    )


def test_a_liaison_may_not_compute_or_publish(city, client_for):
    period = draft_period(city)
    client = client_for(city.liaison)

    assert client.post(reverse("assessment:period_compute", args=[period.pk])).status_code == 404
    assert (
        client.post(
            reverse("assessment:period_open", args=[period.scheme_id]), {"label": "2026-04"}
        ).status_code
        == 403
    )


def test_the_office_computes_and_publishes_from_the_ranking_page(city, client_for):
    period = draft_period(city)
    client = client_for(city.office)

    client.post(reverse("assessment:period_compute", args=[period.pk]))
    client.post(reverse("assessment:period_publish", args=[period.pk]))
    period.refresh_from_db()

    assert period.state == "published" and period.current.version == 2


def test_the_exports_are_a_workbook_and_a_word_bulletin(city, client_for, public):
    client = client_for(city.liaison)

    sheet = client.get(reverse("assessment:ranking_export", args=[public.pk]))
    word = client.get(reverse("assessment:bulletin", args=[public.pk]))

    assert sheet.status_code == 200 and sheet.content[:2] == b"PK"
    assert word.status_code == 200 and word["Content-Type"].endswith("wordprocessingml.document")


def test_a_liaison_appeals_a_line_and_the_office_upholds_it_into_a_new_version(city, client_for, public):
    closure = public.scheme.indicators.get(key="closure")
    response = client_for(city.liaison).post(
        reverse("assessment:appeal_create", args=[public.pk]),
        {"indicator": closure.pk, "reason": "已按期办结", "claimed_value": "1"},
    )
    appeal = public.appeals.get()
    client_for(city.office).post(
        reverse("assessment:appeal_decide", args=[appeal.pk]), {"upheld": "1", "decision": "属实"}
    )
    appeal.refresh_from_db()

    assert response.status_code == 302
    assert appeal.state == AppealState.UPHELD and appeal.revision.version == 2
    old = client_for(city.liaison).get(reverse("assessment:ranking", args=[public.pk]) + "?version=1")
    assert old.status_code == 200 and "v1" in old.text


def test_another_unit_does_not_see_an_appeal_and_may_not_decide_it(city, client_for, public):
    appeal = appeal_of(city, public)

    assert (
        client_for(city.housing_liaison)
        .get(reverse("assessment:appeal_detail", args=[appeal.pk]))
        .status_code
        == 404
    )
    refused = client_for(city.liaison).post(
        reverse("assessment:appeal_decide", args=[appeal.pk]), {"upheld": "1", "decision": "自己批"}
    )
    appeal.refresh_from_db()
    assert refused.status_code in (302, 403) and appeal.state == AppealState.SUBMITTED


def test_a_liaison_may_not_open_the_appeal_form_of_an_internal_scheme(city, client_for, internal):
    assert (
        client_for(city.liaison).get(reverse("assessment:appeal_create", args=[internal.pk])).status_code
        == 404
    )


def test_a_liaison_may_not_enter_a_score(city, client_for):
    period = draft_period(city)

    assert (
        client_for(city.liaison).get(reverse("assessment:entry_create", args=[period.pk])).status_code == 404
    )


def test_the_office_approves_a_leader_s_entry_and_another_unit_does_not_see_it(city, client_for):
    period = draft_period(city)
    entry = entry_of(city, period)

    assert (
        client_for(city.housing_liaison).get(reverse("assessment:entry_detail", args=[entry.pk])).status_code
        == 404
    )
    client_for(city.office).post(reverse("assessment:entry_approve", args=[entry.pk]), {"note": "同意"})
    entry.refresh_from_db()
    assert entry.state == "approved"


def test_a_liaison_submits_an_experience_and_the_office_publishes_it_on_the_showcase(city, client_for):
    response = client_for(city.liaison).post(
        reverse("assessment:experience_submit"), {"title": "清单化闭环管理", "summary": "做法……"}
    )
    experience = TypicalExperience.objects.get()
    client_for(city.office).post(reverse("assessment:experience_publish", args=[experience.pk]))

    assert response.status_code == 302
    showcase = client_for(city.housing_liaison).get(reverse("assessment:showcase"))
    assert "清单化闭环管理" in showcase.text


def test_another_unit_does_not_read_an_unpublished_experience(city, client_for):
    experience = experience_of(city)

    assert (
        client_for(city.housing_liaison)
        .get(reverse("assessment:experience_detail", args=[experience.pk]))
        .status_code
        == 404
    )
    assert (
        client_for(city.office)
        .post(reverse("assessment:experience_publish", args=[experience.pk]))
        .status_code
        == 302
    )
    assert (
        client_for(city.housing_liaison)
        .get(reverse("assessment:experience_detail", args=[experience.pk]))
        .status_code
        == 200
    )


def test_a_leader_may_not_submit_an_experience_nor_publish_one(city, client_for):
    experience = experience_of(city)

    assert client_for(city.leader_user).get(reverse("assessment:experience_submit")).status_code == 403
    client_for(city.leader_user).post(reverse("assessment:experience_publish", args=[experience.pk]))
    experience.refresh_from_db()
    assert experience.state == "submitted"


def test_every_list_page_answers_each_role(city, client_for, public):
    for name in ("scheme_list", "appeal_list", "entry_list", "experience_list", "showcase"):
        for user in (city.office, city.leader_user, city.liaison):
            assert client_for(user).get(reverse(f"assessment:{name}")).status_code == 200, (name, user)


def test_pages_need_a_signed_in_user(client, public):
    assert client.get(reverse("assessment:ranking", args=[public.pk])).status_code == 302


def test_the_home_page_shows_the_public_ranking_with_the_unit_s_own_line(city, client_for, public):
    home = client_for(city.liaison).get(reverse("cockpit:home"))

    assert 'id="home-ranking"' in home.text
    assert reverse("assessment:breakdown", args=[public.pk, city.finance.pk]) in home.text


def test_the_home_page_never_shows_an_internal_ranking(city, client_for, internal):
    assert 'id="home-ranking"' not in client_for(city.leader_user).get(reverse("cockpit:home")).text


def test_an_appeals_evidence_downloads_under_its_own_name_for_its_unit_and_is_404_to_another(
    city, client_for, public
):
    from django.core.files.base import ContentFile

    appeal = appeal_of(city, public)
    appeal.evidence.save("证明材料.pdf", ContentFile(b"%PDF-1.4 evidence"), save=True)
    url = reverse("assessment:appeal_evidence", args=[appeal.pk])

    download = client_for(city.liaison).get(url)

    assert download.status_code == 200 and b"".join(download.streaming_content) == b"%PDF-1.4 evidence"
    assert "filename*=utf-8''%E8%AF%81%E6%98%8E%E6%9D%90%E6%96%99.pdf" in download["Content-Disposition"]
    assert client_for(city.housing_liaison).get(url).status_code == 404
