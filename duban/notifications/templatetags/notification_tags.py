from django import template

from .. import selectors

register = template.Library()


@register.simple_tag(takes_context=True)
def unread_notification_count(context) -> int:
    """The signed-in user's unread count: from the view when it already counted, else one query."""
    if (count := context.get("unread_count")) is not None:
        return count
    request = context.get("request")
    return selectors.unread_count(user=getattr(request, "user", None))
