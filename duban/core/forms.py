"""Bootstrap classes on every form widget, so templates stay free of styling logic."""

from django import forms


def bootstrap(form: forms.BaseForm) -> forms.BaseForm:
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, (forms.CheckboxInput,)):
            css = "form-check-input"
        elif isinstance(widget, (forms.CheckboxSelectMultiple, forms.RadioSelect, forms.HiddenInput)):
            continue
        elif isinstance(widget, (forms.Select, forms.SelectMultiple)):
            css = "form-select"
        else:
            css = "form-control"
        widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()
    return form


class BootstrapFormMixin:
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bootstrap(self)
