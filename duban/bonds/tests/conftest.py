import pytest

from .factories import BatchFactory, BondProjectFactory, worked_example


@pytest.fixture
def project(city):
    """A project of the finance bureau (the `liaison`'s unit), with the worked example's cash flows."""
    p = BondProjectFactory(applying_unit=city.finance, county=city.county, created_by=city.liaison)
    worked_example(p)
    return p


@pytest.fixture
def batch(db):
    return BatchFactory(name="2026年第四季度")


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
