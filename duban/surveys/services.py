"""Writes of surveys: the catalogue of forms, sending a round (with pre-fill and notices), filling and
submitting a response, review (approve, return with the reason), the county's roll-up of its
townships, reminders. Each step of a response is a transition of `workflow.RESPONSE_WORKFLOW`."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import Decimal

from django.db import transaction
from django.db.models import Count, Q, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from duban.accounts.selectors import unit_liaisons
from duban.bonds import selectors as bonds
from duban.core.errors import Invalid
from duban.core.rules import require
from duban.notifications.models import NotificationKind
from duban.notifications.services import notify
from duban.organisation.models import Unit, UnitKind
from duban.ppp import selectors as ppp
from duban.workcalendar.selectors import add_working_days, is_working_day

from . import rules
from .definition import DefinitionInvalid, all_fields, check_definition, numeric_values, validate_answers
from .models import (
    ResponseFile,
    ResponseState,
    RoundState,
    SurveyForm,
    SurveyResponse,
    SurveyRound,
    SurveyValue,
)
from .workflow import RESPONSE_WORKFLOW

ROLLUP_KINDS = (UnitKind.COUNTY,)
SCHEDULE_NAME = "surveys.remind_due"
SCHEDULE_FUNC = "duban.surveys.services.remind_due"
REMIND_BEFORE_WORKING_DAYS = 2


# --- the catalogue ---------------------------------------------------------------------------------


def form_create(*, by, code: str, title: str, definition: dict, **marks) -> SurveyForm:
    """A new version of a form (the next number after the code's last); the definition is held to
    the schema and the marks are required."""
    require(rules.may_manage_surveys, by)
    try:
        check_definition(definition)
    except DefinitionInvalid as error:
        raise Invalid(str(error), fields={"definition": error.problems}) from error
    last = SurveyForm.objects.filter(code=code).order_by("-version").first()
    form = SurveyForm(
        code=code, title=title, definition=definition, version=(last.version + 1 if last else 1), **marks
    )
    form.full_clean()
    form.save()
    return form


# --- sending a round ------------------------------------------------------------------------------


def _platform_figures(by, unit_ids) -> dict[str, dict[int, int]]:
    """What the platform already holds of each unit, read through the owning apps' selectors."""
    bond_counts = dict(
        bonds.project_list(user=by)
        .filter(applying_unit_id__in=unit_ids)
        .values_list("applying_unit_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    ppp_rows = ppp.project_list(user=by).filter(
        Q(implementing_agency_id__in=unit_ids) | Q(county_id__in=unit_ids)
    )
    ppp_counts: dict[int, int] = defaultdict(int)
    for agency, county in ppp_rows.values_list("implementing_agency_id", "county_id"):
        for unit_id in {agency, county} & set(unit_ids):
            ppp_counts[unit_id] += 1
    return {"bond_projects": bond_counts, "ppp_projects": ppp_counts}


def _prefill(form, unit, previous: dict, figures) -> tuple[dict, list[str]]:
    """The answers a unit starts with: its previous round's (carried forward), then each field's
    `prefill` source (the previous round's other field, the unit's details, the platform's figures)."""
    answers = dict(previous)
    filled = list(previous)
    for field in all_fields(form.definition):
        source = field.get("prefill")
        if not source:
            continue
        value = None
        if source.startswith("previous:"):
            value = previous.get(source.split(":", 1)[1])
        elif source.startswith("unit."):
            value = getattr(unit, source.split(".", 1)[1], None)
            value = value if isinstance(value, (str, int)) else None
        elif source.startswith("platform."):
            value = figures.get(source.split(".", 1)[1], {}).get(unit.pk, 0)
        if value not in (None, ""):
            answers[field["key"]] = value
            filled.append(field["key"])
    cleaned, _errors = validate_answers(form.definition, answers, complete=False)
    return cleaned, sorted(set(filled) & set(cleaned))


def _previous_answers(form, units) -> dict[int, dict]:
    last = SurveyRound.objects.filter(form__code=form.code).order_by("-created_at", "-id").first()
    if last is None:
        return {}
    return dict(
        SurveyResponse.objects.filter(
            round=last, unit__in=units, state__in=(ResponseState.SUBMITTED, ResponseState.APPROVED)
        ).values_list("unit_id", "answers")
    )


@transaction.atomic
def round_send(
    *, by, form: SurveyForm, title: str, deadline: date, units, rollup: bool = False
) -> SurveyRound:
    """Send the form to the units (with roll-up: a county's townships too, under the county); each
    response starts pre-filled; the units' liaisons are told."""
    require(rules.may_manage_surveys, by)
    if form.is_expired():
        raise Invalid(
            _("“%(form)s”已过有效期（%(until)s），不能再发出。")
            % {"form": form.title, "until": form.valid_until}
        )
    if deadline < date.today() or not is_working_day(deadline):
        suggestion = add_working_days(max(deadline, date.today()), 1)
        raise Invalid(
            _("截止日期须为今天以后的工作日，例如 %(day)s。") % {"day": suggestion},
            fields={"deadline": [_("请选择工作日。")]},
        )
    targets = list(units)
    if not targets:
        raise Invalid(_("请选择填报单位。"), fields={"units": [_("请选择填报单位。")]})
    parts: dict[int, list[Unit]] = defaultdict(list)
    if rollup:
        heads = {u.tree_path: u for u in targets if u.kind in ROLLUP_KINDS}
        for township in Unit.objects.filter(kind=UnitKind.TOWNSHIP, is_active=True).order_by("tree_path"):
            for path, head in heads.items():
                if township.tree_path.startswith(path):
                    parts[head.pk].append(township)
    previous = _previous_answers(form, [*targets, *(t for ts in parts.values() for t in ts)])
    last = SurveyRound.objects.filter(form__code=form.code).order_by("-created_at", "-id").first()
    survey_round = SurveyRound.objects.create(
        form=form, title=title, deadline=deadline, rollup=rollup, created_by=by, previous=last
    )
    everyone = [*targets, *(t for ts in parts.values() for t in ts)]
    figures = _platform_figures(by, [u.pk for u in everyone])
    by_unit = {}
    for unit in targets:
        answers, filled = _prefill(form, unit, previous.get(unit.pk, {}), figures)
        by_unit[unit.pk] = SurveyResponse(round=survey_round, unit=unit, answers=answers, prefilled=filled)
    SurveyResponse.objects.bulk_create(by_unit.values())
    children = []
    for head_id, townships in parts.items():
        for unit in townships:
            if unit.pk in by_unit:
                continue
            answers, filled = _prefill(form, unit, previous.get(unit.pk, {}), figures)
            children.append(
                SurveyResponse(
                    round=survey_round, unit=unit, parent=by_unit[head_id], answers=answers, prefilled=filled
                )
            )
    SurveyResponse.objects.bulk_create(children)
    for response in SurveyResponse.objects.filter(round=survey_round).select_related("round__form"):
        write_values(response)
    notify(
        recipients=unit_liaisons([u.pk for u in everyone]),
        kind=NotificationKind.ASSIGNED,
        title=_("请填报：%(title)s（%(deadline)s 前）") % {"title": title, "deadline": deadline},
        body=_("表号 %(number)s，%(issuer)s制定。") % {"number": form.table_number, "issuer": form.issuer},
        url=reverse("surveys:round_detail", args=[survey_round.pk]),
        sender=by,
    )
    return survey_round


# --- filling and review --------------------------------------------------------------------------------


def write_values(response: SurveyResponse) -> None:
    """Rewrite the response's rows of the values table from its answers (derived data)."""
    SurveyValue.objects.filter(response=response).delete()
    SurveyValue.objects.bulk_create(
        (
            SurveyValue(response=response, key=key, row=row, number=number, text=text)
            for key, row, number, text in numeric_values(response.round.form.definition, response.answers)
        ),
        batch_size=2000,
    )


def checked_answers(response: SurveyResponse, answers, *, complete: bool) -> dict:
    """The answers cleaned against the response's form, or Invalid whose API body carries
    `{"answers": {field: [message]}}`."""
    file_ids = set(ResponseFile.objects.filter(response=response).values_list("pk", flat=True))
    unit_ids = set(Unit.objects.values_list("pk", flat=True)) if _has_unit_field(response) else set()
    cleaned, errors = validate_answers(
        response.round.form.definition,
        answers,
        complete=complete,
        units=unit_ids.__contains__,
        files=file_ids.__contains__,
    )
    if errors:
        first = next(iter(errors.values()))[0]
        raise Invalid(
            _("填报内容有 %(n)d 处问题，未保存：%(first)s")
            % {"n": sum(map(len, errors.values())), "first": first},
            fields={"answers": [m for ms in errors.values() for m in ms]},
            extra={"answers": errors},
        )
    return cleaned


def _has_unit_field(response) -> bool:
    return any(
        f["type"] == "unit" or any(c["type"] == "unit" for c in f.get("columns", ()))
        for f in all_fields(response.round.form.definition)
    )


def _locked(response) -> SurveyResponse:
    return (
        SurveyResponse.objects.select_for_update(of=("self",))
        .select_related("round__form", "parent__unit")
        .get(pk=response.pk)
    )


@transaction.atomic
def response_save(
    *, response, by, answers: dict, submit: bool = False, expected_version=None
) -> SurveyResponse:
    """Save the unit's answers (a draft: only bad values refused), or with `submit` check everything
    and submit. A bad value saves nothing."""
    response = _locked(response)
    if expected_version is not None and expected_version != response.version:
        from duban.core.errors import EditConflict

        raise EditConflict(_("他人已修改本表，请刷新后重试。"))
    transition = RESPONSE_WORKFLOW.check(by, response, "submit" if submit else "fill")
    response.answers = checked_answers(response, answers, complete=submit)
    if submit:
        now = timezone.now()
        response.submitted_at = now
        response.first_submitted_at = response.first_submitted_at or now
        response.return_reason = ""
        RESPONSE_WORKFLOW.move(response, transition, by=by)
        _tell_reviewer(response)
    else:
        response.version += 1
        response.full_clean()
        response.save()
    write_values(response)
    return response


def _tell_reviewer(response) -> None:
    if response.parent_id is None:
        return
    notify(
        recipients=unit_liaisons([response.parent.unit_id]),
        kind=NotificationKind.APPROVAL,
        title=_("%(unit)s已提交“%(title)s”，请审核。")
        % {"unit": response.unit, "title": response.round.title},
        url=reverse("surveys:response_detail", args=[response.pk]),
    )


@transaction.atomic
def response_approve(*, response, by, note: str = "") -> SurveyResponse:
    response = _locked(response)
    transition = RESPONSE_WORKFLOW.check(by, response, "approve")
    return RESPONSE_WORKFLOW.move(response, transition, by=by, note=note)


@transaction.atomic
def response_return(*, response, by, reason: str) -> SurveyResponse:
    """Return the response to its unit with the reason; the unit corrects and submits again."""
    response = _locked(response)
    transition = RESPONSE_WORKFLOW.check(by, response, "return", note=reason)
    response.return_reason = reason.strip()[:500]
    RESPONSE_WORKFLOW.move(response, transition, by=by, note=reason)
    notify(
        recipients=unit_liaisons([response.unit_id]),
        kind=NotificationKind.RETURNED,
        title=_("“%(title)s”被退回：%(reason)s")
        % {"title": response.round.title, "reason": response.return_reason},
        url=reverse("surveys:response_detail", args=[response.pk]),
        sender=by,
    )
    return response


@transaction.atomic
def response_rollup(*, response, by) -> SurveyResponse:
    """逐级汇总: the county's numeric answers become the sums of its approved townships' (in SQL over
    the values table), its tables the townships' rows together; the county then checks and submits."""
    response = _locked(response)
    transition = RESPONSE_WORKFLOW.check(by, response, "rollup")
    definition = response.round.form.definition
    sums = dict(
        SurveyValue.objects.filter(response__parent=response, row=0)
        .exclude(number=None)
        .values_list("key")
        .annotate(total=Sum("number"))
        .order_by()
    )
    answers = dict(response.answers)
    parts = list(response.parts.order_by("unit__tree_path").values_list("answers", flat=True))
    for field in all_fields(definition):
        key = field["key"]
        if (
            field["type"] in ("integer", "decimal", "percentage")
            and key in sums
            and field["type"] != "percentage"
        ):
            total: Decimal = sums[key]
            answers[key] = int(total) if field["type"] == "integer" else str(total.normalize())
        elif field["type"] == "table":
            answers[key] = [row for part in parts for row in part.get(key, [])]
    response.answers = checked_answers(response, answers, complete=False)
    response.rolled_up_at = timezone.now()
    RESPONSE_WORKFLOW.move(
        response, transition, by=by, note=_("汇总了 %(n)d 个下级单位的数据。") % {"n": len(parts)}
    )
    write_values(response)
    return response


@transaction.atomic
def response_attach(*, response, by, upload, key: str = "file") -> ResponseFile:
    """Keep a file for the response's `file` field `key` (checked like every upload)."""
    from django.core.exceptions import ValidationError

    from duban.core.uploads import EVIDENCE, check_upload

    response = _locked(response)
    RESPONSE_WORKFLOW.check(by, response, "fill")
    try:
        check_upload(upload, allowed=EVIDENCE)
    except ValidationError as error:
        raise Invalid("；".join(error.messages), extra={"answers": {key: error.messages}}) from error
    return ResponseFile.objects.create(response=response, file=upload, name=upload.name[:200], uploaded_by=by)


# --- reminders ----------------------------------------------------------------------------------------


def round_remind(*, survey_round, by=None) -> int:
    """Remind the liaisons of the units that have not filed (draft or returned); how many were told."""
    if by is not None:
        require(rules.may_manage_surveys, by)
    waiting = survey_round.responses.filter(state__in=(ResponseState.DRAFT, ResponseState.RETURNED))
    count = notify(
        recipients=unit_liaisons(waiting.values_list("unit_id", flat=True)),
        kind=NotificationKind.REMINDER,
        title=_("催报：“%(title)s”须于 %(deadline)s 前报送。")
        % {"title": survey_round.title, "deadline": survey_round.deadline},
        url=reverse("surveys:round_detail", args=[survey_round.pk]),
        sender=by,
    )
    SurveyRound.objects.filter(pk=survey_round.pk).update(reminded_on=date.today())
    return count


def remind_due(today: date | None = None) -> int:
    """The schedule's task (daily): remind the open rounds due within two working days, once a day."""
    today = today or date.today()
    told = 0
    for survey_round in SurveyRound.objects.filter(state=RoundState.OPEN).exclude(reminded_on=today):
        if add_working_days(today, REMIND_BEFORE_WORKING_DAYS) >= survey_round.deadline >= today:
            told += round_remind(survey_round=survey_round)
    return told


def ensure_schedule() -> bool:
    """Create the daily reminder schedule if it is missing (idempotent); True when it was created."""
    from django_q.models import Schedule

    _schedule, created = Schedule.objects.get_or_create(
        name=SCHEDULE_NAME, defaults={"func": SCHEDULE_FUNC, "schedule_type": Schedule.DAILY, "repeats": -1}
    )
    return created
