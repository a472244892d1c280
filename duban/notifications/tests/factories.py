import factory

from duban.notifications.models import Notification, NotificationKind
from duban.tests.factories import UserFactory


class NotificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Notification

    recipient = factory.SubFactory(UserFactory)
    kind = NotificationKind.ASSIGNED
    title = factory.Sequence(lambda n: f"交办：重点工作{n}")
    body = "请按期办理。"
    url = "/"
