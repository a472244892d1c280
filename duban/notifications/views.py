from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from duban.core.pagination import paginate

from . import selectors, services
from .filters import NotificationFilterSet
from .forms import EmailPreferenceForm


def _is_htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true"


def _inbox_context(request) -> dict:
    notifications = selectors.notification_list(user=request.user, filters=request.GET)
    return {
        "page_obj": paginate(request, notifications),
        "filterset": NotificationFilterSet(request.GET, user=request.user),
        "unread_count": selectors.unread_count(user=request.user),
    }


@login_required
def inbox(request):
    return render(request, "notifications/inbox.html", _inbox_context(request))


def _own(request, pk):
    # Someone else's notification is not found, whoever asks (the office included).
    return get_object_or_404(selectors.notification_list(user=request.user), pk=pk)


@require_POST
@login_required
def mark_read(request, pk):
    notification = services.notification_mark_read(notification=_own(request, pk), user=request.user)
    if _is_htmx(request):
        return render(
            request,
            "notifications/_row_swap.html",
            {"n": notification, "unread_count": selectors.unread_count(user=request.user)},
        )
    return redirect("notifications:inbox")


@require_POST
@login_required
def mark_all_read(request):
    count = services.notification_mark_all_read(user=request.user)
    if _is_htmx(request):
        return render(request, "notifications/_list_swap.html", _inbox_context(request))
    messages.success(request, _("已将 %(count)d 条通知标为已读。") % {"count": count})
    return redirect("notifications:inbox")


@require_POST
@login_required
def open_notification(request, pk):
    """Mark read and follow the notification's link (a POST, so that reading is never a side effect of
    a prefetch or a crawler)."""
    notification = services.notification_mark_read(notification=_own(request, pk), user=request.user)
    target = notification.url
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect("notifications:inbox")


@login_required
def preferences(request):
    current = selectors.email_preferences(user=request.user)
    form = EmailPreferenceForm(request.POST or None, initial=current)
    if request.method == "POST" and form.is_valid():
        services.email_preferences_save(user=request.user, preferences=form.preferences())
        messages.success(request, _("已保存邮件通知设置。"))
        return redirect("notifications:preferences")
    return render(request, "notifications/preferences.html", {"form": form})
