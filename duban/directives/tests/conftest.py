from datetime import date

import pytest

from duban.directives.models import Light, State
from duban.tests.factories import ThemeFactory

from .factories import DirectiveFactory, MeetingFactory


@pytest.fixture
def directive(city):
    """A directive assigned to the finance bureau, with housing co-operating, under the city's leader."""
    return DirectiveFactory(
        lead_unit=city.finance,
        co_units=[city.housing],
        responsible_leader=city.leader,
        title="专项债券项目申报",
    )


@pytest.fixture
def board(city):
    """Four directives, one per light, for the list filters: red (finance, theme bond), yellow (county,
    a meeting's, finance co-operating), green (housing, the leader's), closed (housing, grey)."""
    bond = ThemeFactory(code="bond", name="专项债券")
    meeting = MeetingFactory()
    rows = {
        "red": DirectiveFactory(
            lead_unit=city.finance, light=Light.RED, theme=bond, deadline=date(2026, 3, 1)
        ),
        "yellow": DirectiveFactory(
            lead_unit=city.county,
            light=Light.YELLOW,
            meeting=meeting,
            deadline=date(2026, 6, 1),
            co_units=[city.finance],
        ),
        "green": DirectiveFactory(
            lead_unit=city.housing,
            light=Light.GREEN,
            responsible_leader=city.leader,
            deadline=date(2026, 9, 1),
        ),
        "closed": DirectiveFactory(lead_unit=city.housing, light=Light.GREY, state=State.CLOSED),
    }
    return rows, bond, meeting
