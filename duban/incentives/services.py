"""Changing the incentives: the catalogue (loaded from the shipped data file, edited by the office), a
campaign opened with the directive that carries it, its criteria, live readings and evidence, and the
steps of `workflow.WORKFLOW` (filed, withdrawn, decided). Each step writes the campaign's timeline in
the same transaction; the directive is reached only through the directives app's services and selectors.
"""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path

from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from duban.core.concurrency import versioned_update
from duban.core.errors import Invalid
from duban.core.rules import require
from duban.core.services import model_create
from duban.core.uploads import EVIDENCE, check_upload
from duban.directives import selectors as directive_selectors
from duban.directives import services as directive_services
from duban.organisation.models import Theme

from . import rules, selectors
from .models import Campaign, CampaignEvent, Criterion, Evidence, EvidenceFile, Measure, MeasureList
from .workflow import WORKFLOW

CATALOGUE_FILE = Path(__file__).resolve().parent / "data" / "catalogue.json"
THEME_CODE = "incentive"


def incentive_theme() -> Theme:
    theme, _created = Theme.objects.get_or_create(
        code=THEME_CODE, defaults={"name": _("督查激励"), "keywords": ["督查激励", "真抓实干"]}
    )
    return theme


def _event(campaign: Campaign, *, by, kind: str, text: str) -> CampaignEvent:
    return CampaignEvent.objects.create(
        campaign=campaign, kind=kind, text=text[:500], by=by if getattr(by, "pk", None) else None
    )


def _locked(campaign: Campaign) -> Campaign:
    return Campaign.objects.select_for_update().select_related("measure", "lead_unit").get(pk=campaign.pk)


# --- the catalogue -----------------------------------------------------------------------------------

MEASURE_FIELDS = (
    "area",
    "title",
    "levels",
    "ministry",
    "reward",
    "source_url",
    "verified",
    "verification_note",
)


def _read_catalogue(path: Path) -> list[dict]:
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        lists = data["lists"]
        for item in lists:
            item["code"], item["title"]  # noqa: B018  (a missing key is a malformed file)
            for measure in item["measures"]:
                measure["number"], measure["area"], measure["title"], measure["ministry"]  # noqa: B018
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise Invalid(_("激励措施数据文件无法读取：%(e)s") % {"e": error}) from error
    return lists


@transaction.atomic
def catalogue_load(*, by, path: Path | None = None) -> dict:
    """Load the published lists from the data file. A list or measure already there is updated only
    while nobody has edited it on the pages (version 1): the office's corrections are kept. A measure
    whose number now names another measure (a corrected list) is not rewritten while a campaign is
    for it, or the campaign would silently change its subject: it is held for the office to check
    (`held`, the list and number of each)."""
    require(rules.may_edit_catalogue, by)
    counts = {"lists": 0, "created": 0, "updated": 0, "kept": 0, "held": []}
    for item in _read_catalogue(path or CATALOGUE_FILE):
        issued = date.fromisoformat(item["issued_on"]) if item.get("issued_on") else None
        measure_list, _created = MeasureList.objects.update_or_create(
            code=item["code"],
            defaults={
                "title": item["title"],
                "issued_on": issued,
                "measure_count": item.get("measure_count") or len(item["measures"]),
                "source_url": item.get("source_url", ""),
            },
        )
        counts["lists"] += 1
        for raw in item["measures"]:
            fields = {name: raw.get(name, "") for name in MEASURE_FIELDS}
            fields["verified"] = bool(raw.get("verified"))
            fields["levels"] = list(raw.get("levels") or [])
            existing = Measure.objects.filter(measure_list=measure_list, number=raw["number"]).first()
            if existing is None:
                model_create(Measure, measure_list=measure_list, number=raw["number"], **fields)
                counts["created"] += 1
            elif _changes_subject(existing, fields) and Campaign.objects.filter(measure=existing).exists():
                counts["held"].append(f"{measure_list.code} 第{existing.number}项")
            elif existing.version == 1:
                for name, value in fields.items():
                    setattr(existing, name, value)
                existing.full_clean()
                existing.save()
                counts["updated"] += 1
            else:
                counts["kept"] += 1
    return counts


