"""A form with a unit picker and a file: the page offers the units, keeps the upload, and the file
opens for the unit and the office only."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from ..models import ResponseFile, SurveyResponse
from .factories import make_form, send

pytestmark = pytest.mark.django_db

WITH_FILE = {
    "sections": [
        {
            "key": "a",
            "title": "材料",
            "fields": [
                {"key": "partner", "label": "牵头单位", "type": "unit", "unit_kinds": ["city_department"]},
                {"key": "evidence", "label": "佐证材料", "type": "file", "required": True},
            ],
        }
    ]
}
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def response(city):
    form = make_form(by=city.office, code="files", definition=WITH_FILE)
    survey_round = send(form, by=city.office, units=[city.finance])
    return SurveyResponse.objects.get(round=survey_round)


def test_the_page_offers_the_units_of_the_kinds_the_field_names(city, response, client_for):
    page = client_for(city.liaison).get(reverse("surveys:response_fill", args=[response.pk])).content.decode()
    assert city.housing.name in page and city.county.name not in page


def test_a_file_is_kept_and_its_id_is_the_answer(city, response, client_for):
    client = client_for(city.liaison)
    upload = SimpleUploadedFile("证明.pdf", PDF, content_type="application/pdf")
    data = {"partner": city.housing.pk, "evidence": upload, "submit": "1"}
    posted = client.post(reverse("surveys:response_fill", args=[response.pk]), data)
    assert posted.status_code == 302
    response.refresh_from_db()
    kept = ResponseFile.objects.get(response=response)
    assert (
        response.answers == {"partner": city.housing.pk, "evidence": kept.pk}
        and response.state == "submitted"
    )
    assert client.get(reverse("surveys:response_file", args=[kept.pk])).status_code == 200
    assert (
        client_for(city.housing_liaison).get(reverse("surveys:response_file", args=[kept.pk])).status_code
        == 404
    )


def test_a_missing_file_and_a_unit_that_does_not_exist_are_refused(city, response, client_for):
    client = client_for(city.liaison)
    page = client.post(
        reverse("surveys:response_fill", args=[response.pk]), {"partner": 999999, "submit": "1"}
    )
    text = page.content.decode()
    assert "“牵头单位”的选择无效。" in text and "请填写“佐证材料”。" in text
