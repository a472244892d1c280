"""Bad input is a clear refusal, never a server error (the probe's findings, issue 12).

Versions that are not versions, query parameters out of range, ids that are not ids, NUL bytes in
filters, the ends of the working calendar, values out of range, uploads that are not what they say;
and authorization before validation, one root unit.
"""

from __future__ import annotations

import io
import zipfile
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from drf_spectacular.generators import SchemaGenerator
from rest_framework import serializers

from duban.bonds.models import BondProject, CashFlowRow
from duban.bonds.tests.factories import BondProjectFactory
from duban.core.api.fields import VersionField
from duban.core.uploads import EVIDENCE, check_upload, shorten_file_name
from duban.directives.models import Directive, State
from duban.directives.tests.factories import DirectiveFactory, MilestoneFactory

BAD_VERSIONS = ["abc", None, [1], {"v": 1}, "1e400", 1e300, -1, "1.5", 1.5, True, "", " 2x"]
# None is "no check" where the version is optional; sent as JSON null it must not be a 500 either.


class _Versioned(serializers.Serializer):
    version = VersionField(required=True, allow_null=False)


@pytest.mark.parametrize("value", [v for v in BAD_VERSIONS if v is not None])
def test_the_version_field_refuses_anything_but_a_non_negative_integer(value):
    serializer = _Versioned(data={"version": value})
    assert not serializer.is_valid()
    assert "version" in serializer.errors


@pytest.mark.parametrize("value, read", [(3, 3), ("3", 3), (" 3 ", 3), (0, 0)])
def test_the_version_field_reads_numbers_and_their_digits(value, read):
    serializer = _Versioned(data={"version": value})
    assert serializer.is_valid(), serializer.errors
    assert serializer.validated_data["version"] == read


def _refused_for_version(response):
    assert response.status_code == 400, response.content
    body = response.json()
    assert body["code"] == "invalid" and "version" in body["fields"]


@pytest.mark.parametrize("value", ["abc", [1], "1e400", 1e300, -1, True])
def test_every_endpoint_that_reads_a_version_answers_400_for_a_bad_one(city, api_client_for, value):
    office = api_client_for(city.office)
    directive = DirectiveFactory(lead_unit=city.finance, state=State.ASSIGNED)
    _refused_for_version(
        office.post(
            f"/api/directives/{directive.pk}/transition/", {"name": "start", "version": value}, format="json"
        )
    )
    _refused_for_version(office.patch(f"/api/units/{city.housing.pk}/", {"version": value}, format="json"))
    _refused_for_version(
        office.patch(f"/api/directives/{directive.pk}/", {"title": "新", "version": value}, format="json")
    )
    project = BondProjectFactory(applying_unit=city.finance, county=city.county, created_by=city.liaison)
    _refused_for_version(
        api_client_for(city.liaison).patch(
            f"/api/bonds/projects/{project.pk}/", {"name": "新", "version": value}, format="json"
        )
    )


def test_an_id_that_is_not_a_number_is_a_404_with_the_api_body(city, api_client_for):
    client = api_client_for(city.office)
    for url in ["/api/bonds/projects/_/cash-flows/", "/api/directives/abc/", "/api/units/%C3%A9/"]:
        response = client.get(url)
        assert response.status_code == 404, url
        assert response.json()["code"] == "not_found"


@pytest.mark.parametrize("year", ["0", "10000", "99999999999999999999", "-1", "abc"])
def test_the_bond_figures_refuse_a_year_out_of_range(city, api_client_for, year):
    response = api_client_for(city.office).get("/api/bonds/figures/", {"year": year})
    assert response.status_code == 400 and "year" in response.json()["fields"]


def test_a_liaison_posting_a_project_for_another_unit_is_refused_before_its_code_is_checked(
    city, api_client_for
):
    taken = BondProjectFactory(
        applying_unit=city.housing, county=city.county, created_by=city.housing_liaison
    )
    liaison = api_client_for(city.liaison)
    for_housing = liaison.post(
        "/api/bonds/projects/",
        {"name": "试探", "code": taken.code, "applying_unit": city.housing.pk},
        format="json",
    )
    assert for_housing.status_code == 403
    own = liaison.post(
        "/api/bonds/projects/",
        {"name": "本单位项目", "code": taken.code, "applying_unit": city.finance.pk},
        format="json",
    )
    assert own.status_code == 400


