"""The audit trail for the office, and the history of one object for whoever may open the object."""

from django.apps import apps
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render

from duban.core.pagination import paginate

from . import selectors
from .filters import AuditEntryFilterSet
from .registry import readable


@login_required
def entry_list(request):
    entries = selectors.audit_entry_list(user=request.user, filters=request.GET)
    filterset = AuditEntryFilterSet(request.GET, user=request.user)
    return render(
        request, "audit/entry_list.html", {"page_obj": paginate(request, entries), "filterset": filterset}
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
