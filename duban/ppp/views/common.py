"""What the PPP pages share: finding an object through its list's selector, and a posted form read or
refused (the refusal is shown by `core.middleware.RefusalMiddleware` on the page the button was on)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from duban.core.errors import Invalid
from duban.core.routes import Pages

from .. import selectors

# Every module of the package declares its pages here; urls.py takes them all.
pages = Pages()


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
    messages.success(request, str(message))
    return redirect(to, **kwargs)


def step_view(service, *, find, name: str, message, page: str, read=None, back=None):
    """A button's view (POST only): find the object through its list's selector (404 outside the user's
    reach), read what the button sends (`read(request, obj)` → the service's other arguments, refused
    as Invalid when not valid), take the step and go back to the object's `page`, saying so."""

    @require_POST
    @login_required
    def view(request, pk):
        obj = find(request, pk)
        service(**{name: obj}, by=request.user, **(read(request, obj) if read else {}))
        messages.success(request, str(message))
        return redirect(reverse(page, args=[back(obj) if back else pk]))

    return view


def reason(request, _obj) -> dict:
    """The reason typed beside a button."""
    return {"reason": request.POST.get("reason", "")}


def form_of(form_class):
    """`read` for a button that sends a small form."""
    return lambda request, _obj: valid(form_class(request.POST))
