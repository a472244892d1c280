import pytest

from duban.workcalendar.selectors import forget_calendar

from .factories import DirectiveFactory


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _fresh_calendar():
    forget_calendar()
    yield
    forget_calendar()


@pytest.fixture
def directive(city):
    """A directive assigned to the finance bureau, with housing co-operating, under the city's leader."""
    return DirectiveFactory(
        lead_unit=city.finance,
        co_units=[city.housing],
        responsible_leader=city.leader,
        title="专项债券项目申报",
    )