def test_a_second_root_city_is_refused(city, api_client_for):
    response = api_client_for(city.office).post(
        "/api/units/", {"code": "X", "name": "另一个市人民政府", "kind": "city"}, format="json"
    )
    assert response.status_code == 400 and "parent" in response.json()["fields"]


def test_an_audit_filter_on_an_unknown_action_is_a_400(city, api_client_for):
    response = api_client_for(city.office).get("/api/audit/", {"action": "x"})
    assert response.status_code == 400 and "action" in response.json()["fields"]


def _list_operations():
    schema = SchemaGenerator().get_schema(request=None, public=True)
    for path, operations in schema["paths"].items():
        get = operations.get("get")
        if get and "{" not in path:
            names = [p["name"] for p in get.get("parameters", []) if p["in"] == "query"]
            if names:
                yield path, names


def test_nul_bytes_in_any_api_filter_are_refused_not_a_server_error(city, api_client_for):
    client = api_client_for(city.office)
    for path, names in _list_operations():
        for name in names:
            response = client.get(path, {name: "a\x00b"})
            assert response.status_code < 500, (path, name)


@pytest.mark.parametrize(
    "url", ["/ppp/tasks/?state=%00", "/audit/?actor=%00", "/directives/?q=%00", "/units/?q=a%00"]
)
def test_nul_bytes_in_a_page_filter_are_left_out(city, client_for, url):
    assert client_for(city.office).get(url).status_code == 200


def test_a_progress_report_with_a_key_that_is_not_a_milestone_number_is_a_400(city, api_client_for):
    directive = DirectiveFactory(lead_unit=city.finance, state=State.IN_PROGRESS)
    MilestoneFactory(directive=directive)
    for states in ({"abc": "done"}, {"1e400": "done"}, {"²": "done"}, {"": "done"}):
        response = api_client_for(city.liaison).post(
            f"/api/directives/{directive.pk}/progress/",
            {"text": "进展", "percent": 10, "milestone_states": states},
            format="json",
        )
        assert response.status_code == 400, (states, response.content)
    assert Directive.objects.get(pk=directive.pk).percent != 10


@pytest.mark.parametrize(
    "query",
    [
        {"start": "9999-12-31", "days": "5"},
        {"start": "0001-01-01", "days": "-5"},
        {"start": "0001-01-01", "end": "9999-12-31"},
        {"start": "2026-01-01", "end": "2099-12-31"},
        {"start": "9999-12-31"},
    ],
)
def test_the_working_day_calculator_refuses_the_ends_of_the_calendar(city, api_client_for, query):
    response = api_client_for(city.liaison).get("/api/calendar/working-days/", query)
    assert response.status_code == 400, response.content


def test_the_working_day_arithmetic_off_the_calendar_is_a_refusal(db):
    from duban.core.errors import Invalid
    from duban.workcalendar.selectors import add_working_days, last_working_day_of_week

    with pytest.raises(Invalid):
        add_working_days(date(9999, 12, 30), 5)
    with pytest.raises(Invalid):
        last_working_day_of_week(date(9999, 12, 31))


# Values out of range.


@pytest.fixture
def project(city):
    return BondProjectFactory(applying_unit=city.finance, county=city.county, created_by=city.liaison)


@pytest.mark.parametrize("year", [1800, 99999, 0])
def test_a_cash_flow_year_out_of_range_is_refused_by_the_api_and_the_model(
    city, api_client_for, project, year
):
    response = api_client_for(city.liaison).put(
        f"/api/bonds/projects/{project.pk}/cash-flows/",
        [{"year": year, "income": {"租金": "1"}, "operating_cost": "0", "tax": "0"}],
        format="json",
    )
    assert response.status_code == 400
    with pytest.raises(ValidationError) as refused:
        CashFlowRow(project=project, year=year, income={}).full_clean()
    assert "year" in refused.value.message_dict


def test_a_debt_issued_in_year_zero_is_refused(city, api_client_for, project):
    response = api_client_for(city.liaison).post(
        f"/api/bonds/projects/{project.pk}/debts/",
        {"kind": "bond", "principal": "1000", "rate": "0.03", "issue_year": 0, "term_years": 10},
        format="json",
    )
    assert response.status_code == 400 and "issue_year" in response.json()["fields"]


