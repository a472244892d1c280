"""The inbox: one's own notifications, marking them read (htmx or plain POST), and e-mail choices."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from duban.core.routes import Pages
from duban.core.rules import rule_required
from duban.core.views import done, find, form_page, list_page

from . import selectors, services
from .filters import DeliveryFilterSet, NotificationFilterSet
from .forms import CADENCE_PREFIX, CHANNEL_PREFIX, ChannelSwitchForm, EmailPreferenceForm, UnitRobotForm
from .models import Channel, DeliveryState
from .rules import may_manage_channels

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
        services.kind_cadences_save(user=request.user, cadences=form.cadences())
        if form.cleaned_data.get("channels_shown"):
            services.channel_preferences_save(user=request.user, channels=form.channels())
        return done(request, _("已保存通知设置。"), "notifications:preferences")

    user = request.user
    initial = {
        **selectors.email_preferences(user=user),
        **{CADENCE_PREFIX + k: v for k, v in selectors.kind_cadences(user=user).items()},
        **{CHANNEL_PREFIX + c: on for c, on in selectors.channel_preferences(user=user).items()},
        "informational": selectors.delivery(user=user),
    }
    form = EmailPreferenceForm(request.POST or None, initial=initial)
    return form_page(
        request,
        form,
        save=save,
        template="notifications/preferences.html",
        switched_off=[Channel(c).label for c, on in selectors.channel_switches(user=user).items() if not on],
    )


# --- the office: channels, units' robots, deliveries ---------------------------------------------------


@pages.route("channels/")
@rule_required(may_manage_channels)
def channels(request):
    """The office turns channels on or off and keeps the units' group robots."""

    def save(form):
        services.channel_switches_save(switches=form.switches(), by=request.user)
        return done(request, _("已保存通知渠道。"), "notifications:channels")

    form = ChannelSwitchForm(request.POST or None, initial=selectors.channel_switches(user=request.user))
    return form_page(
        request,
        form,
        save=save,
        template="notifications/channels.html",
        robots=selectors.robot_list(user=request.user),
        counts=selectors.delivery_counts(user=request.user),
    )


def _robot_form(request, robot=None):
    def save(form):
        services.robot_save(robot=robot, by=request.user, **form.cleaned_data)
        return done(request, _("已保存单位群机器人。"), "notifications:channels")

    form = UnitRobotForm(request.POST or None, instance=robot)
    title = _("编辑单位群机器人") if robot else _("新增单位群机器人")
    return form_page(request, form, save=save, title=title, cancel_url=reverse("notifications:channels"))


@pages.route("channels/robots/new/")
@rule_required(may_manage_channels)
def robot_create(request):
    return _robot_form(request)


@pages.route("channels/robots/<int:pk>/edit/")
@rule_required(may_manage_channels)
def robot_edit(request, pk):
    return _robot_form(request, find(request, selectors.robot_list, pk))


@pages.route("channels/robots/<int:pk>/delete/")
@require_POST
@rule_required(may_manage_channels)
def robot_delete(request, pk):
    services.robot_delete(robot=find(request, selectors.robot_list, pk), by=request.user)
    messages.success(request, _("已删除单位群机器人。"))
    return redirect("notifications:channels")


@pages.route("deliveries/")
@rule_required(may_manage_channels)
def delivery_list(request):
    """Deliveries, the failed ones first asked for (`?state=failed`), with their reasons; resend."""
    rows = selectors.delivery_list(user=request.user, filters=request.GET)
    return list_page(
        request,
        "notifications/delivery_list.html",
        rows,
        filterset_class=DeliveryFilterSet,
        counts=selectors.delivery_counts(user=request.user),
        failed=DeliveryState.FAILED,
    )


@pages.route("deliveries/<int:pk>/resend/")
@require_POST
@rule_required(may_manage_channels)
def delivery_resend(request, pk):
    delivery = find(request, selectors.delivery_list, pk)
    count = services.delivery_resend(deliveries=[delivery], by=request.user)
    messages.success(request, _("已重新发送 %(n)d 条。") % {"n": count})
    return redirect(reverse("notifications:delivery_list") + "?state=failed")


@pages.route("deliveries/resend/")
@require_POST
@rule_required(may_manage_channels)
def delivery_resend_bulk(request):
    """Resend the ticked failed deliveries (`ids`), or all failed ones of the filter (`all`)."""
    rows = selectors.delivery_list(user=request.user, filters=request.GET).filter(state=DeliveryState.FAILED)
    if not request.POST.get("all"):
        ids = [int(i) for i in request.POST.getlist("ids") if str(i).isdigit()]
        rows = rows.filter(pk__in=ids)
    count = services.delivery_resend(deliveries=rows[: services.deliveries.RESEND_MAX + 1], by=request.user)
    messages.success(request, _("已重新发送 %(n)d 条。") % {"n": count})
    return redirect(reverse("notifications:delivery_list") + "?state=failed")
