"""Evidence through the API for appeals, manual entries and experiences: a multipart upload on the object,
checked as the pages check a file, only while the object may still be changed, audited, and listed on
the object with a download that asks who may read it."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from duban.assessment import services
from duban.audit.models import AuditEntry

from .factories import appeal_of, draft_period, entry_of, experience_of, published_period

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def pdf(name="佐证材料.pdf", content=PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


class Case:
    """One kind of object: how to make it, its API address, who may upload, who is refused and why."""

    def __init__(self, key, make, path, allowed, wrong_unit, wrong_role, close):
        self.key, self.make, self.path = key, make, path
        self.allowed, self.wrong_unit, self.wrong_role, self.close = allowed, wrong_unit, wrong_role, close


def _close_appeal(city, appeal):
    services.appeal_decide(appeal=appeal, by=city.office, upheld=False, decision="数据无误")


def _close_entry(city, entry):
    services.entry_decide(entry=entry, by=city.office, approve=True)


def _close_experience(city, experience):
    services.experience_decide(experience=experience, by=city.office, step="publish")


CASES = [
    Case(
        "appeal",
        lambda city: appeal_of(city, published_period(city)),
        "appeals",
        "liaison",
        "housing_liaison",
        "finance_user",
        _close_appeal,
    ),
    Case(
        "entry",
        lambda city: entry_of(city, draft_period(city)),
        "entries",
        "office",
        "liaison",
        "county_liaison",
        _close_entry,
    ),
    Case(
        "experience",
        lambda city: experience_of(city),
        "experiences",
        "liaison",
        "housing_liaison",
        "finance_user",
        _close_experience,
    ),
]
IDS = [case.key for case in CASES]


def _url(case, obj):
    return f"/api/assessment/{case.path}/{obj.pk}/evidence/"


def _stored(obj):
    obj.refresh_from_db()
    return obj.evidence.name


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_the_allowed_user_uploads_evidence_listed_with_its_download(city, api_client_for, client_for, case):
    obj = case.make(city)
    client = api_client_for(getattr(city, case.allowed))

    response = client.post(_url(case, obj), {"file": pdf()}, format="multipart")

    assert response.status_code == 200, response.json()
    assert _stored(obj).endswith(".pdf")
    [listed] = response.json()["evidence"]
    assert listed["name"] == "佐证材料.pdf"
    assert client.get(f"/api/assessment/{case.path}/{obj.pk}/").json()["evidence"] == [listed]
    download = client_for(getattr(city, case.allowed)).get(listed["download"])
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    assert client_for(getattr(city, case.wrong_unit)).get(listed["download"]).status_code == 404


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_the_upload_lands_in_the_audit_trail_with_its_actor(city, api_client_for, case):
    obj = case.make(city)

    api_client_for(getattr(city, case.allowed)).post(_url(case, obj), {"file": pdf()}, format="multipart")

    entry = (
        AuditEntry.objects.filter(
            content_type__model=type(obj)._meta.model_name,
            object_pk=str(obj.pk),
            action=AuditEntry.Action.UPDATE,
        )
        .order_by("-pk")
        .first()
    )
    assert entry is not None and entry.actor == getattr(city, case.allowed)
    assert entry.changes_dict["evidence"][1].endswith(".pdf")


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_another_unit_gets_a_404_and_nothing_is_written(city, api_client_for, case):
    obj = case.make(city)

    response = api_client_for(getattr(city, case.wrong_unit)).post(
        _url(case, obj), {"file": pdf()}, format="multipart"
    )

    assert response.status_code == 404
    assert _stored(obj) == ""


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_the_wrong_role_gets_a_403_and_nothing_is_written(city, api_client_for, case):
    obj = case.make(city)

    response = api_client_for(getattr(city, case.wrong_role)).post(
        _url(case, obj), {"file": pdf()}, format="multipart"
    )

    assert response.status_code == 403
    assert _stored(obj) == ""


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_no_evidence_once_the_object_may_no_longer_be_changed(city, api_client_for, case):
    obj = case.make(city)
    case.close(city, obj)

    response = api_client_for(getattr(city, case.allowed)).post(
        _url(case, obj), {"file": pdf()}, format="multipart"
    )

    assert response.status_code == 403
    assert _stored(obj) == ""


BAD_FILES = {
    "type": ("程序.exe", b"MZ\x90\x00", "不支持的文件类型“.exe”"),
    "content": ("伪装.pdf", b"MZ\x90\x00 not a pdf", "文件内容与扩展名“.pdf”不符"),
    "size": ("大文件.pdf", PDF + b"0" * (1024 * 1024), "上限为 1 MB"),
}


@pytest.mark.parametrize("bad", BAD_FILES.values(), ids=BAD_FILES.keys())
@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_a_bad_file_is_a_400_saying_why_in_chinese_and_nothing_is_written(
    city, api_client_for, settings, case, bad
):
    obj = case.make(city)
    settings.DUBAN_MAX_UPLOAD_MB = 1
    name, content, message = bad

    response = api_client_for(getattr(city, case.allowed)).post(
        _url(case, obj), {"file": pdf(name, content)}, format="multipart"
    )

    assert response.status_code == 400
    assert message in response.json()["detail"] or message in str(response.json()["fields"])
    assert _stored(obj) == ""


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_a_request_without_a_file_is_a_400(city, api_client_for, case):
    obj = case.make(city)

    response = api_client_for(getattr(city, case.allowed)).post(_url(case, obj), {}, format="multipart")

    assert response.status_code == 400 and "file" in response.json()["fields"]
    assert _stored(obj) == ""
