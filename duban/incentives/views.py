"""The incentive pages: the catalogue, the campaign board, a campaign's page (criteria with their live
figures, evidence with versions, timeline, outcome), the dossier in Word and the yearly summary."""

from __future__ import annotations

from functools import partial
from urllib.parse import quote

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from duban.core.excel import workbook_response, write_workbook
from duban.core.forms import cleaned
from duban.core.routes import Pages
from duban.core.rules import require, rule_required
from duban.core.views import ListPage, attachment, button, done, find, form_of, form_page

from . import documents, rules, selectors, services
from .filters import CampaignFilterSet, MeasureFilterSet
from .forms import (
    CampaignForm,
    CampaignOpenForm,
    CriterionForm,
    DecisionForm,
    EvidenceForm,
    MeasureForm,
    ReasonForm,
    SubmitForm,
)
from .workflow import WORKFLOW

pages = Pages()

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def measures_workbook(rows) -> bytes:
    return write_workbook(
        title=_("督查激励措施"),
        headers=[
            _("清单"),
            _("序号"),
            _("政策领域"),
            _("激励事项"),
            _("激励层级"),
            _("负责部门"),
            _("激励措施"),
            _("来源网址"),
            _("已核对原文"),
            _("核对说明"),
        ],  # fmt: skip
        rows=(
            [
                m.measure_list.code,
                m.number,
                m.area,
                m.title,
                m.level_labels,
                m.ministry,
                m.reward,
                m.source_url,
                _("是") if m.verified else _("否"),
                m.verification_note,
            ]  # fmt: skip
            for m in rows
        ),
    )


def campaigns_workbook(rows) -> bytes:
    return write_workbook(
        title=_("督查激励争创"),
        headers=[
            _("评价年度"),
            _("激励事项"),
            _("负责部门"),
            _("牵头单位"),
            _("争创县区"),
            _("责任领导"),
            _("部委推荐截止"),
            _("状态"),
            _("获得奖励"),
        ],  # fmt: skip
        rows=(
            [
                c.year,
                c.measure.area,
                c.measure.ministry,
                c.lead_unit.name,
                c.county.name if c.county_id else _("市本级"),
                c.leader.name if c.leader_id else "",
                c.submission_due,
                c.get_state_display(),
                c.reward,
            ]  # fmt: skip
            for c in rows
        ),
    )


CATALOGUE = ListPage(
    selectors.measure_list,
    "incentives/measure_list.html",
    filterset_class=MeasureFilterSet,
    workbook=measures_workbook,
    filename=gettext_lazy("督查激励措施.xlsx"),
    context=lambda request: {"lists": selectors.catalogue_lists(user=request.user)},
)
pages.list("catalogue/", CATALOGUE, name="measure_list", export="measure_export")

BOARD = ListPage(
    selectors.campaign_list,
    "incentives/campaign_list.html",
    filterset_class=CampaignFilterSet,
    workbook=campaigns_workbook,
    filename=gettext_lazy("督查激励争创.xlsx"),
)
pages.list("", BOARD, name="campaign_list", export="campaign_export")


# --- the catalogue -----------------------------------------------------------------------------------


@pages.route("catalogue/new/")
@rule_required(rules.may_edit_catalogue)
def measure_create(request):
    def save(form):
        services.measure_create(by=request.user, **form.changes)
        return done(request, _("已新增激励措施。"), "incentives:measure_list")

    return form_page(
        request, MeasureForm(request.POST or None), save=save, title=_("新增激励措施"),
        cancel_url=reverse("incentives:measure_list"),
    )  # fmt: skip


@pages.route("catalogue/<int:pk>/edit/")
@login_required
def measure_edit(request, pk):
    measure = find(request, selectors.measure_list, pk, may=rules.may_edit_catalogue)

    def save(form):
        services.measure_update(
            measure=measure, by=request.user, expected_version=form.version, **form.changes
        )
        return done(request, _("已保存。"), "incentives:measure_list")

    return form_page(
        request, MeasureForm(request.POST or None, instance=measure), save=save, title=_("编辑激励措施"),
        cancel_url=reverse("incentives:measure_list"),
    )  # fmt: skip


@pages.route("catalogue/load/")
@require_POST
@rule_required(rules.may_edit_catalogue)
def catalogue_load(request):
    counts = services.catalogue_load(by=request.user)
    return done(request, services.catalogue_load_summary(counts), "incentives:measure_list")


# --- campaigns -------------------------------------------------------------------------------------


@pages.route("campaigns/new/")
@rule_required(rules.may_open_campaign)
def campaign_open(request):
    initial = {"measure": request.GET.get("measure")} if request.GET.get("measure", "").isdecimal() else {}

    def save(form):
        campaign = services.campaign_open(by=request.user, **form.cleaned_data)
        return done(request, _("已交办争创，并生成督办事项。"), "incentives:campaign_detail", pk=campaign.pk)

    return form_page(
        request, CampaignOpenForm(request.POST or None, initial=initial), save=save, title=_("交办激励争创"),
        cancel_url=reverse("incentives:campaign_list"),
    )  # fmt: skip


