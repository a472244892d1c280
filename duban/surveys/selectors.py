"""Reading surveys. Every read takes the user and goes through the data scope; results are SQL over
the values table (one row per numeric answer), never the answers parsed in Python."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Sum

from duban.accounts.scope import visible_to
from duban.core.filters import filtered
from duban.organisation.models import Unit

from .definition import all_fields
from .filters import FormFilterSet, ResponseFilterSet, RoundFilterSet
from .models import (
    FILED_STATES,
    ResponseEvent,
    ResponseFile,
    ResponseState,
    SurveyForm,
    SurveyResponse,
    SurveyRound,
    SurveyValue,
)

# --- lists -------------------------------------------------------------------------------------------


def form_list(*, user, filters=None) -> QuerySet[SurveyForm]:
    forms = visible_to(
        user, SurveyForm.objects.annotate(round_count=Count("rounds")).order_by("code", "-version")
    )
    return filtered(FormFilterSet, forms, filters, user=user)


def round_list(*, user, filters=None) -> QuerySet[SurveyRound]:
    rounds = visible_to(user, SurveyRound.objects.select_related("form")).order_by("-created_at", "-id")
    return filtered(RoundFilterSet, rounds, filters, user=user)


def response_list(*, user, filters=None) -> QuerySet[SurveyResponse]:
    responses = visible_to(
        user, SurveyResponse.objects.select_related("unit", "round__form", "parent__unit")
    ).order_by("round", "unit__tree_path", "id")
    return filtered(ResponseFilterSet, responses, filters, user=user)


def round_responses(*, user, survey_round, filters=None) -> QuerySet[SurveyResponse]:
    return response_list(user=user, filters=filters).filter(round=survey_round)


def timeliness_counts_by_unit(*, start: date, end: date) -> dict[int, tuple[int, int]]:
    """For the assessment (考核排名), one query over every unit: {unit id: (first submitted by the round's
    deadline, due)} of the responses of the rounds due in [start, end]. A response returned and sent
    again counts by its first submission (`SurveyResponse.is_late`)."""
    on_time = Q(first_submitted_at__isnull=False, first_submitted_at__date__lte=F("round__deadline"))
    counts = (
        SurveyResponse.objects.filter(round__deadline__range=(start, end))
        .order_by()
        .values("unit_id")
        .annotate(total=Count("pk"), done=Count("pk", filter=on_time))
    )
    return {row["unit_id"]: (row["done"], row["total"]) for row in counts}


def response_events(response) -> QuerySet[ResponseEvent]:
    return response.events.select_related("by")


def response_parts(*, user, response) -> QuerySet[SurveyResponse]:
    return response_list(user=user).filter(parent=response)


def file_list(*, user, filters=None) -> QuerySet[ResponseFile]:
    return visible_to(user, ResponseFile.objects.all())


HISTORY_READERS = {SurveyResponse: response_list, SurveyRound: round_list, SurveyForm: form_list}


# --- results -----------------------------------------------------------------------------------------


def counted_responses(*, user, survey_round) -> QuerySet[SurveyResponse]:
    """The responses a round's results add up for this user: filed (submitted, returned or approved,
    never a draft) and visible, a township's left out where its county's filed total already holds it
    (so nothing is counted twice; the parts stay readable on the county's response)."""
    filed = visible_to(user, SurveyResponse.objects.filter(round=survey_round, state__in=FILED_STATES))
    parent_counted = filed.filter(pk=OuterRef("parent_id"))
    return filed.exclude(Exists(parent_counted))


def _value_groups(*, user, survey_round) -> list[dict]:
    """One pass over the round's counted values: per key (and chosen option), the sum and the count."""
    values = SurveyValue.objects.filter(response__in=counted_responses(user=user, survey_round=survey_round))
    return list(values.values("key", "text").annotate(total=Sum("number"), n=Count("id")).order_by())


def totals(*, user, survey_round) -> dict[str, Decimal]:
    """{field key: sum} over the counted responses; a table's column as "table.column"."""
    rows = (
        SurveyValue.objects.filter(response__in=counted_responses(user=user, survey_round=survey_round))
        .exclude(number=None)
        .values("key")
        .annotate(total=Sum("number"))
        .order_by()
    )
    return {row["key"]: row["total"] for row in rows}


def aggregates(*, user, survey_round) -> list[dict]:
    """Per numeric field (and table column): label, unit, sum and how many values were given (a
    table's column: its rows); per choice field: the distribution of its options. In the form's
    order; one pass over the values table."""
    sums: dict[str, dict] = {}
    options: dict[str, dict] = defaultdict(dict)
    for row in _value_groups(user=user, survey_round=survey_round):
        if row["total"] is not None:
            sums[row["key"]] = {"total": row["total"], "answered": row["n"]}
        else:
            options[row["key"]][row["text"]] = row["n"]
    result = []
    for field in all_fields(survey_round.form.definition):
        columns = field.get("columns") if field["type"] == "table" else [field]
        for column in columns:
            key = f"{field['key']}.{column['key']}" if field["type"] == "table" else field["key"]
            label = f"{field['label']} · {column['label']}" if field["type"] == "table" else field["label"]
            entry = {"key": key, "label": label, "type": column["type"], "unit": column.get("unit", "")}
            if column["type"] in ("integer", "decimal", "percentage"):
                found = sums.get(key, {})
                entry.update(total=found.get("total") or Decimal(0), answered=found.get("answered", 0))
            elif column["type"] in ("choice", "multichoice"):
                labels = {c["value"]: c["label"] for c in column["choices"]}
                entry["distribution"] = [(labels[v], options[key].get(v, 0)) for v in labels]
            else:
                continue
            result.append(entry)
    return result


def totals_by_unit(*, user, survey_round, key: str) -> list[tuple[str, Decimal]]:
    """One field's total per counted response's unit (the chart), largest first."""
    rows = (
        SurveyValue.objects.filter(
            response__in=counted_responses(user=user, survey_round=survey_round), key=key
        )
        .exclude(number=None)
        .values("response__unit__short_name", "response__unit__name")
        .annotate(total=Sum("number"))
        .order_by("-total")
    )
    return [(r["response__unit__short_name"] or r["response__unit__name"], r["total"]) for r in rows]


def status_board(*, user, survey_round) -> dict:
    """How many responses are in each state, and how many are late (not filed by the deadline)."""
    responses = visible_to(user, SurveyResponse.objects.filter(round=survey_round))
    today = date.today()
    late_filed = Q(first_submitted_at__date__gt=survey_round.deadline)
    late_missing = Q(first_submitted_at=None) if today > survey_round.deadline else Q(pk__in=[])
    figures = responses.aggregate(
        total=Count("id"),
        draft=Count("id", filter=Q(state=ResponseState.DRAFT)),
        submitted=Count("id", filter=Q(state=ResponseState.SUBMITTED)),
        returned=Count("id", filter=Q(state=ResponseState.RETURNED)),
        approved=Count("id", filter=Q(state=ResponseState.APPROVED)),
        late=Count("id", filter=late_filed | late_missing),
    )
    figures["filed"] = figures["submitted"] + figures["approved"] + figures["returned"]
    return figures


# --- burden and pre-fill -----------------------------------------------------------------------------


def burden(unit_ids, *, extra_form: SurveyForm | None = None, today: date | None = None) -> dict[int, dict]:
    """The burden meter (表格负担) of each unit: over the distinct forms it was sent in the last year,
    forms × fields × frequency per year; with `extra_form`, what one more form would make it."""
    since = (today or date.today()) - timedelta(days=365)
    pairs = (
        SurveyResponse.objects.filter(unit_id__in=list(unit_ids), round__created_at__date__gte=since)
        .values_list("unit_id", "round__form_id")
        .distinct()
    )
    forms = {}
    per_unit: dict[int, set[int]] = defaultdict(set)
    for unit_id, form_id in pairs:
        per_unit[unit_id].add(form_id)
        forms[form_id] = None
    for form in SurveyForm.objects.filter(pk__in=list(forms)):
        forms[form.pk] = form.field_count * form.frequency_per_year
    result = {}
    for unit_id in unit_ids:
        held = per_unit.get(unit_id, set())
        load = sum(forms[f] for f in held)
        entry = {"forms": len(held), "fields_per_year": load}
        if extra_form is not None and extra_form.pk not in held:
            entry["after"] = load + extra_form.field_count * extra_form.frequency_per_year
            entry["forms_after"] = len(held) + 1
        result[unit_id] = entry
    return result


def units_for_round(*, kinds=(), unit_ids=(), below: Unit | None = None) -> QuerySet[Unit]:
    """The units a round is sent to: by kind, by list, or down the tree under a unit."""
    condition = Q(pk__in=[])
    if kinds:
        condition |= Q(kind__in=list(kinds))
    if unit_ids:
        condition |= Q(pk__in=list(unit_ids))
    if below is not None:
        condition |= Q(tree_path__startswith=below.tree_path) & ~Q(pk=below.pk)
    return Unit.objects.filter(condition, is_active=True).order_by("tree_path")


def previous_response(response) -> SurveyResponse | None:
    """The unit's filed response in the round before (the same form's code)."""
    survey_round = response.round
    earlier = SurveyResponse.objects.filter(
        unit_id=response.unit_id,
        round__form__code=survey_round.form.code,
        round__created_at__lt=survey_round.created_at,
        state__in=FILED_STATES,
    ).exclude(round=survey_round)
    return earlier.order_by("-round__created_at").first()
