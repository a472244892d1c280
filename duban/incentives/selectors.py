"""Reading the incentives: the catalogue, the campaigns in the user's scope, a campaign's timeline
counted back on the working calendar, its live criteria (read from the programmes' own selectors), and
the yearly summary of incentives won."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.db.models import Count, Prefetch, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from duban.accounts.scope import visible_to
from duban.bonds import selectors as bond_selectors
from duban.core.filters import filtered
from duban.directives import selectors as directive_selectors
from duban.ppp import selectors as ppp_selectors
from duban.workcalendar.selectors import add_working_days

from .filters import CampaignFilterSet, MeasureFilterSet
from .models import (
    DECIDED,
    Campaign,
    CampaignEvent,
    CampaignState,
    Criterion,
    Evidence,
    EvidenceFile,
    LiveSource,
    Measure,
    MeasureList,
)

# The internal deadlines, in working days before the ministry's deadline for proposals.
INTERNAL_STEPS = (
    (gettext_lazy("牵头单位完成申报材料初稿"), 15),
    (gettext_lazy("分管领导审定申报材料"), 8),
    (gettext_lazy("督查室审核后报送"), 3),
)
# The directive carrying a campaign is due at the last internal deadline.
DIRECTIVE_LEAD_DAYS = INTERNAL_STEPS[-1][1]


def measure_list(*, user, filters=None) -> QuerySet[Measure]:
    measures = visible_to(user, Measure.objects.select_related("measure_list"))
    return filtered(MeasureFilterSet, measures, filters, user=user).order_by(
        "-measure_list__issued_on", "measure_list__code", "number"
    )


def catalogue_lists(*, user) -> QuerySet[MeasureList]:
    return visible_to(user, MeasureList.objects.annotate(shipped=Count("measures")))


def campaign_list(*, user, filters=None) -> QuerySet[Campaign]:
    campaigns = visible_to(
        user,
        Campaign.objects.select_related(
            "measure", "measure__measure_list", "lead_unit", "county", "leader", "directive"
        ),
    )
    return filtered(CampaignFilterSet, campaigns, filters, user=user)


def campaign_list_with_criteria(*, user, filters=None) -> QuerySet[Campaign]:
    """The campaigns with their criteria in one more query (the API's list)."""
    return campaign_list(user=user, filters=filters).prefetch_related(
        Prefetch("criteria", queryset=Criterion.objects.order_by("order", "id"))
    )


def criterion_list(*, user) -> QuerySet[Criterion]:
    return visible_to(user, Criterion.objects.select_related("campaign"))


def evidence_list(*, user) -> QuerySet[Evidence]:
    return visible_to(user, Evidence.objects.select_related("campaign"))


def evidence_file_list(*, user) -> QuerySet[EvidenceFile]:
    return visible_to(user, EvidenceFile.objects.select_related("evidence", "evidence__campaign"))


def event_list(*, user) -> QuerySet[CampaignEvent]:
    return visible_to(user, CampaignEvent.objects.select_related("campaign", "by"))


def campaign_evidence(campaign: Campaign) -> list[Evidence]:
    """The campaign's evidence, each with its versions (latest first) as `versions`."""
    items = list(
        campaign.evidence.select_related("criterion").prefetch_related(
            Prefetch("files", queryset=EvidenceFile.objects.order_by("-version"), to_attr="versions")
        )
    )
    return items


@dataclass(frozen=True)
class Deadline:
    label: str
    due_on: date
    kind: str  # "ministry", "internal", "period", "done"


def timeline(campaign: Campaign) -> list[Deadline]:
    """The evaluation period, the internal deadlines counted back on the working calendar from the
    ministry's deadline, the submission and the announcement, in date order."""
    rows = [
        Deadline(_("评价期开始"), campaign.period_start, "period"),
        Deadline(_("评价期结束"), campaign.period_end, "period"),
        Deadline(_("部委推荐截止"), campaign.submission_due, "ministry"),
    ]
    rows += [
        Deadline(str(label), add_working_days(campaign.submission_due, -days), "internal")
        for label, days in INTERNAL_STEPS
    ]
    if campaign.submitted_on:
        rows.append(Deadline(_("已报送"), campaign.submitted_on, "done"))
    if campaign.announced_on:
        rows.append(Deadline(_("国务院办公厅通报"), campaign.announced_on, "done"))
    return sorted(rows, key=lambda row: row.due_on)


def directive_deadline(submission_due: date) -> date:
    return add_working_days(submission_due, -DIRECTIVE_LEAD_DAYS)


# --- live criteria ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class LiveValue:
    source: str
    label: str
    value: Decimal | None
    read_at: datetime
    figures_url: str
    detail: str


def _ratio(part, whole) -> Decimal | None:
    return Decimal(part) / Decimal(whole) if whole else None


def _bond(user, key: str) -> tuple[Decimal | None, str]:
    totals = bond_selectors.programme_totals(user=user)
    if key == "issuance_progress":
        detail = _("已发行 %(a)s 万元 ÷ 额度 %(b)s 万元") % {"a": totals["issued"], "b": totals["quota"]}
    else:
        detail = _("已支出 %(a)s 万元 ÷ 已发行 %(b)s 万元") % {"a": totals["spent"], "b": totals["issued"]}
    return totals[key], detail


def _ppp_good_rate(user) -> tuple[Decimal | None, str]:
    # The reviews' rating values ("good" is 履约良好), read through the PPP app's own list.
    rated = ppp_selectors.review_list(user=user).exclude(rating="")
    counts = rated.aggregate(all=Count("pk"), good=Count("pk", filter=Q(rating="good")))
    detail = _("履约良好 %(g)s 个 ÷ 已评定 %(n)s 个") % {"g": counts["good"], "n": counts["all"]}
    return _ratio(counts["good"], counts["all"]), detail


def _directive_closure(user) -> tuple[Decimal | None, str]:
    counts = (
        directive_selectors.directive_list(user=user, light=False)
        .exclude(state__in=("draft", "cancelled"))
        .aggregate(all=Count("pk"), closed=Count("pk", filter=Q(state="closed")))
    )
    detail = _("已办结 %(c)s 项 ÷ 已交办 %(n)s 项") % {"c": counts["closed"], "n": counts["all"]}
    return _ratio(counts["closed"], counts["all"]), detail


LIVE_READERS = {
    LiveSource.BOND_ISSUANCE: (lambda user: _bond(user, "issuance_progress"), "bonds:overview"),
    LiveSource.BOND_SPENDING: (lambda user: _bond(user, "spending_progress"), "bonds:overview"),
    LiveSource.PPP_GOOD_RATE: (_ppp_good_rate, "ppp:campaign_list"),
    LiveSource.DIRECTIVE_CLOSURE: (_directive_closure, "directives:board"),
}


def live_value(source: str, *, user) -> LiveValue | None:
    """The current value of a live source as the user reads the programme (its own selector), with the
    moment it was read and the page of its figures; None for a criterion entered by hand."""
    if source not in LIVE_READERS:
        return None
    read, url_name = LIVE_READERS[source]
    value, detail = read(user)
    return LiveValue(
        source=source,
        label=str(LiveSource(source).label),
        value=value,
        read_at=timezone.now(),
        figures_url=reverse(url_name),
        detail=detail,
    )


def live_values(criteria, *, user) -> dict[int, LiveValue]:
    """{criterion id: its live value}, each source read once."""
    cache: dict[str, LiveValue | None] = {}
    found = {}
    for criterion in criteria:
        if not criterion.live_source:
            continue
        if criterion.live_source not in cache:
            cache[criterion.live_source] = live_value(criterion.live_source, user=user)
        if cache[criterion.live_source] is not None:
            found[criterion.pk] = cache[criterion.live_source]
    return found


# --- the yearly summary ------------------------------------------------------------------------------


def won_list(*, user) -> QuerySet[Campaign]:
    return campaign_list(user=user).filter(state=CampaignState.COMMENDED)


def yearly_summary(*, user) -> dict:
    """Incentives won per year, per lead unit and per county (the city itself where none), with the
    rewards in 万元, and the decided campaigns per year for the chart."""
    decided = campaign_list(user=user).filter(state__in=DECIDED).order_by()
    by_year: dict[int, dict] = {}
    for row in decided.values("year").annotate(
        decided=Count("pk"), won=Count("pk", filter=Q(state=CampaignState.COMMENDED))
    ):
        by_year[row["year"]] = {
            "year": row["year"],
            "decided": row["decided"],
            "won": row["won"],
            "amount": Decimal(0),
        }
    rows = []
    for campaign in won_list(user=user).order_by("-year", "lead_unit__sort_order", "id"):
        by_year[campaign.year]["amount"] += campaign.total_amount
        rows.append(campaign)
    per_unit: dict[tuple[int, str], int] = {}
    per_county: dict[tuple[int, str], int] = {}
    for campaign in rows:
        unit = campaign.lead_unit.short_name or campaign.lead_unit.name
        county = (campaign.county.short_name or campaign.county.name) if campaign.county else _("市本级")
        per_unit[(campaign.year, unit)] = per_unit.get((campaign.year, unit), 0) + 1
        per_county[(campaign.year, county)] = per_county.get((campaign.year, county), 0) + 1
    years = sorted(by_year.values(), key=lambda r: r["year"])
    return {
        "years": years,
        "won": rows,
        "per_unit": [{"year": y, "name": n, "count": c} for (y, n), c in sorted(per_unit.items())],
        "per_county": [{"year": y, "name": n, "count": c} for (y, n), c in sorted(per_county.items())],
        "chart": {
            "years": [str(r["year"]) for r in years],
            "won": [r["won"] for r in years],
            "not_won": [r["decided"] - r["won"] for r in years],
        },
    }


def campaign_for(*, measure: Measure, year: int, county=None) -> Campaign | None:
    return Campaign.objects.filter(measure=measure, year=year, county=county).first()


# The history page (`audit:object_history`) reads these models through the selectors of their own pages.
HISTORY_READERS = {
    Measure: measure_list,
    Campaign: campaign_list,
    Criterion: criterion_list,
    Evidence: evidence_list,
    EvidenceFile: evidence_file_list,
}