def test_an_income_source_name_over_fifty_characters_is_refused(city, api_client_for, project):
    liaison = api_client_for(city.liaison)
    response = liaison.patch(
        f"/api/bonds/projects/{project.pk}/", {"income_sources": ["租" * 5000]}, format="json"
    )
    assert response.status_code == 400
    response = liaison.put(
        f"/api/bonds/projects/{project.pk}/cash-flows/",
        [{"year": 2027, "income": {"租" * 5000: "1"}, "operating_cost": "0", "tax": "0"}],
        format="json",
    )
    assert response.status_code == 400
    assert BondProject.objects.get(pk=project.pk).income_sources == project.income_sources


def test_a_ppp_project_whose_construction_outlasts_its_cooperation_term_is_refused(city):
    from duban.ppp.models import PPPProject

    project = PPPProject(cooperation_years=10, construction_years=12)
    with pytest.raises(ValidationError) as refused:
        project.clean()
    assert "construction_years" in refused.value.message_dict


# Uploads.


def _zip(parts: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return buffer.getvalue()


DOCX_PARTS = {"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"}


def test_a_real_office_document_is_accepted():
    check_upload(SimpleUploadedFile("通知.docx", _zip(DOCX_PARTS)), allowed=EVIDENCE)


@pytest.mark.parametrize(
    "parts",
    [
        {"readme.txt": b"a zip renamed .docx"},
        {**DOCX_PARTS, "word/embeddings/setup.exe": b"MZ\x90\x00"},
        {**DOCX_PARTS, "word/vbaProject.bin": b"macros"},
    ],
    ids=["not-a-document", "carries-an-exe", "carries-macros"],
)
def test_an_office_container_that_is_not_a_document_or_carries_a_program_is_refused(parts):
    with pytest.raises(ValidationError):
        check_upload(SimpleUploadedFile("通知.docx", _zip(parts)), allowed=EVIDENCE)


def refuse_everything(upload):
    """A stand-in antivirus that finds a virus in every file (named by DUBAN_UPLOAD_SCANNER)."""
    assert upload.read(4) == b"%PDF"
    raise ValidationError("发现病毒")


def test_the_antivirus_hook_sees_each_upload_and_may_refuse_it(settings):
    upload = SimpleUploadedFile("a.pdf", b"%PDF-1.4 x")
    check_upload(upload, allowed=EVIDENCE)
    settings.DUBAN_UPLOAD_SCANNER = "duban.tests.test_bad_input.refuse_everything"
    with pytest.raises(ValidationError, match="发现病毒"):
        check_upload(upload, allowed=EVIDENCE)


TITLE = "关于进一步加强" + "城市更新行动中老旧小区改造项目资金监管工作" * 4  # 84 characters: a usual title
LONG_NAME = TITLE[:84] + ".pdf"


def test_a_long_file_name_is_shortened_to_what_a_file_system_takes_keeping_its_extension():
    assert len(LONG_NAME.encode()) > 255
    short = shorten_file_name(LONG_NAME)
    assert short.endswith(".pdf") and len(short.encode()) <= 200 and LONG_NAME.startswith(short[:-4])


def test_evidence_and_bond_documents_with_an_84_character_name_are_stored(city, api_client_for, project):
    liaison = api_client_for(city.liaison)
    directive = DirectiveFactory(lead_unit=city.finance, state=State.IN_PROGRESS)
    report = liaison.post(
        f"/api/directives/{directive.pk}/progress/",
        {"text": "进展", "percent": 20, "files": SimpleUploadedFile(LONG_NAME, b"%PDF-1.4 x")},
        format="multipart",
    )
    assert report.status_code == 201, report.content
    assert report.json()["evidence"][0]["name"] == LONG_NAME[:200]
    document = liaison.post(
        f"/api/bonds/projects/{project.pk}/documents/",
        {"kind": "implementation_plan", "file": SimpleUploadedFile(LONG_NAME, b"%PDF-1.4 x")},
    )
    assert document.status_code == 200, document.content
    stored = project.documents.get().file
    assert stored.name.endswith(".pdf") and stored.storage.exists(stored.name)


def test_the_progress_service_refuses_a_milestone_key_that_is_not_a_number(city):
    from duban.core.errors import Invalid
    from duban.directives.services import progress_report_add

    directive = DirectiveFactory(lead_unit=city.finance, state=State.IN_PROGRESS)
    with pytest.raises(Invalid):
        progress_report_add(
            directive=directive, by=city.liaison, text="进展", percent=10, milestone_states={"abc": "done"}
        )
