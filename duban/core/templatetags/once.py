"""`{% once_token %}`: the token a form is issued with, so that it is saved once (`core/once.py`)."""

from django import template
from django.utils.html import format_html

from duban.core.once import TOKEN_FIELD, new_token

register = template.Library()


@register.simple_tag
def once_token():
    return format_html('<input type="hidden" name="{}" value="{}">', TOKEN_FIELD, new_token())
