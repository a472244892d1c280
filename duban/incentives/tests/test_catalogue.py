"""The catalogue: the published lists load with their ministries and sources, the office's edits
survive a reload, and only the office changes it."""

from __future__ import annotations

import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from duban.core.errors import Invalid, NotPermitted

from .. import services
from ..models import Measure, MeasureList
from .factories import MeasureFactory


def test_the_2018_list_loads_with_its_thirty_measures_each_with_a_ministry(city):
    counts = services.catalogue_load(by=city.office)
    listed = MeasureList.objects.get(code="国办发〔2018〕117号")
    measures = list(listed.measures.all())
    assert counts["lists"] == 3 and counts["created"] >= 30
    assert len(measures) == 30 and listed.measure_count == 30
    assert all(m.ministry and m.area and m.levels for m in measures)
    assert [m.number for m in measures] == list(range(1, 31))


def test_every_verified_measure_names_the_page_it_was_read_from(city):
    services.catalogue_load(by=city.office)
    verified = Measure.objects.filter(verified=True)
    assert verified.exists()
    assert all(m.source_url.startswith("http") and m.verification_note for m in verified)
    first = Measure.objects.get(measure_list__code="国办发〔2018〕117号", number=1)
    assert first.ministry == "市场监管总局" and first.levels == ["city", "county"]


def test_the_2018_lists_twenty_fourth_measure_is_the_one_the_published_notice_names(city):
    services.catalogue_load(by=city.office)
    measure = Measure.objects.get(measure_list__code="国办发〔2018〕117号", number=24)
    assert measure.title.startswith("棚户区改造、农村危房改造")
    assert measure.levels == ["city", "county"]
    assert "第二十四条" in measure.verification_note
    assert measure.source_url == "https://thepaper.cn/newsDetail_forward_3132525"
    listed = Measure.objects.filter(measure_list__code="国办发〔2018〕117号")
    assert listed.filter(area__contains="棚户区改造").count() == 1


def test_the_2018_measures_the_ministries_cite_by_number_sit_at_that_number(city):
    services.catalogue_load(by=city.office)
    listed = Measure.objects.filter(measure_list__code="国办发〔2018〕117号")
    industry, elderly_care = listed.get(number=15), listed.get(number=26)
    assert industry.ministry == "工业和信息化部" and "第十五条" in industry.verification_note
    assert elderly_care.verified and elderly_care.levels == ["province"]
    assert "第二十六条" in elderly_care.verification_note
    assert listed.filter(area="养老服务").count() == 1 and listed.filter(area="工业稳增长").count() == 1


def test_an_unverified_measure_says_so(city):
    services.catalogue_load(by=city.office)
    unverified = Measure.objects.filter(verified=False)
    assert unverified.exists()
    assert all(m.verification_note for m in unverified)


def test_loading_twice_creates_nothing_new_and_keeps_the_offices_corrections(city):
    services.catalogue_load(by=city.office)
    measure = Measure.objects.get(measure_list__code="国办发〔2018〕117号", number=6)
    services.measure_update(
        measure=measure, by=city.office, expected_version=measure.version, ministry="财政部（已核对）"
    )
    counts = services.catalogue_load(by=city.office)
    assert counts["created"] == 0 and counts["kept"] == 1
    measure.refresh_from_db()
    assert measure.ministry == "财政部（已核对）"


def test_a_liaison_may_not_load_or_edit_the_catalogue(city):
    with pytest.raises(NotPermitted):
        services.catalogue_load(by=city.liaison)
    measure = MeasureFactory()
    with pytest.raises(NotPermitted):
        services.measure_update(measure=measure, by=city.liaison, expected_version=1, ministry="x")


def test_a_malformed_data_file_is_refused(city, tmp_path):
    path = tmp_path / "bad.json"
    path.write_text(json.dumps({"lists": [{"code": "x"}]}), encoding="utf-8")
    with pytest.raises(Invalid):
        services.catalogue_load(by=city.office, path=path)


def test_the_command_loads_the_catalogue(city, capsys):
    call_command("incentives", "load-catalogue", "--as", "office")
    assert Measure.objects.filter(measure_list__code="国办发〔2018〕117号").count() == 30
    assert "新增" in capsys.readouterr().out


def test_the_command_refuses_a_user_who_is_not_the_office(city):
    with pytest.raises(CommandError):
        call_command("incentives", "load-catalogue", "--as", "liaison")


def test_the_office_loads_the_catalogue_from_the_page_and_a_liaison_is_refused(city, client_for):
    assert client_for(city.liaison).post(reverse("incentives:catalogue_load")).status_code == 403
    response = client_for(city.office).post(reverse("incentives:catalogue_load"))
    assert response.status_code == 302
    assert MeasureList.objects.count() == 3


def test_the_office_edits_a_measure_on_its_page(city, client_for):
    measure = MeasureFactory()
    url = reverse("incentives:measure_edit", args=[measure.pk])
    assert client_for(city.liaison).get(url).status_code == 403
    data = {
        "measure_list": measure.measure_list_id, "number": measure.number, "area": measure.area,
        "title": measure.title, "levels": ["city"], "ministry": "商务部", "reward": "",
        "source_url": "", "verified": "", "verification_note": "待核对", "is_active": "on",
        "expected_version": measure.version,
    }  # fmt: skip
    response = client_for(city.office).post(url, data)
    assert response.status_code == 302, response.content[:500]
    measure.refresh_from_db()
    assert measure.ministry == "商务部" and measure.levels == ["city"] and measure.verified is False


def test_the_office_adds_a_measure_and_a_liaison_may_not(city, client_for):
    listed = MeasureFactory().measure_list
    url = reverse("incentives:measure_create")
    assert client_for(city.liaison).get(url).status_code == 403
    data = {
        "measure_list": listed.pk, "number": 99, "area": "新领域", "title": "新措施", "levels": ["county"],
        "ministry": "水利部", "reward": "资金", "source_url": "", "verification_note": "", "is_active": "on",
    }  # fmt: skip
    assert client_for(city.office).post(url, data).status_code == 302
    assert Measure.objects.filter(number=99, ministry="水利部").exists()


def test_a_corrected_list_does_not_move_a_campaign_to_another_measure(city, tmp_path):
    from .factories import open_campaign

    services.catalogue_load(by=city.office)
    measure = Measure.objects.get(measure_list__code="国办发〔2018〕117号", number=7)
    campaign = open_campaign(city, measure=measure)
    unused = Measure.objects.get(measure_list__code="国办发〔2018〕117号", number=8)
    data = json.loads(services.CATALOGUE_FILE.read_text(encoding="utf-8"))
    listed = next(item for item in data["lists"] if item["code"] == "国办发〔2018〕117号")
    seventh, eighth = (next(m for m in listed["measures"] if m["number"] == n) for n in (7, 8))
    seventh["area"], seventh["title"] = "另一项措施", "另一项措施的内容"
    eighth["ministry"] = "某部（新清单）"
    path = tmp_path / "corrected.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")

    counts = services.catalogue_load(by=city.office, path=path)

    assert counts["held"] == ["国办发〔2018〕117号 第7项"]
    measure.refresh_from_db()
    unused.refresh_from_db()
    campaign.refresh_from_db()
    assert measure.area != "另一项措施" and campaign.measure_id == measure.pk
    assert unused.ministry == "某部（新清单）"
    assert "第7项" in services.catalogue_load_summary(counts)
