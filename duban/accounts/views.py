"""Signing in, and the office's pages for accounts: thin pages over the selectors and services."""

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from duban.core.forms import service_errors_into
from duban.core.pagination import paginate
from duban.core.rules import require

from . import rules, selectors, services
from .filters import UserFilterSet
from .forms import LoginForm, UserForm


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


@login_required
def user_list(request):
    users = selectors.user_list(user=request.user, filters=request.GET)
    filterset = UserFilterSet(request.GET, user=request.user)
    return render(
        request, "accounts/user_list.html", {"page_obj": paginate(request, users), "filterset": filterset}
    )


@login_required
def user_create(request):
    require(rules.may_manage_users, request.user)
    form = UserForm(request.POST or None, by=request.user)
    if request.method == "POST" and form.is_valid():
        with service_errors_into(form):
            services.user_create(by=request.user, **form.cleaned_data)
            messages.success(request, _("已新增用户。"))
            return redirect("accounts:user_list")
    return render(request, "accounts/user_form.html", {"form": form})


@login_required
def user_edit(request, pk):
    account = get_object_or_404(selectors.user_list(user=request.user), pk=pk)
    require(rules.may_edit_user, request.user, account)
    form = UserForm(request.POST or None, instance=account, by=request.user)
    if request.method == "POST" and form.is_valid():
        with service_errors_into(form):
            services.user_update(user=account, by=request.user, **form.cleaned_data)
            messages.success(request, _("已保存。"))
            return redirect("accounts:user_list")
    return render(request, "accounts/user_form.html", {"form": form, "edited_user": account})
