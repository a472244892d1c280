"""factory_boy factories for the weekly cycle (and the few directives its tests need)."""

from datetime import date

import factory

from duban.directives.models import Directive, Light, State
from duban.tests.factories import ThemeFactory, UnitFactory


class DirectiveFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Directive

    title = factory.Sequence(lambda n: f"周报测试事项{n}")
    source = "key_work"
    theme = factory.SubFactory(ThemeFactory, code="bonds", name="专项债券")
    lead_unit = factory.SubFactory(UnitFactory)
    deadline = date(2026, 12, 31)
    state = State.IN_PROGRESS
    light = Light.GREEN
