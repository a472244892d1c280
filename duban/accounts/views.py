"""Signing in, and the office's pages for accounts: thin pages over the selectors and services."""

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse_lazy
from django.utils.translation import gettext as _

from duban.core.routes import Pages
from duban.core.rules import require
from duban.core.views import form_page, list_page

from . import rules, selectors, services
from .filters import UserFilterSet
from .forms import LoginForm, UserForm

pages = Pages()


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


# The account forms go back to the list; the browser offers no saved passwords on them.
FORM_PAGE = {"cancel_url": reverse_lazy("accounts:user_list"), "autocomplete": "off"}


@pages.route("users/")
@login_required
def user_list(request):
    users = selectors.user_list(user=request.user, filters=request.GET)
    return list_page(request, "accounts/user_list.html", users, filterset_class=UserFilterSet)


@pages.route("users/new/")
@login_required
def user_create(request):
    require(rules.may_manage_users, request.user)

    def save(form):
        services.user_create(by=request.user, **form.cleaned_data)
        messages.success(request, _("已新增用户。"))
        return redirect("accounts:user_list")

    form = UserForm(request.POST or None, by=request.user)
    return form_page(request, form, save=save, title=_("新增用户"), **FORM_PAGE)


@pages.route("users/<int:pk>/edit/")
@login_required
def user_edit(request, pk):
    account = get_object_or_404(selectors.user_list(user=request.user), pk=pk)
    require(rules.may_edit_user, request.user, account)

    def save(form):
        services.user_update(user=account, by=request.user, **form.cleaned_data)
        messages.success(request, _("已保存。"))
        return redirect("accounts:user_list")

    form = UserForm(request.POST or None, instance=account, by=request.user)
    title = _("编辑用户：%(name)s") % {"name": account.username}
    return form_page(request, form, save=save, title=title, **FORM_PAGE)
