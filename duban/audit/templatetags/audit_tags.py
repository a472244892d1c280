"""Reading audit entries in templates."""

from django import template

from ..display import readable_entries

register = template.Library()


@register.simple_tag
def readable(entries):
    """A page of entries as people read them (`audit.display`), linked rows named in one query each."""
    return readable_entries(entries)
