"""What every directives service shares: the timeline entry, the notice to the people concerned, and
relighting the directive it just changed."""

from __future__ import annotations

from collections.abc import Iterable

from django.urls import reverse

from duban.accounts.models import User
from duban.accounts.selectors import unit_liaisons
from duban.core.concurrency import lock_for_update
from duban.notifications.services import notify

from ..models import Directive, TimelineEvent


def notify_users(
    *, recipients: Iterable[User | None], kind: str, title: str, body: str = "", url: str = "", sender=None
) -> int:
    """Through the notifications app (its inbox rows share our transaction; it sends email on commit)."""
    recipients = [u for u in recipients if u is not None]
    if not recipients:
        return 0
    return notify(recipients=recipients, kind=kind, title=title, body=body, url=url, sender=sender)


def notify_units(unit_ids: Iterable[int], **message) -> int:
    """Tell the liaisons of these units."""
    return notify_users(recipients=unit_liaisons(unit_ids), **message)


def notify_about(
    directive: Directive,
    *,
    kind: str,
    title: str,
    units: Iterable[int] = (),
    users: Iterable[User | None] = (),
    body: str = "",
    by=None,
) -> int:
    """Tell the liaisons of `units` (and `users`) about this directive: `title` takes the directive's
    title as %(title)s, the link goes to the directive's page."""
    return notify_users(
        recipients=[*unit_liaisons(units), *users],
        kind=kind,
        title=title % {"title": directive.title},
        body=body,
        url=directive_url(directive),
        sender=by,
    )


def directive_url(directive: Directive) -> str:
    return reverse("directives:detail", args=[directive.pk])


def leader_user(directive: Directive) -> User | None:
    leader = directive.responsible_leader
    return leader.user if leader is not None and leader.user_id else None


def record(directive: Directive, kind: str, *, by, note: str = "", from_state: str = "", to_state: str = ""):
    """An entry on the directive's timeline (call in the transaction of the change it records)."""
    return TimelineEvent.objects.create(
        directive=directive, kind=kind, actor=by, note=note, from_state=from_state, to_state=to_state
    )


def locked(directive: Directive, expected_version: int | None = None) -> Directive:
    """The directive's row as stored now, locked; EditConflict if it moved on since expected_version."""
    if expected_version is None:
        return Directive.objects.select_for_update().get(pk=directive.pk)
    return lock_for_update(directive, expected_version=expected_version, submitted={"state": directive.state})


def relight(directive: Directive) -> Directive:
    """Recompute this directive's light (after a change of state, deadline or milestones)."""
    from .lights import recompute_lights

    recompute_lights(Directive.objects.filter(pk=directive.pk))
    directive.refresh_from_db(fields=["light", "stale"])
    return directive
