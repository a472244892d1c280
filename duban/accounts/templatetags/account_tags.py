"""Showing accounts in templates: contact details masked for readers who may not see them whole."""

from django import template

from duban.core.masking import masked

from ..rules import may_see_contact_details

register = template.Library()


@register.simple_tag
def phone_for(reader, account) -> str:
    return masked(account.phone, "phone", reveal=may_see_contact_details.test(reader, account))
