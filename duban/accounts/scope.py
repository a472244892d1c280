"""The one place that answers "which objects may this user see, and which may they change".

Every model that holds business data declares a `data_scope = ScopeRule(...)` saying through which
fields it belongs to units and leaders; every selector, view and API endpoint goes through
`visible_to` and `can_change` here. Nothing else filters by hand.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import reduce
from operator import or_
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import Model, Q, QuerySet

from .roles import Role

if TYPE_CHECKING:
    from duban.organisation.models import Unit

    from .models import User

SELF = "self"
# Roles that read no business data whatever their unit (三员分立: the security administrator keeps
# accounts safe, docs/security.md).
NO_BUSINESS_DATA = frozenset({Role.SECURITY})


@dataclass(frozen=True)
class ScopeRule:
    """How a model's rows belong to units and leaders.

    units:        single-valued paths to a Unit whose members (and the units above them in their
                  own subtree) may read the row, e.g. ("lead_unit",). SELF means the row is a unit.
    shared_units: multi-valued paths (co-operating units); read access without duplicates.
    owner:        the path to the unit whose liaisons may change the row ("" = only the office).
    leaders:      paths to a Leader who may read the row whatever the unit.
    themes:       paths to a Theme whose leaders (分管工作) may read the row whatever the unit.
    programme:    the programme the rows belong to (a key of settings.DUBAN_PROGRAMME_THEMES, e.g.
                  "bonds"): the leaders in charge of that programme's theme read every row.
    public:       every signed-in user may read every row (directories such as themes, leaders).
    leaders_see_all: every city leader reads every row (city-wide honours such as the incentives).
    finance_sees_all / finance_changes: the finance reviewers' reach over programme data.
    """

    units: tuple[str, ...] = ()
    shared_units: tuple[str, ...] = ()
    owner: str = ""
    leaders: tuple[str, ...] = ()
    themes: tuple[str, ...] = ()
    programme: str = ""
    public: bool = False
    leaders_see_all: bool = False
    finance_sees_all: bool = False
    finance_changes: bool = False


def _rule(model: type[Model]) -> ScopeRule:
    try:
        return model.data_scope
    except AttributeError:
        # Fail closed: a model that forgot to declare its scope is visible to the office only.
        return ScopeRule()


def _is_active(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def user_unit_ids(user: User) -> list[int]:
    """The ids of user_units, read once per user object (one request).

    A plain list, not a subquery: PostgreSQL then uses the index on each unit column instead of
    planning OR-ed subqueries, which kept liaison and leader boards slow at province scale.
    """
    cached = getattr(user, "_scope_unit_ids", None)
    if cached is None:
        cached = list(user_units(user).values_list("pk", flat=True))
        user._scope_unit_ids = cached
    return cached


def leader_themes(user: User) -> dict[int, str]:
    """The themes a leader is in charge of ({id: code}), read once per user object (one request)."""
    cached = getattr(user, "_scope_themes", None)
    if cached is None:
        leader = getattr(user, "leader", None) if user.role == Role.LEADER else None
        cached = dict(leader.themes.values_list("pk", "code")) if leader is not None else {}
        user._scope_themes = cached
    return cached


def programme_theme(programme: str) -> str:
    """The code of the theme a programme belongs to (settings.DUBAN_PROGRAMME_THEMES), or ""."""
    return getattr(settings, "DUBAN_PROGRAMME_THEMES", {}).get(programme, "")


def _leader_conditions(user: User, rule: ScopeRule) -> list[Q] | None:
    """A leader's reach beyond his units: the rows naming him, and those of the themes he is in
    charge of. None means every row (he is in charge of the rows' programme)."""
    leader = getattr(user, "leader", None) if user.role == Role.LEADER else None
    if leader is None:
        return []
    themes = leader_themes(user)
    if rule.programme and programme_theme(rule.programme) in themes.values():
        return None
    conditions = [Q(**{path: leader}) for path in rule.leaders]
    if themes:
        conditions.extend(Q(**{f"{path}__in": list(themes)}) for path in rule.themes)
    return conditions


def user_units(user: User) -> QuerySet[Unit]:
    """The units whose work the user reaches: their unit's subtree, or a leader's portfolio."""
    from duban.organisation.models import Unit

    paths: list[str] = []
    if user.role == Role.LEADER:
        leader = getattr(user, "leader", None)
        if leader is not None:
            paths = list(leader.units.values_list("tree_path", flat=True))
    elif user.unit_id:
        paths = [user.unit.tree_path]
    if not paths:
        return Unit.objects.none()
    return Unit.objects.filter(reduce(or_, (Q(tree_path__startswith=p) for p in paths)))


def _unit_key(path: str) -> str:
    return "pk__in" if path == SELF else f"{path}__in"


def _shared_condition(model: type[Model], path: str, units: list[int]) -> Q:
    """The rows reached through a co-operating unit, each once whatever the number of its matching units.

    A path ending in a many-to-many field (`co_units`, `directive__co_units`) is read from the link
    table alone, `id = ANY(ARRAY(SELECT directive_id FROM …_co_units WHERE unit_id IN …))`
    (`core/lookups.py`: looked up by index, so that the scope's OR becomes one BitmapOr on PostgreSQL),
    instead of joining the rows' own table to the link table in a subquery on every query. A path
    through single-valued links only cannot repeat a row and is a plain condition; any other path
    keeps the general subquery on the model's ids."""
    *prefix, last = path.split("__")
    owner = model
    for name in prefix:
        field = owner._meta.get_field(name)
        if not (field.many_to_one or field.one_to_one):
            return Q(pk__in=model._base_manager.filter(**{f"{path}__in": units}).values("pk"))
        owner = field.related_model
    field = owner._meta.get_field(last)
    if field.many_to_one or field.one_to_one:
        return Q(**{f"{path}__in": units})
    if field.many_to_many and field.concrete:
        links = field.remote_field.through._base_manager.filter(
            **{f"{field.m2m_reverse_field_name()}__in": units}
        )
        target = "__".join([*prefix, "pk"])
        return Q(**{f"{target}__any_of": links.values(field.m2m_field_name())})
    return Q(pk__in=model._base_manager.filter(**{f"{path}__in": units}).values("pk"))


def visible_to(user: User, queryset: QuerySet) -> QuerySet:
    """Narrow a queryset to the rows the user may read."""
    if not _is_active(user) or user.role in NO_BUSINESS_DATA:
        return queryset.none()
    rule = _rule(queryset.model)
    if user.sees_everything or rule.public:
        return queryset
    if user.role == Role.FINANCE and rule.finance_sees_all:
        return queryset
    if user.role == Role.LEADER and rule.leaders_see_all:
        return queryset
    units = user_unit_ids(user)
    conditions = [Q(**{_unit_key(path): units}) for path in rule.units] if units else []
    conditions.extend(_shared_condition(queryset.model, path, units) for path in rule.shared_units if units)
    reach = _leader_conditions(user, rule)
    if reach is None:
        return queryset
    conditions.extend(reach)
    if not conditions:
        return queryset.none()
    return queryset.filter(reduce(or_, conditions))


def can_see(user: User, obj: Model) -> bool:
    return visible_to(user, type(obj)._default_manager.filter(pk=obj.pk)).exists()


def _follow(obj: Model, path: str):
    for part in path.split("__"):
        obj = getattr(obj, part, None)
        if obj is None:
            return None
    return obj


def can_change(user: User, obj: Model) -> bool:
    """May the user change (or delete) this object?"""
    if not _is_active(user):
        return False
    if user.sees_everything:
        return True
    rule = _rule(type(obj))
    if user.role == Role.FINANCE and rule.finance_changes:
        return True
    if user.role not in (Role.LIAISON, Role.FINANCE) or not rule.owner or not user.unit_id:
        return False
    owner_unit = obj if rule.owner == SELF else _follow(obj, rule.owner)
    return owner_unit is not None and owner_unit.tree_path.startswith(user.unit.tree_path)


def can_create(user: User, model: type[Model], *, unit: Unit | None = None) -> bool:
    """May the user create a row of this model (for this unit, where the row belongs to one)?"""
    if not _is_active(user):
        return False
    if user.sees_everything:
        return True
    rule = _rule(model)
    if user.role == Role.FINANCE and rule.finance_changes:
        return True
    if user.role not in (Role.LIAISON, Role.FINANCE) or not rule.owner or not user.unit_id:
        return False
    return unit is not None and unit.tree_path.startswith(user.unit.tree_path)


def require_change(user: User, obj: Model) -> None:
    """Raise PermissionDenied unless the user may change the object (for services)."""
    if not can_change(user, obj):
        raise PermissionDenied


def is_office(user: User) -> bool:
    return _is_active(user) and user.sees_everything
