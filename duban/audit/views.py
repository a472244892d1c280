"""The audit trail for the office, and the history of one object for whoever may open the object."""

from django.apps import apps
from django.contrib.auth.decorators import login_required
from django.http import Http404

from duban.core.routes import Pages
from duban.core.views import ListPage, list_page

from . import selectors
from .filters import AuditEntryFilterSet, SecurityEventFilterSet
from .registry import readable

pages = Pages()


ENTRIES = ListPage(selectors.audit_entry_list, "audit/entry_list.html", filterset_class=AuditEntryFilterSet)
pages.list("", ENTRIES, name="entry_list")

SECURITY_LOG = ListPage(
    selectors.security_event_list, "audit/security_log.html", filterset_class=SecurityEventFilterSet
)
pages.list("security/", SECURITY_LOG, name="security_log")


@pages.route("<str:app_label>/<str:model_name>/<int:pk>/")
@login_required
def object_history(request, app_label, model_name, pk):
    try:
        model = apps.get_model(app_label, model_name)
    except LookupError as error:
        raise Http404 from error
    obj = readable(request.user, model).filter(pk=pk).first()
    if obj is None:
        raise Http404
    return list_page(request, "audit/object_history.html", selectors.object_history(obj=obj), object=obj)
