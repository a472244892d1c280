"""The one filter of directive lists: the board, my work, the Excel export, the API's list and its
counts per light all read the same query parameters through `DirectiveFilterSet`."""

from __future__ import annotations

from datetime import date

import django_filters
from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from duban.accounts.scope import is_office, visible_to
from duban.core.filters import ConditionFilter, FilterSet
from duban.core.widgets import DateInput
from duban.organisation.models import Leader, Theme, Unit

from .models import (
    ACTIVE_STATES,
    Directive,
    Escalation,
    EscalationState,
    EscalationStep,
    Light,
    Meeting,
    Milestone,
    Reminder,
    ReplyState,
    State,
    SupervisionNotice,
)

# The cockpit's conditions (its cards count them; the board's filters below apply the same ones).
DUE_WITHIN_MAX = 60


def overdue_q(today: date) -> Q:
    """Being worked on and past its deadline."""
    return Q(state__in=ACTIVE_STATES, deadline__lt=today)


def given_q() -> Q:
    """Given to a unit: neither a draft nor cancelled (what the assessment's directive rates count)."""
    return ~Q(state__in=(State.DRAFT, State.CANCELLED))


def due_within_q(today: date, days: int) -> Q:
    """Being worked on and due from today to `days` working days from now."""
    from duban.workcalendar.selectors import add_working_days

    return Q(state__in=ACTIVE_STATES, deadline__gte=today, deadline__lte=add_working_days(today, days))


def awaiting_q(user) -> Q | None:
    """What waits for this user's decision: the office decides requests to extend and to close; a unit's
    head the requests to close his unit sends him (单位领导审核). None: nothing ever waits for him."""
    if is_office(user):
        return Q(state__in=ACTIVE_STATES) & (
            Q(state=State.COMPLETION_REQUESTED) | Q(extension_until__isnull=False)
        )
    if getattr(user, "is_unit_head", False) and user.unit_id:
        return Q(state=State.HEAD_REVIEW, lead_unit_id=user.unit_id)
    return None


class AwaitingFilter(django_filters.ChoiceFilter):
    """?awaiting=me: what waits for the user's decision (`awaiting_q`)."""

    def __init__(self, **kwargs):
        super().__init__(choices=[("me", _("待我决定"))], label=_("待决定"), empty_label=_("全部"), **kwargs)

    def filter(self, queryset, value):
        if value != "me":
            return queryset
        condition = awaiting_q(self.parent.user) if self.parent.user is not None else None
        return queryset.filter(condition) if condition is not None else queryset.none()