@pages.route("campaigns/<int:pk>/")
@login_required
def campaign_detail(request, pk):
    campaign = find(request, selectors.campaign_list, pk)
    criteria = list(campaign.criteria.all())
    live = selectors.live_values(criteria, user=request.user)
    for criterion in criteria:
        criterion.live = live.get(criterion.pk)
    return render(
        request,
        "incentives/campaign_detail.html",
        {
            "campaign": campaign,
            "criteria": criteria,
            "evidence": selectors.campaign_evidence(campaign),
            "timeline": selectors.timeline(campaign),
            "events": campaign.events.select_related("by")[:50],
            "transitions": WORKFLOW.available(request.user, campaign),
            "may_work": rules.may_work_on_campaign.test(request.user, campaign),
            "evidence_form": EvidenceForm(campaign=campaign),
            "decision_form": DecisionForm(),
            "submit_form": SubmitForm(),
            "reason_form": ReasonForm(),
        },
    )


@pages.route("campaigns/<int:pk>/edit/")
@login_required
def campaign_edit(request, pk):
    campaign = find(request, selectors.campaign_list, pk, may=rules.may_edit_campaign)

    def save(form):
        services.campaign_update(
            campaign=campaign, by=request.user, expected_version=form.version, **form.changes
        )
        return done(request, _("已保存。"), "incentives:campaign_detail", pk=pk)

    return form_page(
        request, CampaignForm(request.POST or None, instance=campaign), save=save, title=_("编辑激励争创"),
        cancel_url=reverse("incentives:campaign_detail", args=[pk]),
    )  # fmt: skip


@pages.route("campaigns/<int:pk>/criteria/new/")
@login_required
def criterion_add(request, pk):
    campaign = find(request, selectors.campaign_list, pk, may=rules.may_work_on_campaign)

    def save(form):
        services.criterion_add(campaign=campaign, by=request.user, **form.changes)
        return done(request, _("已新增评价指标。"), "incentives:campaign_detail", pk=pk)

    return form_page(
        request, CriterionForm(request.POST or None), save=save, title=_("新增评价指标"),
        cancel_url=reverse("incentives:campaign_detail", args=[pk]),
    )  # fmt: skip


@pages.route("criteria/<int:pk>/edit/")
@login_required
def criterion_edit(request, pk):
    criterion = find(request, selectors.criterion_list, pk)
    require(rules.may_work_on_campaign, request.user, criterion.campaign)
    back = reverse("incentives:campaign_detail", args=[criterion.campaign_id])

    def save(form):
        services.criterion_update(
            criterion=criterion, by=request.user, expected_version=form.version, **form.changes
        )
        return done(request, _("已保存。"), back)

    return form_page(
        request, CriterionForm(request.POST or None, instance=criterion), save=save, title=_("编辑评价指标"),
        cancel_url=back,
    )  # fmt: skip


@pages.route("criteria/<int:pk>/record/")
@require_POST
@login_required
def criterion_record(request, pk):
    criterion = find(request, selectors.criterion_list, pk)
    services.criterion_record_live(criterion=criterion, by=request.user)
    return done(request, _("已记录实时数据。"), "incentives:campaign_detail", pk=criterion.campaign_id)


@pages.route("campaigns/<int:pk>/evidence/")
@require_POST
@login_required
def evidence_upload(request, pk):
    campaign = find(request, selectors.campaign_list, pk, may=rules.may_work_on_campaign)
    data = cleaned(EvidenceForm(request.POST, request.FILES, campaign=campaign))
    services.evidence_upload(
        campaign=campaign, by=request.user, title=data["title"], upload=data["file"],
        criterion=data.get("criterion"), note=data.get("note") or "",
    )  # fmt: skip
    return done(request, _("已上传材料。"), "incentives:campaign_detail", pk=pk)


@pages.route("evidence-files/<int:pk>/download/")
@login_required
def evidence_download(request, pk):
    version = find(request, selectors.evidence_file_list, pk)
    return attachment(version.file, version.file_name)


on_campaign = partial(
    button, select=selectors.campaign_list, name="campaign", page="incentives:campaign_detail"
)
campaign_submit = pages.route("campaigns/<int:pk>/submit/", name="campaign_submit")(
    on_campaign(services.campaign_submit, gettext_lazy("已报送申报材料。"), read=form_of(SubmitForm))
)
campaign_withdraw = pages.route("campaigns/<int:pk>/withdraw/", name="campaign_withdraw")(
    on_campaign(services.campaign_withdraw, gettext_lazy("已撤回申报。"), read=form_of(ReasonForm))
)
campaign_decide = pages.route("campaigns/<int:pk>/decide/", name="campaign_decide")(
    on_campaign(services.campaign_decide, gettext_lazy("已登记结果。"), read=form_of(DecisionForm))
)


@pages.route("campaigns/<int:pk>/dossier/")
@login_required
def campaign_dossier(request, pk):
    campaign = find(request, selectors.campaign_list, pk)
    content = documents.dossier_docx(campaign, user=request.user)
    response = HttpResponse(content, content_type=DOCX)
    filename = _("申报材料-%(year)s-%(area)s.docx") % {"year": campaign.year, "area": campaign.measure.area}
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


# --- the yearly summary ------------------------------------------------------------------------------


@pages.route("summary/")
@rule_required(rules.reads_summary)
def summary(request):
    return render(
        request, "incentives/summary.html", {"summary": selectors.yearly_summary(user=request.user)}
    )


@pages.route("summary/export/")
@rule_required(rules.reads_summary)
def summary_export(request):
    content = documents.summary_workbook(selectors.yearly_summary(user=request.user))
    return workbook_response(content, filename=_("督查激励获得情况.xlsx"))
