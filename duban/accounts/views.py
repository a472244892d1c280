"""Signing in, and the office's pages for accounts: thin pages over the selectors and services."""

from functools import partial

import segno
from django.conf import settings
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django_otp import login as otp_login

from duban.audit.selectors import security_event_list
from duban.core.routes import Pages
from duban.core.rules import rule_required
from duban.core.views import ListPage, button, done, find, form_page

from . import rules, selectors, services
from .filters import AccountSecurityFilterSet, UserFilterSet
from .forms import LoginForm, PasswordChangeForm, SecondFactorForm, UserForm
from .middleware import SECOND_FACTOR_PENDING

pages = Pages()


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def form_valid(self, form):
        response = super().form_valid(form)
        if services.second_factor_device(form.get_user()) is not None:
            # Whoever enrolled an authenticator confirms a code at each login (accounts/middleware.py).
            self.request.session[SECOND_FACTOR_PENDING] = True
        return response


def _next_url(request, default: str = "cockpit:home") -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse(default)


# The security administrator's pages (三员分立): every account's lockout, authenticator and API tokens,
# and one button for each; no business data is shown.
pages.list(
    "users/security/",
    ListPage(
        selectors.account_security_list,
        "accounts/security_account_list.html",
        filterset_class=AccountSecurityFilterSet,
    ),
    name="security_account_list",
)


@pages.route("users/<int:pk>/security/", name="security_account")
@login_required
def security_account(request, pk):
    account = find(request, selectors.account_security_list, pk)
    context = {
        "title": _("账号安全管理：%(name)s") % {"name": account.username},
        "account": account,
        "events": security_event_list(user=request.user, filters={"username": account.username})[:20],
    }
    return render(request, "accounts/security_account.html", context)


on_account = partial(
    button, select=selectors.account_security_list, name="user", page="accounts:security_account"
)
# A lost phone: the user enrols a new authenticator at their next login.
user_second_factor_reset = pages.route("users/<int:pk>/2fa/reset/", name="user_second_factor_reset")(
    on_account(
        services.second_factor_reset, gettext_lazy("已解除该用户的手机验证器绑定，其下次登录时需重新绑定。")
    )
)
account_unlock = pages.route("users/<int:pk>/unlock/", name="account_unlock")(
    on_account(services.account_unlock, gettext_lazy("已解除该用户的登录锁定。"))
)
account_tokens_revoke = pages.route("users/<int:pk>/tokens/revoke/", name="account_tokens_revoke")(
    on_account(services.account_tokens_revoke, gettext_lazy("已吊销该用户的全部接口令牌。"))
)


@pages.route("password/", name="password_change")
@login_required
def password_change(request):
    def save(form):
        services.password_change(
            user=request.user,
            old_password=form.cleaned_data["old_password"],
            new_password=form.cleaned_data["new_password1"],
        )
        update_session_auth_hash(request, request.user)  # this session stays signed in
        return done(request, _("密码已修改。"), _next_url(request))

    form = PasswordChangeForm(request.POST or None)
    context = {
        "title": _("修改密码"),
        "next": _next_url(request),
        "password_days": settings.DUBAN_PASSWORD_MAX_AGE_DAYS,
    }
    return form_page(request, form, save=save, template="accounts/password_change.html", **context)


@pages.route("2fa/", name="second_factor")
@login_required
def second_factor(request):
    """The code at login, for whoever has an authenticator; the others enrol one first."""
    if request.user.is_verified():
        return redirect(_next_url(request))
    if services.second_factor_device(request.user) is None:
        return redirect(f"{reverse('accounts:second_factor_setup')}?{request.GET.urlencode()}")

    def save(form):
        device = services.second_factor_verify(user=request.user, code=form.cleaned_data["code"])
        otp_login(request, device)
        request.session.pop(SECOND_FACTOR_PENDING, None)
        return redirect(_next_url(request))

    form = SecondFactorForm(request.POST or None)
    context = {"title": _("双因素认证"), "next": _next_url(request)}
    return form_page(request, form, save=save, template="accounts/second_factor.html", **context)


