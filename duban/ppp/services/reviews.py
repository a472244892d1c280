"""The contract-performance review (履约审查): a campaign takes in every signed contract with the §2.4
checklist; each review is checked, its findings recorded, rated and closed (`workflow.CAMPAIGNS`,
`workflow.REVIEWS`). The rectification the findings call for is in `rectification.py`."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from duban.core.errors import Invalid, TransitionRefused
from duban.core.rules import require

from .. import rules, selectors
from ..checklist import CHECKLIST
from ..models import ChecklistItem, ContractReview, Finding, ReviewCampaign
from ..workflow import CAMPAIGNS, REVIEWS
from .classification import project_reclassify
from .common import invalid, locked, project_event, saved, today


def campaign_create(*, by, **fields) -> ReviewCampaign:
    require(rules.is_manager, by)
    return saved(ReviewCampaign(created_by=by, **fields))


@transaction.atomic
def campaign_start(*, campaign: ReviewCampaign, by) -> int:
    """Open a review with the §2.4 checklist for every signed contract; returns the number of reviews."""
    current = locked(campaign)
    CAMPAIGNS.check(by, current, "start")
    count = 0
    for project in selectors.signed_projects():
        review = ContractReview.objects.create(campaign=current, project=project)
        ChecklistItem.objects.bulk_create(
            ChecklistItem(review=review, code=code, section=section, text=str(text))
            for code, section, text in CHECKLIST
        )
        text = _("纳入履约审查：%(name)s") % {"name": current.name}
        project_event(project, by=by, kind="review", text=text)
        count += 1
    current.started_on = today()
    CAMPAIGNS.move(current, "start", by=by)
    return count


@transaction.atomic
def campaign_close(*, campaign: ReviewCampaign, by) -> ReviewCampaign:
    """End a campaign whose reviews are all closed."""
    current = locked(campaign)
    CAMPAIGNS.check(by, current, "close")
    current.closed_on = today()
    return CAMPAIGNS.move(current, "close", by=by)


def require_under_review(review: ContractReview, by) -> None:
    """Who first (403), then whether the review is still open to checking (409)."""
    require(rules.is_manager, by, review)
    if not rules.is_under_review(review):
        raise TransitionRefused(_("该审查未在进行中或已办结。"))


@transaction.atomic
def review_check(*, review: ContractReview, by, results: dict[int, tuple[str, str]]) -> ContractReview:
    """Record checklist results: {item id: (result, note)}; a pending review is then under way."""
    require_under_review(review, by)
    items = {item.pk: item for item in review.items.all()}
    for pk, (result, note) in results.items():
        item = items.get(pk)
        if item is not None and (item.result, item.note) != (result, note):
            item.result, item.note = result, note
            saved(item)
    if review.state == ContractReview.State.PENDING:
        review.state, review.reviewer = ContractReview.State.IN_PROGRESS, by
        review.save(update_fields=["state", "reviewer"])
    return review


@transaction.atomic
def finding_add(*, review: ContractReview, by, severity: str, description: str, item=None) -> Finding:
    require_under_review(review, by)
    if item is not None and item.review_id != review.pk:
        raise invalid("item", _("该清单项不属于本次审查。"))
    finding = saved(Finding(review=review, severity=severity, description=description, item=item))
    text = _("审查发现问题：%(text)s") % {"text": description[:80]}
    project_event(review.project, by=by, kind="finding", text=text)
    project_reclassify(project=review.project)
    return finding


@transaction.atomic
def review_rate(
    *, review: ContractReview, by, rating: str, conclusion: str = "", confirmed: bool = False
) -> ContractReview:
    """Rate a checked review; with rectification tasks already open it is rectifying, else rated.

    A rating above what the findings allow (履约良好 with a 重大 or 严重 finding, 基本履约 with a 严重 one)
    is refused unless the reviewer confirms it, and the confirmation is written on the timeline."""
    current = locked(review)
    REVIEWS.check(by, current, "rate")
    at_odds = selectors.findings_at_odds_with(current, rating)
    if at_odds and not confirmed:
        message = _(
            "本审查记录了%(findings)s，评定为“%(rating)s”与问题的严重程度不符；如确需如此评定，请勾选确认。"
        ) % {"findings": at_odds, "rating": ContractReview.Rating(rating).label}
        raise Invalid(message, fields={"confirmed": [message]}, code="rating_at_odds_with_findings")
    current.rating, current.conclusion = rating, conclusion
    current.reviewer, current.rated_on = by, today()
    rectifying = selectors.open_tasks(review=current).exists()
    text = _("履约审查评定：%(rating)s") % {"rating": current.get_rating_display()}
    if at_odds:
        text += _("（审查人确认：尽管记录了%(findings)s）") % {"findings": at_odds}
    target = ContractReview.State.RECTIFYING if rectifying else None
    REVIEWS.move(current, "rate", by=by, target=target, text=text)
    project_reclassify(project=current.project)
    return current


@transaction.atomic
def review_close(*, review: ContractReview, by) -> ContractReview:
    """Close a rated review whose rectification is done (no major finding left open)."""
    current = locked(review)
    REVIEWS.check(by, current, "close")
    REVIEWS.move(current, "close", by=by, text=_("履约审查办结"))
    project_reclassify(project=current.project)
    return current
