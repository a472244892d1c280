"""Reading audit entries in templates."""

from django import template

register = template.Library()


@register.filter
def changed_fields(entry) -> list[tuple[str, list]]:
    """The entry's (field, [before, after]) pairs. A template cannot say `changes_display_dict.items`:
    a model with a field or relation called "items" (a review's checklist) answers with that key."""
    return list(entry.changes_display_dict.items())
