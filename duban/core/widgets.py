"""Widgets every app shares: the browser's date picker (`DateInput`), and selects for long lists
(`FastSelect`): a province has thousands of units, and Django renders each <option> through its own
template (about a millisecond each), so a page with three unit selects spent seconds on them."""

from __future__ import annotations

from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

_SELECTED = mark_safe(" selected")


class DateInput(forms.DateInput):
    """A date picked in the browser's calendar (`<input type="date">`, whose value is the ISO date)."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class FastSelect(forms.Select):
    """A <select> whose options are joined in Python rather than rendered one template at a time. A
    long one (units, leaders) becomes a searchable box in the browser (tom-select, `core/searchable.js`):
    nobody scrolls through 3,000 units, and a multiple choice needs no Ctrl-click."""

    # Fewer options than this are read at a glance; a search box would only slow the choice.
    SEARCHABLE_FROM = 12

    def render(self, name, value, attrs=None, renderer=None):
        final = self.build_attrs(self.attrs, attrs)
        final["name"] = name
        if self.allow_multiple_selected:
            final["multiple"] = True
        # iter() first: list() would ask a model choice iterator its length, one COUNT query more.
        choices = list(iter(self.choices))
        if len(choices) >= self.SEARCHABLE_FROM:
            final.setdefault("data-searchable", "")
            final.setdefault("data-no-results", gettext("没有匹配项"))
        chosen = {str(v) for v in self.format_value(value)}

        def joined(pairs):
            return format_html_join(
                "",
                '<option value="{}"{}>{}</option>',
                ((str(option), _SELECTED if str(option) in chosen else "", label) for option, label in pairs),
            )

        # A group of choices (("县区", [(1, "南屏县"), …])) renders as an <optgroup>.
        options = mark_safe(
            "".join(
                format_html('<optgroup label="{}">{}</optgroup>', option, joined(label))
                if isinstance(label, (list, tuple))
                else joined([(option, label)])
                for option, label in choices
            )
        )
        return format_html("<select{}>{}</select>", flatatt(final), options)


class FastSelectMultiple(FastSelect):
    allow_multiple_selected = True

    def value_from_datadict(self, data, files, name):
        return forms.SelectMultiple().value_from_datadict(data, files, name)

    def value_omitted_from_data(self, data, files, name):
        return False