def catalogue_load_summary(counts: dict) -> str:
    """What a load did, in the office's words (the page's message and the command's output)."""
    text = (
        _("已载入 %(lists)s 份清单：新增 %(created)s 项，更新 %(updated)s 项，保留已修改的 %(kept)s 项。")
        % counts
    )
    if counts["held"]:
        text += _("以下措施已有争取工作，新清单中同一序号已是另一项措施，未改动，请核对：%(held)s。") % {
            "held": "、".join(counts["held"])
        }
    return text


def _changes_subject(measure: Measure, fields: dict) -> bool:
    return (measure.area, measure.title) != (fields["area"], fields["title"])


def measure_create(*, by, **fields) -> Measure:
    require(rules.may_edit_catalogue, by)
    return model_create(Measure, **fields)


def measure_update(*, measure: Measure, by, expected_version: int, **fields) -> Measure:
    require(rules.may_edit_catalogue, by)
    return versioned_update(measure, expected_version=expected_version, fields=fields, by=by).instance


# --- campaigns -------------------------------------------------------------------------------------


def _directive_fields(campaign: Campaign) -> dict:
    measure = campaign.measure
    where = campaign.county.name if campaign.county_id else _("市本级")
    title = _("争取%(year)s年度国务院督查激励：%(area)s（%(where)s）") % {
        "year": campaign.year,
        "area": measure.area,
        "where": where,
    }
    note = _("%(code)s 第%(n)s项 · 激励争创 %(link)s") % {
        "code": measure.measure_list.code,
        "n": measure.number,
        "link": reverse("incentives:campaign_detail", args=[campaign.pk]),
    }
    content = _(
        "激励事项：%(title)s\n负责部门：%(ministry)s\n激励措施：%(reward)s\n部委推荐截止：%(due)s"
    ) % {
        "title": measure.title,
        "ministry": measure.ministry,
        "reward": measure.reward or "—",
        "due": campaign.submission_due,
    }
    return {
        "title": title[:200],
        "content": content,
        "source_note": note[:200],
        "theme": incentive_theme(),
        "lead_unit": campaign.lead_unit,
        "responsible_leader": campaign.leader,
        "deadline": selectors.directive_deadline(campaign.submission_due),
    }


@transaction.atomic
def campaign_open(
    *,
    by,
    measure: Measure,
    year: int,
    lead_unit,
    period_start: date,
    period_end: date,
    submission_due: date,
    leader=None,
    county=None,
) -> Campaign:
    """The office opens the city's campaign for a measure: the campaign and the directive of theme
    督查激励 that carries it, assigned to the lead unit, due at the last internal deadline."""
    require(rules.may_open_campaign, by)
    if selectors.campaign_for(measure=measure, year=year, county=county) is not None:
        raise Invalid(fields={"measure": [_("该措施本年度已有争创。")]})
    campaign = model_create(
        Campaign,
        measure=measure,
        year=year,
        lead_unit=lead_unit,
        leader=leader,
        county=county,
        period_start=period_start,
        period_end=period_end,
        submission_due=submission_due,
    )
    campaign.directive = directive_services.directive_create_from(
        by=by, source="key_work", priority="important", assign=True, **_directive_fields(campaign)
    )
    campaign.save(update_fields=["directive"])
    _event(campaign, by=by, kind="opened", text=_("交办争创：牵头单位%(unit)s") % {"unit": lead_unit})
    return campaign


@transaction.atomic
def campaign_update(*, campaign: Campaign, by, expected_version: int, **fields) -> Campaign:
    require(rules.may_edit_campaign, by, campaign)
    update = versioned_update(campaign, expected_version=expected_version, fields=fields, by=by)
    if update:
        _event(update.instance, by=by, kind="edited", text=update.summary())
    return update.instance


@transaction.atomic
def campaign_submit(*, campaign: Campaign, by, submitted_on: date | None = None) -> Campaign:
    current = _locked(campaign)
    WORKFLOW.check(by, current, "submit")
    if not current.evidence.exists():
        raise Invalid(_("尚未上传任何申报材料，不能报送。"))
    current.submitted_on = submitted_on or timezone.localdate()
    text = _("报送申报材料（%(d)s）") % {"d": current.submitted_on}
    return WORKFLOW.move(current, "submit", by=by, text=text)


@transaction.atomic
def campaign_withdraw(*, campaign: Campaign, by, note: str) -> Campaign:
    current = _locked(campaign)
    WORKFLOW.check(by, current, "withdraw", note=note)
    current.submitted_on = None
    return WORKFLOW.move(current, "withdraw", by=by, note=note, text=_("撤回申报：%(n)s") % {"n": note})