class DirectiveFilterSet(FilterSet):
    q = django_filters.CharFilter(method="search", label=_("关键词"))
    state = django_filters.ChoiceFilter(label=_("状态"), choices=State.choices, empty_label=_("全部状态"))
    light = django_filters.ChoiceFilter(label=_("亮灯"), choices=Light.choices, empty_label=_("全部亮灯"))
    stale = django_filters.BooleanFilter(label=_("久未报送进展"))
    leader = django_filters.ModelChoiceFilter(
        label=_("责任领导"),
        field_name="responsible_leader",
        queryset=Leader.objects.filter(is_active=True),
        empty_label=_("全部领导"),
    )
    unit = django_filters.ModelChoiceFilter(
        label=_("单位"),
        method="of_unit",
        queryset=Unit.objects.filter(is_active=True),
        empty_label=_("全部单位"),
    )
    theme = django_filters.ModelChoiceFilter(
        label=_("工作主题"), queryset=Theme.objects.filter(is_active=True), empty_label=_("全部主题")
    )
    meeting = django_filters.ModelChoiceFilter(
        label=_("会议"), queryset=Meeting.objects.all(), empty_label=_("全部会议")
    )
    due_after = django_filters.DateFilter(
        label=_("时限起"), field_name="deadline", lookup_expr="gte", widget=DateInput()
    )
    due_before = django_filters.DateFilter(
        label=_("时限止"), field_name="deadline", lookup_expr="lte", widget=DateInput()
    )
    overdue = django_filters.BooleanFilter(label=_("已逾期"), method="filter_overdue")
    due_within = django_filters.NumberFilter(
        label=_("几个工作日内到期"), method="filter_due_within", min_value=0, max_value=DUE_WITHIN_MAX
    )
    awaiting = AwaitingFilter()
    # The cockpit's closure rates: a lead unit's directives closed since a day, and those closed in time.
    lead_unit = django_filters.ModelChoiceFilter(
        label=_("牵头单位"),
        queryset=Unit.objects.all(),  # a unit since merged away still has its closed work counted
        empty_label=_("全部牵头单位"),
    )
    closed_since = django_filters.DateFilter(
        label=_("办结日期起"), field_name="closed_at", lookup_expr="date__gte", widget=DateInput()
    )
    on_time = django_filters.BooleanFilter(label=_("按期办结"), method="closed_on_time")
    # The assessment's records: with `lead_unit` and the deadlines, the directives a unit's rates count.
    given = ConditionFilter(label=_("已交办（不含草稿和已撤销）"), condition=given_q)
    # The milestone punctuality's records: the directives with a milestone due between the two days.
    milestone_due_after = django_filters.DateFilter(
        label=_("节点时限起"), method="with_milestone_due", widget=DateInput()
    )
    milestone_due_before = django_filters.DateFilter(
        label=_("节点时限止"), method="with_milestone_due", widget=DateInput()
    )

    class Meta:
        model = Directive
        fields = [
            "q",
            "state",
            "light",
            "stale",
            "leader",
            "unit",
            "theme",
            "meeting",
            "due_after",
            "due_before",
            "overdue",
            "due_within",
            "awaiting",
            "lead_unit",
            "closed_since",
            "on_time",
            "given",
            "milestone_due_after",
            "milestone_due_before",
        ]

    def narrow_choices(self, user) -> None:
        if user is not None:
            self.filters["meeting"].queryset = visible_to(user, Meeting.objects.all())

    @property
    def form(self):
        form = super().form
        for field in form.fields.values():
            field.widget.attrs.setdefault("aria-label", field.label)
        return form

    def search(self, queryset, name, value):
        """Words in the title or content, or the directive's 编号 (as the bulletin lists it: 123 or #123)."""
        if query := (value or "").strip():
            found = Q(title__icontains=query) | Q(content__icontains=query)
            number = query.lstrip("#＃")
            if number.isascii() and number.isdigit() and len(number) <= 18:
                found |= Q(pk=int(number))
            return queryset.filter(found)
        return queryset

    def of_unit(self, queryset, name, value: int):  # `value: int`: the unit's id in the API schema
        """A unit's work: as lead unit or as co-operating unit (subquery: no duplicate rows; `any_of`:
        both branches by index, `core/lookups.py`)."""
        unit = value
        if unit is None:
            return queryset
        co_operating = Directive.co_units.through.objects.filter(unit_id=unit.pk).values("directive_id")
        return queryset.filter(Q(lead_unit_id=unit.pk) | Q(pk__any_of=co_operating))

    def filter_overdue(self, queryset, name, value):
        if value is None:
            return queryset
        late = overdue_q(timezone.localdate())
        return queryset.filter(late) if value else queryset.exclude(late)

    def filter_due_within(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(due_within_q(timezone.localdate(), int(value)))

    def closed_on_time(self, queryset, name, value):
        """Closed by the deadline (yes) or after it (no); the state and the other filters are left alone."""
        if value is None:
            return queryset
        in_time = Q(state=State.CLOSED, closed_at__date__lte=F("deadline"))
        return queryset.filter(in_time) if value else queryset.filter(state=State.CLOSED).exclude(in_time)

    def with_milestone_due(self, queryset, name, value):
        """Directives with one milestone due within both days given (one subquery for the two filters:
        chained joins would let one milestone meet the first day and another the second)."""
        days = self.form.cleaned_data
        if name == "milestone_due_before" and days.get("milestone_due_after"):
            return queryset  # applied with the first day
        due = {}
        if days.get("milestone_due_after"):
            due["due_on__gte"] = days["milestone_due_after"]
        if days.get("milestone_due_before"):
            due["due_on__lte"] = days["milestone_due_before"]
        return queryset.filter(Exists(Milestone.objects.filter(directive=OuterRef("pk"), **due)))

    @property
    def light_chosen(self) -> str:
        """The light asked for, if valid ("" otherwise)."""
        return (self.is_valid() and self.form.cleaned_data.get("light")) or ""

    def apply(self, queryset: QuerySet[Directive], *, light: bool = True) -> QuerySet[Directive]:
        """The queryset narrowed by the valid filters (an invalid one is left out); without the light
        filter when `light` is False (the counts per light)."""
        if not self.is_bound:
            return queryset
        self.is_valid()  # validated once, whoever asks
        for name, value in self.form.cleaned_data.items():
            if light or name != "light":
                queryset = self.filters[name].filter(queryset, value)
        return queryset


class ReplyStateFilter(django_filters.ChoiceFilter):
    """待回复 / 已回复 / 逾期未回复: on the `replied` the list's selector annotates, and the reply date
    against today."""

    def __init__(self, **kwargs):
        super().__init__(
            choices=ReplyState.choices, label=_("回复状态"), empty_label=_("全部回复状态"), **kwargs
        )

    def filter(self, queryset, value):
        from django.utils import timezone

        if not value:
            return queryset
        if value == ReplyState.REPLIED:
            return queryset.filter(replied=True)
        today = timezone.localdate()
        waiting = queryset.filter(replied=False)
        if value == ReplyState.OVERDUE:
            return waiting.filter(reply_by__lt=today)
        return waiting.filter(Q(reply_by__gte=today) | Q(reply_by__isnull=True))


class _AddressedUnitFilterSet(FilterSet):
    """The one filter of a list of what the office sent units: the reply state, the unit and the reply
    date (the assessment's reply rate counts what was to be answered by a day of its period)."""

    reply_state = ReplyStateFilter()
    unit = django_filters.ModelChoiceFilter(
        label=_("主送单位"), queryset=Unit.objects.filter(is_active=True), empty_label=_("全部单位")
    )
    reply_by_after = django_filters.DateFilter(
        label=_("回复时限起"), field_name="reply_by", lookup_expr="gte", widget=DateInput()
    )
    reply_by_before = django_filters.DateFilter(
        label=_("回复时限止"), field_name="reply_by", lookup_expr="lte", widget=DateInput()
    )


class NoticeFilterSet(_AddressedUnitFilterSet):
    year = django_filters.NumberFilter(label=_("年度"), min_value=2000, max_value=2100)

    class Meta:
        model = SupervisionNotice
        fields = ["year", "reply_state", "unit", "reply_by_after", "reply_by_before"]


class ReminderFilterSet(_AddressedUnitFilterSet):
    class Meta:
        model = Reminder
        fields = ["reply_state", "unit", "reply_by_after", "reply_by_before"]


class EscalationFilterSet(FilterSet):
    """The escalation ladder's rungs: by state (the proposals are 待签发), step, lead unit, directive."""

    state = django_filters.ChoiceFilter(
        label=_("状态"), choices=EscalationState.choices, empty_label=_("全部状态")
    )
    step = django_filters.ModelChoiceFilter(
        label=_("督办层级"), queryset=EscalationStep.objects.all(), empty_label=_("全部层级")
    )
    unit = django_filters.ModelChoiceFilter(
        label=_("牵头单位"),
        field_name="directive__lead_unit",
        queryset=Unit.objects.filter(is_active=True),
        empty_label=_("全部单位"),
    )
    directive = django_filters.NumberFilter(
        label=_("督办事项"), field_name="directive", min_value=1, max_value=2**63 - 1
    )

    class Meta:
        model = Escalation
        fields = ["state", "step", "unit", "directive"]
