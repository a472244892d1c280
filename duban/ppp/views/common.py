"""What the PPP pages share: finding an object through its list's selector, and a posted form read or
refused (the refusal is shown by `core.middleware.RefusalMiddleware` on the page the button was on)."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect

from duban.core.errors import Invalid

from .. import selectors


def valid(form) -> dict:
    """The form's cleaned data, or Invalid listing each field's problem under its label."""
    if form.is_valid():
        return form.cleaned_data
    fields = {
        name: [
            f"{form.fields[name].label}：{error}" if name in form.fields else str(error) for error in errors
        ]
        for name, errors in form.errors.items()
    }
    raise Invalid(fields=fields)


def project_of(request, pk):
    return get_object_or_404(selectors.project_list(user=request.user), pk=pk)


def done(request, message: str, to: str, **kwargs):
    """Say what was done and go back to the page the action belongs to."""
    messages.success(request, message)
    return redirect(to, **kwargs)