@pages.route("2fa/setup/", name="second_factor_setup")
@login_required
def second_factor_setup(request):
    """Enrol an authenticator: scan the QR code, confirm with a code. Re-enrolling needs the old one's code."""
    if services.second_factor_device(request.user) is not None and not request.user.is_verified():
        return redirect(f"{reverse('accounts:second_factor')}?{request.GET.urlencode()}")
    device = services.second_factor_enrolment(request.user)

    def save(form):
        confirmed = services.second_factor_confirm(user=request.user, code=form.cleaned_data["code"])
        otp_login(request, confirmed)
        request.session.pop(SECOND_FACTOR_PENDING, None)
        return done(request, _("已绑定手机验证器，以后每次登录都需输入验证码。"), _next_url(request))

    qr = segno.make(device.config_url, error="m")
    context = {
        "title": _("绑定手机验证器"),
        "qr_svg": mark_safe(qr.svg_inline(scale=4, dark="#000", light="#fff", omitsize=False)),  # noqa: S308 (segno's own markup)
        "secret": _base32(device.bin_key),
        "next": _next_url(request),
    }
    form = SecondFactorForm(request.POST or None)
    return form_page(request, form, save=save, template="accounts/second_factor_setup.html", **context)


def _base32(key: bytes) -> str:
    from base64 import b32encode

    text = b32encode(key).decode().rstrip("=")
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


@pages.route("security/", name="account_security")
@login_required
def account_security(request):
    """The user's own account security: password age, authenticator, API tokens."""
    context = {
        "title": _("账号安全"),
        "device": services.second_factor_device(request.user),
        "tokens": selectors.api_tokens(user=request.user),
        "password_days": settings.DUBAN_PASSWORD_MAX_AGE_DAYS,
    }
    return render(request, "accounts/account_security.html", context)


# The account forms go back to the list; the browser offers no saved passwords on them.
FORM_PAGE = {"cancel_url": reverse_lazy("accounts:user_list"), "autocomplete": "off"}


pages.list(
    "users/",
    ListPage(selectors.user_list, "accounts/user_list.html", filterset_class=UserFilterSet),
    name="user_list",
)


@pages.route("users/new/")
@rule_required(rules.may_manage_users)
def user_create(request):
    def save(form):
        services.user_create(by=request.user, **form.cleaned_data)
        return done(request, _("已新增用户。"), "accounts:user_list")

    form = UserForm(request.POST or None, by=request.user)
    return form_page(request, form, save=save, title=_("新增用户"), **FORM_PAGE)


@pages.route("users/<int:pk>/edit/")
@login_required
def user_edit(request, pk):
    account = find(request, selectors.user_list, pk, may=rules.may_edit_user)

    def save(form):
        services.user_update(user=account, by=request.user, **form.cleaned_data)
        return done(request, _("已保存。"), "accounts:user_list")

    form = UserForm(request.POST or None, instance=account, by=request.user)
    title = _("编辑用户：%(name)s") % {"name": account.username}
    context = {"account": account, "has_second_factor": services.second_factor_device(account) is not None}
    return form_page(
        request, form, save=save, title=title, template="accounts/user_form.html", **context, **FORM_PAGE
    )


@pages.route("security/tokens/new/", name="api_token_create")
@login_required
@require_POST
def api_token_create(request):
    """A new API token for the user's scripts: its key is shown on this answer only (stored hashed)."""
    _instance, key = services.api_token_create(user=request.user)
    context = {
        "title": _("账号安全"),
        "device": services.second_factor_device(request.user),
        "tokens": selectors.api_tokens(user=request.user),
        "password_days": settings.DUBAN_PASSWORD_MAX_AGE_DAYS,
        "new_key": key,
    }
    return render(request, "accounts/account_security.html", context)


@pages.route("security/tokens/revoke/", name="api_tokens_revoke")
@login_required
@require_POST
def api_tokens_revoke(request):
    count = services.revoke_api_tokens(request.user)
    return done(request, _("已吊销 %(count)d 个接口令牌。") % {"count": count}, "accounts:account_security")
