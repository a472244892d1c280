"""Surveys' pages: the rounds, the catalogue of forms with the burden meter, sending a round, a round's
results (status board, aggregates, charts, Excel, Word), and a response: fill (autosaved and checked
through the server's validator by htmx), Excel template and import, review and roll-up."""

from __future__ import annotations

import re
from functools import partial

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from duban.core.errors import Invalid
from duban.core.excel import workbook_response
from duban.core.forms import cleaned
from duban.core.routes import Pages
from duban.core.rules import rule_required
from duban.core.views import ListPage, attachment, button, done, find, form_page, import_page, list_page
from duban.organisation.models import Unit

from . import exchange, rules, selectors, services
from .definition import all_fields, table_fields, visible
from .filters import FormFilterSet, ResponseFilterSet, RoundFilterSet
from .forms import ReturnForm, RoundForm

pages = Pages()
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def rounds_workbook(rows) -> bytes:
    from duban.core.excel import write_workbook

    return write_workbook(
        title=_("填报任务"),
        headers=[_("标题"), _("表号"), _("截止日期"), _("状态")],
        rows=([r.title, r.form.table_number, r.deadline, r.get_state_display()] for r in rows),
    )


ROUNDS = ListPage(
    selectors.round_list,
    "surveys/round_list.html",
    filterset_class=RoundFilterSet,
    workbook=rounds_workbook,
    filename=gettext_lazy("填报任务.xlsx"),
)
pages.list("", ROUNDS, name="round_list", export="round_list_export")


@pages.route("forms/")
@rule_required(rules.may_manage_surveys)
def form_list(request):
    """The catalogue of forms the city sends down (目录), each with its marks and fields."""
    rows = selectors.form_list(user=request.user, filters=request.GET)
    return list_page(request, "surveys/form_list.html", rows, filterset_class=FormFilterSet)


@pages.route("send/")
@rule_required(rules.may_manage_surveys)
def round_create(request):
    """Send a form: the burden meter of every chosen unit is shown first (预览), then it is sent."""
    form = RoundForm(request.POST or None)
    preview = None
    if request.method == "POST" and form.is_valid() and "preview" in request.POST:
        data = form.cleaned_data
        units = list(
            selectors.units_for_round(
                kinds=data["kinds"], unit_ids=[u.pk for u in data["units"]], below=data["below"]
            )
        )
        meter = selectors.burden([u.pk for u in units], extra_form=data["form"])
        preview = [(u, meter[u.pk]) for u in units]

    def save(form):
        data = form.cleaned_data
        units = selectors.units_for_round(
            kinds=data["kinds"], unit_ids=[u.pk for u in data["units"]], below=data["below"]
        )
        survey_round = services.round_send(
            by=request.user,
            form=data["form"],
            title=data["title"],
            deadline=data["deadline"],
            units=units,
            rollup=data["rollup"],
        )
        return done(request, _("已发出。"), "surveys:round_detail", pk=survey_round.pk)

    if preview is not None:
        return render(
            request, "surveys/round_create.html", {"form": form, "preview": preview, "title": _("发起填报")}
        )
    return form_page(
        request, form, save=save, template="surveys/round_create.html", title=_("发起填报"), preview=None
    )


@pages.route("<int:pk>/")
@login_required
def round_detail(request, pk):
    survey_round = find(request, selectors.round_list, pk)
    rows = selectors.round_responses(user=request.user, survey_round=survey_round, filters=request.GET)
    entries, board = exchange.round_results(user=request.user, survey_round=survey_round)
    numbers = [e for e in entries if "total" in e]
    key = request.GET.get("field") or (numbers[0]["key"] if numbers else "")
    by_unit = (
        selectors.totals_by_unit(user=request.user, survey_round=survey_round, key=key)[:30] if key else []
    )
    chart = {"units": [u for u, _v in by_unit], "values": [float(v) for _u, v in by_unit]}
    shares = [e for e in entries if "distribution" in e]
    if shares:
        chart["share_title"] = shares[0]["label"]
        chart["shares"] = [{"name": label, "value": n} for label, n in shares[0]["distribution"]]
    return list_page(
        request,
        "surveys/round_detail.html",
        rows,
        filterset_class=ResponseFilterSet,
        round=survey_round,
        entries=entries,
        board=board,
        chart=chart,
        chart_key=key,
        numbers=numbers,
        marks=exchange.marks(survey_round.form),
        may_manage=rules.may_manage_surveys.test(request.user),
    )


@pages.route("<int:pk>/responses.xlsx", name="round_export")
@login_required
def round_export(request, pk):
    survey_round = find(request, selectors.round_list, pk)
    rows = selectors.round_responses(user=request.user, survey_round=survey_round, filters=request.GET)
    content = exchange.responses_workbook(survey_round, rows)
    return workbook_response(content, filename=_("%(title)s-全部填报.xlsx") % {"title": survey_round.title})


