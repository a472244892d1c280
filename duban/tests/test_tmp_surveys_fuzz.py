import pytest
from django.core.management import call_command

from duban.accounts.models import User
from duban.tests.test_api_fuzz import EXAMPLES, _fuzz, _keep_the_test_transaction, _schema  # noqa: F401


@pytest.mark.django_db
@pytest.mark.parametrize("username", ["office", "liaison3", "liaison5"])
def test_surveys_fuzz(username):
    call_command("demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    user = User.objects.get(username=username)
    failures = []
    for result in _schema().get_all_operations():
        op = result.ok()
        if op.path.startswith("/api/surveys"):
            failures += _fuzz(op, user, examples=EXAMPLES)
    assert not failures, "\n\n".join(failures)
