"""Leaders' written instructions (批示) on a directive and the units' replies."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from duban.core.rules import require
from duban.core.services import model_create

from ..models import Comment, CommentKind, Directive, EventKind
from ..rules import may_instruct, may_reply
from .common import notify_about, record


@transaction.atomic
def comment_add(*, directive: Directive, by, text: str) -> Comment:
    """A leader's written instruction (批示) on a directive in their reach (or the office's note)."""
    require(may_instruct, by, directive)
    comment = model_create(Comment, directive=directive, kind=CommentKind.INSTRUCTION, text=text, author=by)
    record(directive, EventKind.COMMENT, by=by, note=text)
    units = [directive.lead_unit_id, *directive.co_units.values_list("pk", flat=True)]
    notify_about(directive, kind="comment", title=_("领导批示：%(title)s"), units=units, body=text, by=by)
    return comment


@transaction.atomic
def comment_reply(*, comment: Comment, by, text: str) -> Comment:
    """A unit answers a comment; any liaison who sees the directive (lead or co-unit) may answer."""
    directive = comment.directive
    require(may_reply, by, directive)
    reply = model_create(
        Comment, directive=directive, kind=CommentKind.REPLY, reply_to=comment, text=text, author=by
    )
    record(directive, EventKind.REPLY, by=by, note=text)
    title = _("单位回复：%(title)s")
    notify_about(directive, kind="comment", title=title, users=[comment.author], body=text, by=by)
    return reply
