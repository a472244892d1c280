"""The inbox: one's own notifications, marking them read (htmx or plain POST), and e-mail choices."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from duban.core.routes import Pages
from duban.core.views import done, find, form_page, list_page

from . import selectors, services
from .filters import NotificationFilterSet
from .forms import EmailPreferenceForm

pages = Pages()


def _is_htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true"


def _inbox(request, template: str):
    notifications = selectors.notification_list(user=request.user, filters=request.GET)
    unread = selectors.unread_count(user=request.user)
    return list_page(
        request,
        template,
        notifications,
        filterset_class=NotificationFilterSet,
        unread_count=unread,
        digest=selectors.digest_of(user=request.user, filters=request.GET),
    )


@pages.route("")
@login_required
def inbox(request):
    return _inbox(request, "notifications/inbox.html")


@pages.route("<int:pk>/read/")
@require_POST
@login_required
def mark_read(request, pk):
    notification = services.notification_mark_read(
        notification=find(request, selectors.notification_list, pk), user=request.user
    )
    if _is_htmx(request):
        return render(
            request,
            "notifications/_row_swap.html",
            {"n": notification, "unread_count": selectors.unread_count(user=request.user)},
        )
    return redirect("notifications:inbox")


@pages.route("read-all/")
@require_POST
@login_required
def mark_all_read(request):
    count = services.notification_mark_all_read(user=request.user)
    if _is_htmx(request):
        return _inbox(request, "notifications/_list_swap.html")
    return done(request, _("已将 %(count)d 条通知标为已读。") % {"count": count}, "notifications:inbox")


@pages.route("<int:pk>/open/", name="open")
@require_POST
@login_required
def open_notification(request, pk):
    """Mark read and follow the notification's link (a POST, so that reading is never a side effect of
    a prefetch or a crawler)."""
    notification = services.notification_mark_read(
        notification=find(request, selectors.notification_list, pk), user=request.user
    )
    target = notification.url
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect("notifications:inbox")


@pages.route("preferences/")
@login_required
def preferences(request):
    """The user's own notification settings: when informational notices come, and which come by email."""

    def save(form):
        # A form sent without the choice (an older page) leaves it as it was.
        if informational := form.cleaned_data.get("informational"):
            services.delivery_save(user=request.user, informational=informational)
        services.email_preferences_save(user=request.user, preferences=form.preferences())
        return done(request, _("已保存通知设置。"), "notifications:preferences")

    initial = {
        **selectors.email_preferences(user=request.user),
        "informational": selectors.delivery(user=request.user),
    }
    form = EmailPreferenceForm(request.POST or None, initial=initial)
    return form_page(request, form, save=save, template="notifications/preferences.html")
