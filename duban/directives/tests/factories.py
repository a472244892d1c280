"""factory_boy factories for directives."""

from datetime import date

import factory

from duban.tests.factories import ThemeFactory, UnitFactory

from ..models import Directive, Meeting, MeetingKind, Milestone, Source, State


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meeting

    kind = MeetingKind.MAYOR_COUNCIL
    title = factory.Sequence(lambda n: f"市长议事会第{n}次会议")
    held_on = date(2026, 3, 2)


class DirectiveFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Directive
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"督办事项{n}")
    content = "加快推进。"
    source = Source.KEY_WORK
    theme = factory.SubFactory(ThemeFactory, code="general", name="综合")
    lead_unit = factory.SubFactory(UnitFactory)
    deadline = date(2026, 12, 31)
    state = State.ASSIGNED

    @factory.post_generation
    def co_units(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.co_units.set(extracted)


class MilestoneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Milestone

    directive = factory.SubFactory(DirectiveFactory)
    order = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"节点{n}")
    due_on = date(2026, 6, 30)


def directive_input(*, theme, lead_unit, **fields) -> dict:
    """What the office fills in for a directive (the page's form or the API's body), with `fields` changed."""
    return {
        "title": "申报专项债券",
        "source": "key_work",
        "theme": theme.pk,
        "lead_unit": lead_unit.pk,
        "deadline": "2026-12-31",
        "priority": 1,
        **fields,
    }
