"""One mapping of refusals: the API answers {"detail", "code", "fields"} with the right status, and pages
show the reason as a message on the page the user came from — no view catches anything by hand."""

import pytest
from django.contrib.messages import get_messages

from duban.core.errors import Invalid, describe

pytestmark = pytest.mark.urls("duban.core.tests.refusal_urls")


@pytest.mark.parametrize(
    ("kind", "status", "code"),
    [
        ("invalid", 400, "invalid"),
        ("denied", 403, "permission_denied"),
        ("missing", 404, "not_found"),
        ("conflict", 409, "conflict"),
        ("refused", 409, "transition_refused"),
        ("edit-conflict", 409, "edit_conflict"),
        ("django-invalid", 400, "invalid"),
        ("django-message", 400, "invalid"),
        ("django-denied", 403, "permission_denied"),
        ("serializer", 400, "invalid"),
    ],
)
def test_every_refusal_answers_the_api_with_one_shape(city, api_client_for, kind, status, code):
    response = api_client_for(city.office).post(f"/api/{kind}/", {}, format="json")
    assert response.status_code == status
    body = response.json()
    assert set(body) >= {"detail", "code", "fields"}
    assert body["code"] == code
    assert body["detail"]


def test_field_errors_name_their_fields_through_the_api(city, api_client_for):
    body = api_client_for(city.office).post("/api/django-invalid/", {}, format="json").json()
    assert body["fields"] == {"deadline": ["时限不能早于今天。"]}
    body = api_client_for(city.office).post("/api/serializer/", {}, format="json").json()
    assert list(body["fields"]) == ["title"]


def test_an_edit_conflict_says_what_the_other_person_changed(city, api_client_for):
    body = api_client_for(city.office).post("/api/edit-conflict/", {}, format="json").json()
    assert "办理时限：2026-02-01" in body["detail"]


def test_drf_authentication_errors_keep_their_status_in_the_same_shape(db, client):
    response = client.post("/api/invalid/", {})
    assert response.status_code == 401  # the token comes first: it asks for credentials
    assert response["WWW-Authenticate"] == "Token"
    assert response.json()["code"] == "not_authenticated"


def test_a_bug_is_still_a_server_error_not_a_refusal(city, api_client_for):
    with pytest.raises(ZeroDivisionError):
        api_client_for(city.office).post("/api/bug/", {}, format="json")


def test_a_refused_button_goes_back_to_its_page_with_the_reason(city, client_for):
    client = client_for(city.office)
    response = client.post("/page/refused/", HTTP_REFERER="http://testserver/page/refused/", follow=True)
    assert response.redirect_chain == [("http://testserver/page/refused/", 302)]
    assert [str(m) for m in get_messages(response.wsgi_request)] == ["当前状态不能办结。"]


def test_a_refusal_without_a_page_to_return_to_gets_the_refusal_page(city, client_for):
    response = client_for(city.office).post("/page/conflict/")
    assert response.status_code == 409
    assert "周报已提交。" in response.content.decode()


def test_a_refused_htmx_request_puts_the_reason_in_the_message_area(city, client_for):
    response = client_for(city.office).post("/page/invalid/", HTTP_HX_REQUEST="true")
    assert response["HX-Retarget"] == "#page-messages"
    assert "标题不能为空。" in response.content.decode() and "请填写标题。" in response.content.decode()


def test_a_refused_page_never_trusts_another_sites_referer(city, client_for):
    response = client_for(city.office).post("/page/refused/", HTTP_REFERER="https://evil.example/")
    assert response.status_code == 409


def test_permission_errors_keep_the_403_page_with_the_reason(city, client_for):
    response = client_for(city.office).post("/page/denied/")
    assert response.status_code == 403
    assert "只有督查室可以交办。" in response.content.decode()


def test_a_bug_on_a_page_is_not_hidden_as_a_message(city, client_for):
    with pytest.raises(ZeroDivisionError):
        client_for(city.office).post("/page/bug/", HTTP_REFERER="http://testserver/page/bug/")


def test_field_messages_are_read_out_after_the_general_one():
    refusal = describe(Invalid("导入未完成。", fields={"file": ["不是 Excel 文件。"]}))
    assert refusal.as_text() == "导入未完成。；不是 Excel 文件。"
