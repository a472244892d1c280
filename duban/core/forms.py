"""Forms: Bootstrap classes on every widget (templates stay free of styling logic), a service's refusal
shown on the form that asked for it, and a button's small form read or refused (`cleaned`)."""

from contextlib import contextmanager
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.forms.boundfield import BoundField
from django.forms.renderers import DjangoTemplates
from django.utils.translation import gettext_lazy as _

from .errors import DomainError, Invalid, describe
from .widgets import FastSelect, FastSelectMultiple


class DubanBoundField(BoundField):
    """Every field of every form marks itself invalid (Bootstrap's red outline, `is-invalid`) when it
    has errors, however the template renders it."""

    def build_widget_attrs(self, attrs, widget=None):
        attrs = super().build_widget_attrs(attrs, widget)
        if self.form.is_bound and self.errors:
            widget = widget or self.field.widget
            css = attrs.get("class", widget.attrs.get("class", ""))
            if "is-invalid" not in css.split():
                attrs["class"] = f"{css} is-invalid".strip()
        return attrs


class FormRenderer(DjangoTemplates):
    """The project's form renderer (settings.FORM_RENDERER): Django's, with `DubanBoundField`."""

    bound_field_class = DubanBoundField


def bootstrap(form: forms.BaseForm) -> forms.BaseForm:
    """Bootstrap's classes on every widget; plain selects render fast (and long ones searchable)."""
    for field in form.fields.values():
        if type(field.widget) is forms.Select:
            field.widget = FastSelect(attrs=field.widget.attrs, choices=field.widget.choices)
        elif type(field.widget) is forms.SelectMultiple:
            field.widget = FastSelectMultiple(attrs=field.widget.attrs, choices=field.widget.choices)
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


@contextmanager
def service_errors_into(form: forms.BaseForm):
    """Run a service for a valid form; a refusal lands on the form (beside its field, where it names one).

        if request.method == "POST" and form.is_valid():
            with service_errors_into(form):
                project = services.project_create(by=request.user, **form.cleaned_data)
                messages.success(request, …)
                return redirect(…)
        return render(request, "…", {"form": form})

    Only refusals are caught (see core.errors.describe); permission and not-found errors still end
    on the 403 and 404 pages.
    """
    try:
        yield form
    except (DomainError, ValidationError) as error:
        refusal = describe(error)
        if refusal.status in (403, 404):
            raise
        general = [refusal.message] if refusal.message and not refusal.fields else []
        for name, messages in refusal.fields.items():
            if name in form.fields:
                form.add_error(name, messages)
            else:
                general.extend(m for m in messages if m not in general)
        if general or not form.errors:
            form.add_error(None, general or [refusal.message])


def cleaned(form: forms.BaseForm) -> dict:
    """A button's small form: its cleaned data, or a refusal (400) naming each field at fault under its
    label, which `RefusalMiddleware` shows on the page the button was on."""
    if form.is_valid():
        return form.cleaned_data
    fields = {
        name: [
            f"{form.fields[name].label}：{error}" if name in form.fields else str(error) for error in errors
        ]
        for name, errors in form.errors.items()
    }
    raise Invalid(fields=fields)


class ImportForm(BootstrapFormMixin, forms.Form):
    """The upload of an Excel import; an import with options subclasses it (the fields become options)."""

    file = forms.FileField(label=_("Excel 文件（.xlsx）"))

    def __init__(self, *args, replaces: bool = False, **kwargs):
        if replaces:  # a replace-style import: deleting what the sheet lacks needs the user's word
            self.base_fields = {
                **self.base_fields,
                "confirm": forms.BooleanField(
                    label=_("确认删除文件中没有的现有数据"),
                    required=False,
                    help_text=_(
                        "导入会替换现有数据。文件中没有的现有数据将被删除：先不勾选导入，页面会列出将删除的内容。"
                    ),
                ),
            }
        super().__init__(*args, **kwargs)


class PercentField(forms.DecimalField):
    """A rate or share typed and shown as a percentage (2.5 for 2.5%) and stored as a fraction (0.025),
    as the models, the maths and the API keep it. Bounds are given in percent; `fraction_places` are the
    decimal places the stored fraction keeps (a percentage two fewer)."""

    def __init__(self, *, min_percent=0, max_percent=100, fraction_places: int | None = None, **kwargs):
        self.min_percent, self.max_percent = Decimal(str(min_percent)), Decimal(str(max_percent))
        # A ModelForm passes the model field's digits (those of the fraction): `Meta.field_classes`.
        places = kwargs.pop("decimal_places", None)
        kwargs.pop("max_digits", None)
        self.fraction_places = fraction_places or places or 4
        kwargs.setdefault("help_text", _("按百分数填写，如 2.5 表示 2.5%。"))
        super().__init__(**kwargs)
        self.widget.attrs.update(step="any", inputmode="decimal")

    def prepare_value(self, value):
        # A stored fraction is shown in percent; what the user typed (a string) is shown as typed.
        if isinstance(value, (Decimal, int, float)) and not isinstance(value, bool):
            return format((Decimal(str(value)) * 100).normalize(), "f")
        return value

    def to_python(self, value):
        if isinstance(value, str):
            value = value.strip().removesuffix("%").strip()
        percent = super().to_python(value)
        if percent is None:
            return None
        if not self.min_percent <= percent <= self.max_percent:
            raise ValidationError(
                _("应在 %(low)s%% 到 %(high)s%% 之间。")
                % {
                    "low": format(self.min_percent.normalize(), "f"),
                    "high": format(self.max_percent.normalize(), "f"),
                },
                code="out_of_range",
            )
        fraction = percent / 100
        if fraction.as_tuple().exponent < -self.fraction_places:
            places = max(self.fraction_places - 2, 0)
            raise ValidationError(
                _("百分数最多保留 %(places)s 位小数。") % {"places": places}, code="max_decimal_places"
            )
        return fraction

    def run_validators(self, value):
        # The bounds and places were checked in percent above; DecimalField's own are not meant for it.
        return
