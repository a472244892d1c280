"""View guards for pages that only the supervision office (and administrators) may open."""

from duban.core.rules import rule_required

from .rules import is_office_user

office_required = rule_required(is_office_user)
