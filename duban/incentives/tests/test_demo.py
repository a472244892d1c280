"""The demo: the 2018 list, a campaign commended last year, two under way, one with a live bond criterion."""

from __future__ import annotations

from django.utils import timezone

from ..models import Campaign, LiveSource, MeasureList


def test_the_demo_loads_the_catalogue_and_the_campaigns_and_loads_again_without_change(db):
    from duban.accounts import demo as accounts_demo
    from duban.incentives import demo
    from duban.organisation import demo as organisation_demo

    organisation_demo.load_demo()
    accounts_demo.load_demo()
    demo.load_demo()
    demo.load_demo()
    assert MeasureList.objects.get(code="国办发〔2018〕117号").measures.count() == 30
    year = timezone.localdate().year
    campaigns = Campaign.objects.all()
    assert campaigns.count() == 3
    assert campaigns.filter(year=year - 1, state="commended").count() == 1
    assert campaigns.filter(year=year, state__in=["preparing", "submitted"]).count() == 2
    assert campaigns.filter(criteria__live_source=LiveSource.BOND_ISSUANCE).exists()
    assert all(c.directive_id for c in campaigns)
