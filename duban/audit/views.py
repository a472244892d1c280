from django.apps import apps
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render

from duban.accounts.decorators import office_required
from duban.core.pagination import paginate

from . import selectors
from .forms import AuditFilterForm
from .registry import readable


@office_required
def entry_list(request):
    filters = AuditFilterForm(request.GET)
    filters.is_valid()
    entries = selectors.audit_entry_list(user=request.user, filters=filters.cleaned_data)
    return render(
        request, "audit/entry_list.html", {"page_obj": paginate(request, entries), "filter_form": filters}
    )


@login_required
def object_history(request, app_label, model_name, pk):
    try:
        model = apps.get_model(app_label, model_name)
    except LookupError as error:
        raise Http404 from error
    obj = readable(request.user, model).filter(pk=pk).first()
    if obj is None:
        raise Http404
    entries = selectors.object_history(obj=obj)
    return render(
        request, "audit/object_history.html", {"object": obj, "page_obj": paginate(request, entries)}
    )
