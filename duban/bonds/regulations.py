"""The programme's dated finance regulations: the parameters and the code table valid on a date, and the
checks a project must pass before it is submitted (investment area on the positive list, later not on
the negative list; the cap on bonds used as capital). Who may do what is in rules.py."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import BondProject, BondRule, InvestmentArea, ListKind


def province() -> str:
    # The province whose rules apply; settings may name it, otherwise only national rows match.
    return getattr(settings, "DUBAN_PROVINCE", "")


def rule_for(*, category: str, on: date | None = None) -> BondRule:
    """The most specific rule valid on the date; an unsaved row of defaults when none is configured."""
    on = on or timezone.localdate()
    here = province()
    candidates = BondRule.objects.valid_on(on).filter(province__in={"", here}, category__in={"", category})
    best = None
    for rule in candidates:
        key = (rule.province != "", rule.category != "", rule.valid_from)
        if best is None or key > best[0]:
            best = (key, rule)
    return best[1] if best else BondRule(valid_from=on, category=category)


def reference_date(project: BondProject) -> date:
    """The date the rules are read at: the current batch's opening, else today."""
    return project.batch.opens_on if project.batch_id else timezone.localdate()


def positive_areas(*, on: date | None = None):
    return InvestmentArea.objects.valid_on(on or timezone.localdate()).filter(list_kind=ListKind.POSITIVE)


def negative_areas(*, on: date | None = None):
    return InvestmentArea.objects.valid_on(on or timezone.localdate()).filter(list_kind=ListKind.NEGATIVE)


@dataclass(frozen=True)
class Problem:
    field: str
    message: str


def project_problems(project: BondProject, *, on: date | None = None) -> list[Problem]:
    """What stops the project from being submitted under the rules valid on the date."""
    on = on or reference_date(project)
    rule = rule_for(category=project.category, on=on)
    problems: list[Problem] = []
    area = project.investment_area
    if rule.list_kind == ListKind.POSITIVE:
        if area is None:
            problems.append(Problem("investment_area", _("请选择投向领域（正面清单）。")))
        elif area.list_kind != ListKind.POSITIVE or not area.valid_on(on):
            problems.append(
                Problem(
                    "investment_area",
                    _("投向领域“%(area)s”在 %(date)s 不属于正面清单。") % {"area": area, "date": on},
                )
            )
    elif not project.not_on_negative_list:
        names = "、".join(a.name for a in negative_areas(on=on)) or _("（未配置）")
        problems.append(
            Problem(
                "not_on_negative_list",
                _("请核对并确认项目不属于负面清单：%(names)s。") % {"names": names},
            )
        )
    if project.capital_from_bonds > 0:
        cap = rule.capital_bond_cap * project.bond_demand
        if project.capital_from_bonds > cap:
            problems.append(
                Problem(
                    "capital_from_bonds",
                    _(
                        "用作资本金的专项债券 %(used)s 万元超过上限 %(cap)s 万元（专项债券需求的 %(ratio)s%%）。"
                    )
                    % {
                        "used": project.capital_from_bonds,
                        "cap": cap.quantize(Decimal("0.01")),
                        "ratio": (rule.capital_bond_cap * 100).normalize(),
                    },
                )
            )
        if area is not None and not area.capital_use_allowed:
            problems.append(
                Problem(
                    "capital_from_bonds",
                    _("投向领域“%(area)s”不在专项债券可用作资本金的范围内。") % {"area": area},
                )
            )
    return problems
