"""Live criteria read the programmes' own figures: the bond criterion equals the figure the bond
programme's overview shows (the same selector), with the moment read and a link to the figures."""

from __future__ import annotations

from decimal import Decimal

from django.urls import reverse

from duban.bonds import selectors as bond_selectors
from duban.bonds.tests.factories import BondProjectFactory
from duban.directives.tests.factories import DirectiveFactory

from .. import selectors, services
from ..models import LiveSource
from .factories import docx_upload, open_campaign


def _bonds(city):
    BondProjectFactory(
        applying_unit=city.finance,
        quota_allocated=Decimal(10000),
        issued_amount=Decimal(8000),
        spent_amount=Decimal(5000),
    )
    BondProjectFactory(
        applying_unit=city.housing,
        quota_allocated=Decimal(6000),
        issued_amount=Decimal(3000),
        spent_amount=Decimal(600),
    )


def test_the_live_bond_criterion_equals_the_bond_programmes_own_figure(city, client_for):
    _bonds(city)
    campaign = open_campaign(city)
    issuance = services.criterion_add(
        campaign=campaign, by=city.liaison, text="发行进度", source="s", live_source=LiveSource.BOND_ISSUANCE
    )
    spending = services.criterion_add(
        campaign=campaign, by=city.liaison, text="支出进度", source="s", live_source=LiveSource.BOND_SPENDING
    )
    totals = bond_selectors.programme_totals(user=city.office)
    live = selectors.live_values([issuance, spending], user=city.office)
    assert live[issuance.pk].value == totals["issuance_progress"] == Decimal(11000) / Decimal(16000)
    assert live[spending.pk].value == totals["spending_progress"] == Decimal(5600) / Decimal(11000)
    assert live[issuance.pk].figures_url == reverse("bonds:overview")
    overview = client_for(city.office).get(reverse("bonds:overview"))
    assert overview.context["totals"]["issuance_progress"] == live[issuance.pk].value
    page = client_for(city.office).get(reverse("incentives:campaign_detail", args=[campaign.pk]))
    assert "68.8%" in page.content.decode() and reverse("bonds:overview") in page.content.decode()


def test_a_live_reading_is_recorded_with_its_moment(city):
    _bonds(city)
    campaign = open_campaign(city)
    criterion = services.criterion_add(
        campaign=campaign, by=city.office, text="发行进度", source="s", live_source=LiveSource.BOND_ISSUANCE
    )
    recorded = services.criterion_record_live(criterion=criterion, by=city.office)
    assert recorded.recorded_value == Decimal("0.6875") and recorded.recorded_at is not None


def test_the_directive_closure_rate_counts_closed_among_assigned_directives(city):
    campaign = open_campaign(city)  # its own directive, assigned
    DirectiveFactory(lead_unit=city.finance, state="closed")
    DirectiveFactory(lead_unit=city.finance, state="draft")
    value = selectors.live_value(LiveSource.DIRECTIVE_CLOSURE, user=city.office)
    assert value.value == Decimal(1) / Decimal(2)
    assert campaign.directive_id


def test_the_ppp_rate_is_none_without_rated_reviews(city):
    value = selectors.live_value(LiveSource.PPP_GOOD_RATE, user=city.office)
    assert value.value is None and value.figures_url == reverse("ppp:campaign_list")


def test_a_criterion_entered_by_hand_has_no_live_value(city):
    campaign = open_campaign(city)
    criterion = services.criterion_add(
        campaign=campaign, by=city.office, text="手工", source="s", standing="好"
    )
    assert selectors.live_values([criterion], user=city.office) == {}
    services.evidence_upload(campaign=campaign, by=city.office, title="报告", upload=docx_upload())
