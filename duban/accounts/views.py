"""Signing in, and the office's pages for accounts: thin pages over the selectors and services."""

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.urls import reverse_lazy
from django.utils.translation import gettext as _

from duban.core.routes import Pages
from duban.core.rules import rule_required
from duban.core.views import ListPage, done, find, form_page

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
    return form_page(request, form, save=save, title=title, **FORM_PAGE)