@pages.route("<int:pk>/tables/<str:key>.xlsx", name="round_table_export")
@login_required
def round_table_export(request, pk, key):
    survey_round = find(request, selectors.round_list, pk)
    if key not in {t["key"] for t in table_fields(survey_round.form.definition)}:
        raise Invalid(_("本表没有这一表格。"))
    rows = selectors.round_responses(user=request.user, survey_round=survey_round)
    content = exchange.table_rows_workbook(survey_round, rows, key)
    return workbook_response(content, filename=_("%(title)s-明细.xlsx") % {"title": survey_round.title})


@pages.route("<int:pk>/aggregates.xlsx", name="round_aggregates")
@login_required
def round_aggregates(request, pk):
    survey_round = find(request, selectors.round_list, pk)
    entries, board = exchange.round_results(user=request.user, survey_round=survey_round)
    content = exchange.aggregates_workbook(survey_round, entries, board)
    return workbook_response(content, filename=_("%(title)s-汇总.xlsx") % {"title": survey_round.title})


@pages.route("<int:pk>/summary.docx", name="round_summary")
@login_required
def round_summary(request, pk):
    survey_round = find(request, selectors.round_list, pk)
    entries, board = exchange.round_results(user=request.user, survey_round=survey_round)
    content = exchange.summary_document(
        survey_round=survey_round, entries=entries, board=board, issuer=survey_round.form.issuer
    )
    response = HttpResponse(content, content_type=DOCX)
    response["Content-Disposition"] = "attachment; filename=summary.docx"
    return response


@pages.route("<int:pk>/remind/")
@require_POST
@login_required
def round_remind(request, pk):
    survey_round = find(request, selectors.round_list, pk, may=rules.may_manage_surveys)
    count = services.round_remind(survey_round=survey_round, by=request.user)
    return done(request, _("已催报 %(n)d 人。") % {"n": count}, "surveys:round_detail", pk=pk)


# --- a response -----------------------------------------------------------------------------------------


@pages.route("responses/<int:pk>/")
@login_required
def response_detail(request, pk):
    response = find(request, selectors.response_list, pk)
    definition = response.round.form.definition
    return render(
        request,
        "surveys/response_detail.html",
        {
            "response": response,
            "sections": _sections(definition, response.answers),
            "parts": selectors.response_parts(user=request.user, response=response),
            "events": selectors.response_events(response),
            "marks": exchange.marks(response.round.form),
            "return_form": ReturnForm(),
        },
    )


def _unit_choices(definition) -> dict[str, list]:
    """The units a `unit` field may name (its `unit_kinds`, else every active unit), by field key."""
    found = {}
    for field in all_fields(definition):
        for item in field.get("columns", [field]):
            if item["type"] == "unit":
                units = Unit.objects.filter(is_active=True).order_by("tree_path")
                if item.get("unit_kinds"):
                    units = units.filter(kind__in=item["unit_kinds"])
                found[item["key"]] = list(units.values_list("pk", "name"))
    return found


def _sections(definition, answers):
    """The sections and fields to show (conditional display applied), each with its value."""
    out = []
    choices = _unit_choices(definition)
    for section in definition["sections"]:
        if not visible(section, answers):
            continue
        fields = []
        for field in section["fields"]:
            if not visible(field, answers):
                continue
            value = answers.get(field["key"])
            entry = {**field, "value": value, "units": choices.get(field["key"], [])}
            if field["type"] == "table":
                rows = list(value or [])
                key, columns = field["key"], field["columns"]
                entry["numbered"] = [
                    (n, [(c, row.get(c["key"]), f"{key}.{n}.{c['key']}") for c in columns])
                    for n, row in enumerate(rows, start=1)
                ]
                entry["blank"] = [
                    (n, [(c, f"{key}.{n}.{c['key']}") for c in columns])
                    for n in range(len(rows) + 1, len(rows) + 4)
                ]
            fields.append(entry)
        out.append({**section, "fields": fields})
    return out


TABLE_CELL = re.compile(r"^([a-z][a-z0-9_]*)\.(\d+)\.([a-z][a-z0-9_]*)$")


def answers_from_post(definition, post) -> dict:
    """The answers a filled page sends: `key` per field (a multiple choice's several), a table's cells
    as `table.row.column`."""
    answers = {}
    for field in all_fields(definition):
        if field["type"] == "multichoice":
            answers[field["key"]] = post.getlist(field["key"])
        elif field["type"] != "table" and field["key"] in post:
            answers[field["key"]] = post.get(field["key"])
    tables: dict[str, dict[int, dict]] = {}
    for name in post:
        match = TABLE_CELL.match(name)
        if match:
            tables.setdefault(match.group(1), {}).setdefault(int(match.group(2)), {})[match.group(3)] = (
                post.get(name)
            )
    for key, rows in tables.items():
        answers[key] = [rows[n] for n in sorted(rows)]
    return answers


