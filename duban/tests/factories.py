"""factory_boy factories for the platform's models; each app adds its own beside its tests."""

import factory
from django.utils import timezone

from duban.accounts.models import User
from duban.accounts.roles import Role
from duban.organisation.models import Leader, LeaderPost, Theme, Unit, UnitKind

TEST_PASSWORD = "correct-horse-battery-staple"


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit

    code = factory.Sequence(lambda n: f"U{n:05d}")
    name = factory.Sequence(lambda n: f"测试单位{n}")
    short_name = factory.LazyAttribute(lambda u: u.name[:6])
    kind = UnitKind.CITY_DEPARTMENT
    aliases = factory.LazyFunction(list)


class ThemeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Theme
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"theme{n}")
    name = factory.Sequence(lambda n: f"主题{n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Sequence(lambda n: f"用户{n}")
    role = Role.LIAISON
    # The password is the user's own (not one the office set), so tests are not sent to change it.
    password_changed_at = factory.LazyFunction(timezone.now)
    password = factory.PostGenerationMethodCall("set_password", TEST_PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class LeaderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Leader

    name = factory.Sequence(lambda n: f"领导{n}")
    post = LeaderPost.VICE_MAYOR
