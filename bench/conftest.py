"""What every benchmark shares: it runs only when asked (`make bench`, `-m bench`), with uploads kept
out of the data directory."""

import pytest


@pytest.fixture(autouse=True)
def _only_when_asked(request):
    if "bench" not in (request.config.getoption("markexpr") or ""):
        pytest.skip("a benchmark: run with -m bench")


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
