from importlib import import_module

import pytest

from duban.directives.models import (
    Directive,
    Escalation,
    EscalationState,
    Light,
    Meeting,
    State,
    SupervisionNotice,
)


@pytest.mark.django_db
def test_the_demo_loads_once_with_red_and_yellow_work_in_every_state():
    for app in ("organisation", "accounts", "directives", "directives"):
        import_module(f"duban.{app}.demo").load_demo()
    assert Meeting.objects.count() == 4
    lights = set(Directive.objects.values_list("light", flat=True))
    assert {Light.RED, Light.YELLOW, Light.GREEN, Light.GREY} <= lights
    states = set(Directive.objects.values_list("state", flat=True))
    assert set(State.values) <= states
    assert SupervisionNotice.objects.count() == 1
    # The ladder: a few proposals, and one step issued and answered by its unit.
    states = list(Escalation.objects.values_list("state", flat=True))
    assert states.count(EscalationState.PROPOSED) >= 2
    issued = Escalation.objects.get(state=EscalationState.ISSUED)
    assert issued.document.replies.exists()
    assert Directive.objects.filter(parent__isnull=False).exists()