def _attach_files(request, response, answers) -> None:
    """A `file` field's upload is kept first (checked like every upload); the answer is its id."""
    for field in all_fields(response.round.form.definition):
        upload = request.FILES.get(field["key"]) if field["type"] == "file" else None
        if upload is not None:
            answers[field["key"]] = services.response_attach(
                response=response, by=request.user, upload=upload, key=field["key"]
            ).pk
        elif field["type"] == "file" and field["key"] in response.answers:
            answers[field["key"]] = response.answers[field["key"]]


@pages.route("responses/<int:pk>/fill/")
@login_required
def response_fill(request, pk):
    response = find(request, selectors.response_list, pk, may=rules.may_fill_response)
    definition = response.round.form.definition
    errors = {}
    answers = response.answers
    if request.method == "POST":
        answers = answers_from_post(definition, request.POST)
        try:
            _attach_files(request, response, answers)
            services.response_save(
                response=response, by=request.user, answers=answers, submit="submit" in request.POST
            )
        except Invalid as error:
            errors = error.extra.get("answers", {})
        else:
            message = _("已提交。") if "submit" in request.POST else _("已保存草稿。")
            return done(request, message, "surveys:response_detail", pk=pk)
    return render(
        request,
        "surveys/response_fill.html",
        {
            "response": response,
            "sections": _sections(definition, answers),
            "errors": errors,
            "marks": exchange.marks(response.round.form),
        },
    )


@pages.route("responses/<int:pk>/autosave/")
@require_POST
@login_required
def response_autosave(request, pk):
    """htmx: save what is typed as the draft (only bad values refused), answer the status line."""
    response = find(request, selectors.response_list, pk, may=rules.may_fill_response)
    answers = answers_from_post(response.round.form.definition, request.POST)
    _attach_files(request, response, answers)
    try:
        services.response_save(response=response, by=request.user, answers=answers)
    except Invalid as error:
        return render(
            request, "surveys/_check.html", {"errors": error.extra.get("answers", {}), "saved": False}
        )
    return render(request, "surveys/_check.html", {"errors": {}, "saved": True})


@pages.route("responses/<int:pk>/check/")
@require_POST
@login_required
def response_check(request, pk):
    """htmx: every check the submission will run (the server's validator), nothing saved."""
    response = find(request, selectors.response_list, pk, may=rules.may_fill_response)
    answers = answers_from_post(response.round.form.definition, request.POST)
    _attach_files(request, response, answers)
    try:
        services.checked_answers(response, answers, complete=True)
    except Invalid as error:
        return render(
            request, "surveys/_check.html", {"errors": error.extra.get("answers", {}), "checked": True}
        )
    return render(request, "surveys/_check.html", {"errors": {}, "checked": True})


@pages.route("responses/<int:pk>/template/")
@login_required
def response_template(request, pk):
    response = find(request, selectors.response_list, pk)
    content = exchange.template_workbook(response)
    return workbook_response(
        content,
        filename=_("%(form)s-%(unit)s.xlsx") % {"form": response.round.form.title, "unit": response.unit},
    )


@pages.route("responses/<int:pk>/import/")
@login_required
def response_import(request, pk):
    response = find(request, selectors.response_list, pk, may=rules.may_fill_response)
    return import_page(
        request,
        exchange.ResponseImport(response),
        title=_("导入填报模板"),
        help_text=_("请使用本页下载的模板填写“填报值”一列；任何一行有误都不会保存。"),
        success_url=reverse("surveys:response_detail", args=[pk]),
    )


@pages.route("files/<int:pk>/")
@login_required
def response_file(request, pk):
    """A file a unit attached to its response (its unit, the units above it, the office)."""
    kept = find(request, selectors.file_list, pk)
    return attachment(kept.file, kept.name)


on_response = partial(button, select=selectors.response_list, name="response", page="surveys:response_detail")
response_approve = pages.route("responses/<int:pk>/approve/", name="response_approve")(
    on_response(services.response_approve, gettext_lazy("已审核通过。"))
)
response_return = pages.route("responses/<int:pk>/return/", name="response_return")(
    on_response(
        services.response_return,
        gettext_lazy("已退回。"),
        read=lambda request, _obj: {"reason": cleaned(ReturnForm(request.POST))["reason"]},
    )
)
response_rollup = pages.route("responses/<int:pk>/rollup/", name="response_rollup")(
    on_response(services.response_rollup, gettext_lazy("已汇总下级单位的数据。"))
)
