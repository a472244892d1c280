import pytest


@pytest.fixture(autouse=True)
def deliveries_inline(monkeypatch, settings):
    """Deliveries run in the test's process (django-q2's sync mode) at any hour of the test run: the
    quiet-hours tests turn them back on and set the clock themselves."""
    monkeypatch.setattr("django_q.conf.Conf.SYNC", True)
    settings.DUBAN_QUIET_HOURS = False
    settings.DUBAN_DINGTALK_WEBHOOK = ""
    settings.DUBAN_WECOM_WEBHOOK = ""
    settings.DUBAN_SMS_URL = ""