@transaction.atomic
def campaign_decide(
    *,
    campaign: Campaign,
    by,
    commended: bool,
    announced_on: date,
    reward: str = "",
    reward_amount: Decimal | None = None,
    province_reward: str = "",
    province_amount: Decimal | None = None,
    note: str = "",
) -> Campaign:
    """The office records the State Council's commendation (or its absence) and the province's
    matching reward; the directive carrying the campaign is finished."""
    name = "commend" if commended else "not_commend"
    current = _locked(campaign)
    WORKFLOW.check(by, current, name)
    current.announced_on = announced_on
    current.reward, current.reward_amount = reward or "", reward_amount if commended else None
    current.province_reward, current.province_amount = (
        province_reward or "",
        province_amount if commended else None,
    )
    current.outcome_note = note or ""
    label = _("获得激励") if commended else _("未获激励")
    moved = WORKFLOW.move(
        current,
        name,
        by=by,
        text=_("%(y)s年度%(l)s（通报日期 %(d)s）") % {"y": current.year, "l": label, "d": announced_on},
    )
    directive = directive_selectors.linked_directive(moved.directive_id)
    if directive is not None:
        directive_services.directive_finish(
            directive=directive, by=by, note=_("激励争创已有结果：%(l)s") % {"l": label}
        )
    return moved


# --- criteria and evidence ----------------------------------------------------------------------------


@transaction.atomic
def criterion_add(*, campaign: Campaign, by, text: str, source: str, **fields) -> Criterion:
    campaign = _locked(campaign)
    require(rules.may_work_on_campaign, by, campaign)
    order = (campaign.criteria.aggregate(m=Max("order"))["m"] or 0) + 1
    criterion = model_create(Criterion, campaign=campaign, order=order, text=text, source=source, **fields)
    _event(campaign, by=by, kind="criterion", text=_("新增评价指标：%(t)s") % {"t": text})
    return criterion


@transaction.atomic
def criterion_update(*, criterion: Criterion, by, expected_version: int, **fields) -> Criterion:
    require(rules.may_work_on_campaign, by, _locked(criterion.campaign))
    update = versioned_update(criterion, expected_version=expected_version, fields=fields, by=by)
    if update:
        _event(criterion.campaign, by=by, kind="criterion", text=f"{criterion.text}：{update.summary()}")
    return update.instance


@transaction.atomic
def criterion_record_live(*, criterion: Criterion, by) -> Criterion:
    """Keep the live source's current value on the criterion (for the dossier), with the moment read."""
    require(rules.may_work_on_campaign, by, _locked(criterion.campaign))
    live = selectors.live_value(criterion.live_source, user=by)
    if live is None:
        raise Invalid(_("该指标没有实时数据来源。"))
    criterion.recorded_value, criterion.recorded_at = live.value, live.read_at
    criterion.version += 1
    criterion.save(update_fields=["recorded_value", "recorded_at", "version"])
    shown = "—" if live.value is None else f"{live.value * 100:.2f}%"
    _event(
        criterion.campaign,
        by=by,
        kind="reading",
        text=_("记录实时数据：%(t)s %(v)s") % {"t": criterion.text, "v": shown},
    )
    return criterion


@transaction.atomic
def evidence_upload(
    *, campaign: Campaign, by, title: str, upload, criterion: Criterion | None = None, note: str = ""
) -> EvidenceFile:
    """Add a piece of evidence, or a new version of one with the same name."""
    campaign = _locked(campaign)
    require(rules.may_work_on_campaign, by, campaign)
    check_upload(upload, allowed=EVIDENCE)
    if criterion is not None and criterion.campaign_id != campaign.pk:
        raise Invalid(fields={"criterion": [_("该指标不属于本争创。")]})
    evidence = Evidence.objects.select_for_update().filter(campaign=campaign, title=title).first()
    if evidence is None:
        evidence = model_create(Evidence, campaign=campaign, title=title, criterion=criterion)
    elif criterion is not None and evidence.criterion_id != criterion.pk:
        evidence.criterion = criterion
        evidence.save(update_fields=["criterion"])
    version = (evidence.files.aggregate(m=Max("version"))["m"] or 0) + 1
    saved = model_create(
        EvidenceFile, evidence=evidence, version=version, file=upload, note=note or "", uploaded_by=by
    )
    _event(campaign, by=by, kind="evidence", text=_("上传材料：%(t)s 第%(v)s版") % {"t": title, "v": version})
    return saved
